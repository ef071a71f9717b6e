"""Comprehension questions stored with a reading, and how answers are checked.

Made by the engine that made the reading: the crew writes multiple-choice and true/false
questions (checked against the text), the no-LLM engine makes cloze (gap-fill) questions
from the text itself (`cloze.make_cloze_questions`).
"""

from opad.questions.models import Answer, Grade, Question, QuestionKind, grade

__all__ = ["Answer", "Grade", "Question", "QuestionKind", "grade"]
