"""True/false statements a learner can judge: made from sentences that stand alone, and
false ones that swap like for like (a walk-through found "Los últimos también pagan
menos por la luz.", "Der neue Park heißt Bürgermeisterin.", "秋田市の中心真ん中にある…")."""

from __future__ import annotations

import pytest
import regex

from opad.questions.reading import reading_words
from opad.questions.true_false import false_statements, german_genders, true_false_questions
from tests.readings import body_of

# Each reading: sentences that stand alone, and sentences that lean on the one before.
LEANING = {
    "es": (
        "En el barrio de San Isidro, los vecinos instalaron paneles solares en los tejados. "
        "Los vecinos también pagan menos por la luz. La factura ha bajado en torno a un "
        "treinta por ciento en el barrio. Sin embargo, muchas familias todavía esperan la "
        "ayuda del ayuntamiento. El proyecto empezó hace dos años con diez casas del barrio. "
        "Ellos quieren instalar más paneles el próximo verano en la escuela.",
        [
            "Los vecinos también pagan menos por la luz.",
            "Sin embargo, muchas familias todavía esperan la ayuda del ayuntamiento.",
            "Ellos quieren instalar más paneles el próximo verano en la escuela.",
        ],
    ),
    "de": (
        "Der neue Park heißt Lindengarten. Er ist etwa drei Hektar groß und liegt mitten in "
        "der Stadt. Die Gärtner haben über dreihundert Bäume gepflanzt. Trotzdem ist der Park "
        "am Abend oft leer und still. Die Kinder spielen am Nachmittag auf der großen Wiese. "
        "Dafür hat die Stadt acht Millionen Euro bezahlt.",
        [
            "Er ist etwa drei Hektar groß und liegt mitten in der Stadt.",
            "Trotzdem ist der Park am Abend oft leer und still.",
            "Dafür hat die Stadt acht Millionen Euro bezahlt.",
        ],
    ),
    "en": (
        "The town council opened a new library on Friday morning. It has four floors and a "
        "small garden on the roof. Volunteers painted the walls and carried the heavy "
        "shelves. However, the library still needs more books for children. Parents "
        "welcomed the decision at a long meeting in the town hall. The latter also asked "
        "for longer opening hours in the evening.",
        [
            "It has four floors and a small garden on the roof.",
            "However, the library still needs more books for children.",
            "The latter also asked for longer opening hours in the evening.",
        ],
    ),
    "fr": (
        "La ville a ouvert une nouvelle bibliothèque dans le quartier nord. Elle a quatre "
        "étages et un petit jardin sur le toit. Les bénévoles ont peint les murs et porté "
        "les étagères. Cependant, la bibliothèque manque encore de livres pour les enfants. "
        "Les parents ont salué la décision lors d'une longue réunion.",
        [
            "Elle a quatre étages et un petit jardin sur le toit.",
            "Cependant, la bibliothèque manque encore de livres pour les enfants.",
        ],
    ),
}


@pytest.mark.parametrize("code", list(LEANING))
def test_statements_come_only_from_sentences_that_stand_alone(code: str) -> None:
    text, leaning = LEANING[code]
    made = true_false_questions(reading_words(body_of(code, text)), code=code, count=10)
    assert made, "the sentences that stand alone still give statements"
    supports = {q.support for q in made}
    assert not supports & set(leaning), supports & set(leaning)


def _stadtpark() -> str:
    from opad.engines.sources import PACKAGED_LIBRARY, load_library

    return dict(load_library(PACKAGED_LIBRARY, "de"))["stadtpark"].body


def _changed(statement: str, support: str) -> tuple[str, str]:
    """The text of `support` a false statement swapped, and the text it put there."""
    start = next(i for i, (x, y) in enumerate(zip(support, statement, strict=False)) if x != y)
    end = 0
    while support[len(support) - 1 - end] == statement[len(statement) - 1 - end]:
        end += 1
    old, new = support[start : len(support) - end], statement[start : len(statement) - end]
    # Whole words: the swap may share its first or last letters with the word it replaced.
    head = regex.search(r"\w*$", support[:start])
    tail = regex.match(r"\w*", support[len(support) - end :])
    assert head is not None and tail is not None
    return head.group() + old + tail.group(), head.group() + new + tail.group()


def test_german_swaps_a_noun_for_a_noun_of_the_same_gender_and_number() -> None:
    sentences = reading_words(body_of("de", _stadtpark()))
    made = false_statements("de", sentences)
    park = "Der neue Park heißt Lindengarten."
    assert "Bürgermeisterin" not in made.get(park, "") and "Lindengarten" in made.get(park, park)
    garage = "Unter dem Park entstand eine kleine Tiefgarage mit zweihundert Stellplätzen."
    assert "Beete" not in made.get(garage, "")  # "eine kleine Beete": a plural
    assert len(made) >= 5
    genders = german_genders(sentences)
    assert genders["tiefgarage"] == {"f"} and genders["nachbarschaft"] == {"f"}
    assert genders["teich"] == {"m"}
    # Never seen with a determiner: a name ("heißt Lindengarten") or a title.
    assert "lindengarten" not in genders and "bürgermeisterin" not in genders
    for support, statement in made.items():
        old, new = _changed(statement, support)
        assert old[:1].isupper() and new[:1].isupper(), (support, statement)
        assert genders[old.casefold()] == genders[new.casefold()], (support, statement)
        assert not support.startswith(old) and not statement.startswith(new)


def test_a_title_before_a_name_is_never_swapped() -> None:
    text = (
        "The park opened on Friday, said the horticulturist Anna Kowalczyk at the gate. "
        "The new gardens were planned by the architect Peter Marsh last year. "
        "The town bought new benches and tables for the park. "
        "Many families came to see the flowers and the old trees. "
        "A local dentist gave free toothbrushes to the children."
    )
    made = false_statements("en", reading_words(body_of("en", text)))
    assert made
    for support, statement in made.items():
        old, new = _changed(statement, support)
        assert {old, new}.isdisjoint({"horticulturist", "architect"}), statement


@pytest.mark.parametrize(
    ("code", "text", "compound"),
    [
        (
            "ja",
            "今月20日には、秋田市の中心部にある公園で、大きなクマが見つかった。"
            "市の職員が周辺を一時通行止めにした。クマは数時間後に近くの林へ戻った。"
            "学校では保護者が子どもを迎えに来た。",
            "中心部",
        ),
        (
            "zh",
            "这个社区食堂去年十月开业，现在每天接待很多老人。老人只需花十二元就能吃一顿饭。"
            "附近的居民也常常来这里吃午饭。志愿者每天帮助老人打饭。",
            "社区食堂",
        ),
    ],
)
def test_a_part_of_a_compound_noun_is_never_swapped(code: str, text: str, compound: str) -> None:
    sentences = reading_words(body_of(code, text))
    made = false_statements(code, sentences)
    for support, statement in made.items():
        if compound in support:
            assert compound in statement, statement


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("今月20日は休みだった。子どもは公園で遊んだ。母は駅で待った。", "今月20日"),
        ("先月3日に新しい図書館が開いた。子どもたちは本を読んだ。先生は教室で待った。", "先月3日"),
    ],
)
def test_a_word_written_on_to_a_number_is_never_swapped(text: str, date: str) -> None:
    # Nor swapped in elsewhere: "先生は教室で待った" became "先月は教室で待った".
    made = false_statements("ja", reading_words(body_of("ja", text)))
    assert made
    for support, statement in made.items():
        assert (date in support) == (date in statement), statement
        assert date[:2] not in statement.replace(date, ""), statement
