"""Questions that test reading (issue 27, item 5): cloze options of the answer's form, no
names or numbers as options, true/false statements from kept sentences, two kinds per
reading in every shipped language."""

from __future__ import annotations

import pytest

from opad.engines import build_engine
from opad.engines.base import GenerationRequest
from opad.levels import Level
from opad.quality.vocab_checks import grammar_solvable
from opad.questions import QuestionKind
from opad.questions.cloze import ClozeWord, distractors
from opad.questions.forms import ANY_CONTEXT, fits, inflection, spaced_form
from opad.questions.reading import cloze_for_reading, reading_words
from opad.questions.step import questions_for
from opad.questions.true_false import true_false_questions
from opad.settings import Settings
from tests.readings import body_of


@pytest.mark.parametrize(
    ("word", "lemma", "form"),
    [
        ("members", "member", "+s"),
        ("trabajan", "trabajar", "+n"),
        ("laute", "laut", "+e"),
        ("quiet", "quiet", "="),
        ("went", "go", "+went"),
        ("Geschäfte", "Geschäft", "+e"),
    ],
)
def test_the_inflection_is_what_differs_from_the_lemma(word: str, lemma: str, form: str) -> None:
    assert inflection(word, lemma) == form


def test_forms_tell_classes_apart() -> None:
    # German capitals are nouns; English parts of speech come from the learner list;
    # Romance lemmas ending in -r are infinitives, not nouns.
    assert spaced_form("de", "Lärm", "Lärm") != spaced_form("de", "laut", "laut")
    assert spaced_form("en", "important", "important") != spaced_form("en", "student", "student")
    assert spaced_form("fr", "célébrer", "célébrer") != spaced_form("fr", "herbe", "herbe")
    assert spaced_form("es", "casas", "casa") == spaced_form("es", "mesas", "mesa")


def test_a_determiner_decides_what_may_stand_in() -> None:
    noun = spaced_form("fr", "herbe", "herbe")
    assert fits(f"{noun}|l'", f"{noun}|{ANY_CONTEXT}", "école")
    assert not fits(f"{noun}|l'", f"{noun}|{ANY_CONTEXT}", "table")  # "l'table"
    assert not fits(f"{noun}|la", f"{noun}|{ANY_CONTEXT}", "maison")  # gender unknown
    en = spaced_form("en", "orange", "orange")
    assert fits(f"{en}|an", f"{en}|{ANY_CONTEXT}", "apple")
    assert not fits(f"{en}|an", f"{en}|{ANY_CONTEXT}", "pear")
    assert fits(f"{en}|the", f"{en}|{ANY_CONTEXT}", "pear")


def test_options_share_the_answer_form_and_are_never_names_or_numbers() -> None:
    answer = ClozeWord("members", "member", 2, form="+s:N|")
    pool = [
        ClozeWord("drivers", "driver", 2, form="+s:N|"),
        ClozeWord("quickly", "quickly", 2, form="+ly:R|"),  # another class
        ClozeWord("Hallberg", "Hallberg", 2, form="=:N|", usable=False),  # a name
        ClozeWord("twenty", "twenty", 2, form="+s:N|", usable=False),  # a number
        ClozeWord("nurses", "nurse", 3, form="+s:N|"),
        ClozeWord("member", "member", 2, form="=:N|"),  # the answer's own lemma
    ]
    assert sorted(distractors(answer, pool)) == ["drivers", "nurses"]


READING = (
    "The town council hired three new teachers for the village school. The teachers "
    "started work on Monday. Parents welcomed the decision at a meeting.\n\n"
    "The school had lost two teachers last year. Classes were too large and the children "
    "waited for help. Now every class has its own teacher again, and the drivers of the "
    "school bus are happy too."
)


def test_true_and_false_statements_come_from_kept_sentences() -> None:
    made = true_false_questions(reading_words(body_of("English", READING)), code="en", count=4)
    assert len(made) >= 2
    assert {q.answer for q in made} == {"True", "False"}
    for q in made:
        assert q.kind is QuestionKind.TRUE_FALSE and q.options == ["True", "False"]
        assert q.support in READING.replace("\n\n", " ")
        # A true statement is the sentence; a false one differs from it by one word.
        if q.answer == "True":
            assert q.prompt == q.support
        else:
            assert q.prompt != q.support
            assert len(q.prompt.split()) == len(q.support.split())
            changed = set(q.prompt.split()) ^ set(q.support.split())
            assert len(changed) == 2


def test_the_same_reading_gives_the_same_statements() -> None:
    a = true_false_questions(reading_words(body_of("English", READING)), code="en", count=2)
    assert a == true_false_questions(reading_words(body_of("English", READING)), code="en", count=2)


def test_a_name_in_the_reading_is_never_an_option() -> None:
    text = (
        "Mayor Kowalczyk opened the new library on Friday. Kowalczyk said the library "
        "would lend books, tools and games. The librarians prepared thousands of books. "
        "Volunteers painted the walls and carried the shelves. Children borrowed comics."
    )
    keywords = ["librarian", "volunteer", "shelf", "comic"]
    for q in cloze_for_reading(body_of("English", text), keywords):
        assert "Kowalczyk" not in q.options
        assert not any(o.isdigit() for o in q.options)


def _source(code: str) -> tuple[str, str]:
    """(language, body) of a real text: the starter library's first text, else the
    report's own source (Italian, Portuguese)."""
    from opad.engines.sources import PACKAGED_LIBRARY, load_library, parse_library_file
    from opad.languages import find_language
    from opad.quality.runner import OWN_SOURCES

    language = find_language(code)
    assert language is not None
    texts = load_library(PACKAGED_LIBRARY, code)
    if texts:
        return language.name, texts[0][1].body
    path = next(OWN_SOURCES.glob(f"{code}-*.md"))
    return language.name, parse_library_file(path).body


@pytest.mark.parametrize("code", ["en", "de", "es", "fr", "it", "pt", "ko", "ja", "zh"])
def test_every_language_gets_two_kinds_of_question(code: str) -> None:
    language, body = _source(code)
    engine = build_engine(Settings(_env_file=None, OPAD_ENGINE="offline"))
    request = GenerationRequest(
        language=language, level=Level.A2, length=300, topic="", source_text=body
    )
    result = engine.generate(request, lambda p, m: None)
    typed = body_of(language, result.markdown, result.vocabulary)
    questions = questions_for(typed, result.vocabulary)
    assert 4 <= len(questions) <= 6
    assert QuestionKind.TRUE_FALSE in {q.kind for q in questions}
    assert len({q.kind for q in questions}) >= 2
    cloze = [q for q in questions if q.kind is QuestionKind.CLOZE]
    solvable = [q for q in cloze if grammar_solvable(code, q.answer, q.options)]
    assert len(solvable) <= 1, solvable
