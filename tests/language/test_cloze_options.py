"""Cloze options share the form of the gap (a walk-through found "japanese / area / Local /
final" and "toward / among / whom / During"): the gap's case (all capitalised at a
sentence start, else the answer's own capital or none), proper words with their capital
("Japanese"), and the answer's part of speech ("whom" is no option for a preposition)."""

from __future__ import annotations

import pytest

from opad.questions.cloze import GAP, sentence_initial
from opad.questions.forms import english_classes
from opad.questions.lexicon import english_proper, frequent_words
from opad.questions.reading import cloze_for_reading
from opad.reading.model import Question
from tests.readings import body_of

ENGLISH = (
    "Local schools opened a new garden on Monday. Children planted young trees near the "
    "river. During the summer, the pupils will water the trees every evening. Parents often "
    "walk toward the garden after work. The garden sits among old houses and a quiet park. "
    "The final decision came from the local council, and a Japanese company gave the tools. "
    "The area around the river is green now."
)


def _questions(code: str, text: str, keywords: list[str]) -> list[Question]:
    return cloze_for_reading(body_of(code, text), keywords, count=10)


def _gap_opens_the_sentence(prompt: str) -> bool:
    return sentence_initial(prompt, prompt.index(GAP))


@pytest.mark.parametrize(
    ("code", "text", "keywords"),
    [
        ("en", ENGLISH, ["local", "toward", "among", "final", "area"]),
        ("en", ENGLISH, ["during"]),
        (
            "es",
            "Los vecinos instalaron paneles solares en el tejado de la escuela. Muchas familias "
            "pagan menos por la luz desde el verano. Nuevas ayudas llegarán el próximo año "
            "para los vecinos del barrio. Las facturas bajaron un treinta por ciento.",
            ["vecino", "familia", "nuevo", "ayuda", "factura", "panel", "tejado"],
        ),
        (
            "fr",
            "Les habitants du quartier ont planté des arbres dans le parc. Plusieurs familles "
            "viennent chaque soir avec leurs enfants. Certains voisins arrosent les jeunes "
            "arbres le matin. Nouvelles fleurs et petits bancs attendent les visiteurs.",
            ["habitant", "famille", "voisin", "arbre", "fleur", "banc", "visiteur"],
        ),
    ],
)
def test_options_share_the_case_of_the_gap(code: str, text: str, keywords: list[str]) -> None:
    questions = _questions(code, text, keywords)
    assert questions
    for q in questions:
        if _gap_opens_the_sentence(q.prompt):
            assert all(o[:1].isupper() for o in q.options), q
        else:
            capital = q.answer[:1].isupper()
            assert all(o[:1].isupper() == capital for o in q.options), q


def test_the_walk_through_gaps() -> None:
    questions = {q.answer: q for q in _questions("en", ENGLISH, ["local", "final", "area"])}
    questions |= {q.answer: q for q in _questions("en", ENGLISH, ["during"])}
    # "Local" opens its sentence: every option is capitalised there, not the answer alone.
    assert all(o[:1].isupper() for o in questions["Local"].options)
    for answer in ("final", "area"):
        assert all(o.islower() for o in questions[answer].options), questions[answer]
    # A preposition's options are prepositions ("whom" is a pronoun).
    during = questions["During"]
    assert all("I" in english_classes(o.lower()) for o in during.options), during
    assert "Whom" not in during.options


def test_proper_words_keep_their_capital() -> None:
    assert english_proper("japanese") and english_proper("american") and english_proper("french")
    assert english_proper("monday")
    assert not english_proper("local") and not english_proper("final")
    assert not english_proper("individual") and not english_proper("may")
    backup = {w.word for w in frequent_words("en")}
    assert "Japanese" in backup and "japanese" not in backup
    assert "Japan" not in backup and "japan" not in backup  # a country is a name
    assert english_classes("whom") != english_classes("among")


def test_another_spelling_of_the_answer_is_no_option() -> None:
    questions = {q.answer: q for q in _questions("en", ENGLISH, ["toward", "among"])}
    assert "towards" not in questions["toward"].options, questions["toward"]
    for q in questions.values():
        others = [o.casefold() for o in q.options if o != q.answer]
        assert q.answer.casefold() + "s" not in others and q.answer.casefold()[:-1] not in others
