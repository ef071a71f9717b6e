"""True/false statements a learner can judge: made from sentences that stand alone, and
false ones that swap like for like (a walk-through found "Los últimos también pagan
menos por la luz.", "Der neue Park heißt Bürgermeisterin.", "秋田市の中心真ん中にある…")."""

from __future__ import annotations

import pytest

from opad.questions.reading import reading_words
from opad.questions.true_false import true_false_questions
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
