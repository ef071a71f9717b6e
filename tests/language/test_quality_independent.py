"""The quality report's own yardsticks and discourse checks (issue 27, item 7): they must
see the faults the engine's rules were built against, on examples of their own."""

from __future__ import annotations

import pytest

from opad.quality.discourse import check
from opad.quality.yardsticks import measure, measures

EASY = {
    "en": "The cat sat on the mat. It was warm. The sun came in.",
    "de": "Der Hund schläft. Die Sonne scheint. Wir gehen raus.",
    "es": "El gato duerme. Hace sol. Vamos a la playa.",
    "fr": "Le chat dort. Il fait beau. Nous allons au parc.",
    "it": "Il gatto dorme. Fa caldo. Andiamo al mare.",
    "pt": "O gato dorme. Está sol. Vamos à praia.",
    "ja": "猫が寝ています。今日は晴れです。海に行きます。",
    "zh": "猫在睡觉。今天天气很好。我们去海边。",
    "ko": "고양이가 잔다. 날씨가 좋다. 바다에 간다.",
}
HARD = {
    "en": "Notwithstanding considerable institutional resistance, the municipality "
    "implemented comprehensive infrastructural modernisation programmes.",
    "de": "Ungeachtet erheblicher institutioneller Widerstände implementierte die "
    "Stadtverwaltung umfassende infrastrukturelle Modernisierungsprogramme.",
    "es": "Pese a considerables resistencias institucionales, la administración municipal "
    "implementó exhaustivos programas de modernización infraestructural.",
    "fr": "Malgré d'importantes résistances institutionnelles, l'administration municipale "
    "a mis en œuvre d'ambitieux programmes de modernisation infrastructurelle.",
    "it": "Nonostante considerevoli resistenze istituzionali, l'amministrazione comunale "
    "ha implementato articolati programmi di ammodernamento infrastrutturale.",
    "pt": "Apesar de consideráveis resistências institucionais, a administração municipal "
    "implementou abrangentes programas de modernização infraestrutural.",
    "ja": "自治体は制度的な抵抗にもかかわらず、包括的な社会基盤近代化計画を段階的に実施した。",
    "zh": "尽管遭遇相当程度的制度性阻碍，市政当局依然贯彻实施了综合性基础设施现代化改造规划。",
    "ko": "지방자치단체는 상당한 제도적 저항에도 불구하고 "
    "포괄적인 기반시설 현대화 계획을 단계적으로 시행하였다.",
}


@pytest.mark.parametrize("code", sorted(EASY))
def test_every_yardstick_finds_the_hard_text_harder(code: str) -> None:
    easy, hard = measure(code, EASY[code]), measure(code, HARD[code])
    assert len(measures(code)) >= 2
    for yardstick in measures(code):
        a, b = easy[yardstick.key], hard[yardstick.key]
        assert (b > a) if yardstick.harder else (b < a), (yardstick.label, a, b)


SOURCE = """The village hall was full on Monday. The council showed its plan for the old mill.

Architect Lena Hartwell explained the design. "We keep the walls and add a glass roof," she said. "The wheel will turn again."

The mill closed in 1962. Its owners moved to the coast.

Hartwell has restored three mills in Wales. The project will cost two million pounds."""  # noqa: E501


def _reading(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_a_surname_whose_introduction_was_dropped_dangles() -> None:
    reading = _reading(
        "The village hall was full on Monday. The council showed its plan for the old mill.",
        "Hartwell has restored three mills in Wales. The project will cost two million pounds.",
    )
    found = check("en", SOURCE, reading)
    assert "Hartwell has restored three mills in Wales." in found.dangling


def test_a_pronoun_opening_after_a_dropped_sentence_dangles() -> None:
    reading = _reading(
        "The village hall was full on Monday. The council showed its plan for the old mill.",
        "Its owners moved to the coast.",
    )
    assert check("en", SOURCE, reading).dangling == ("Its owners moved to the coast.",)


def test_a_quote_without_the_sentence_naming_its_speaker_loses_it() -> None:
    reading = _reading(
        "The village hall was full on Monday.",
        '"We keep the walls and add a glass roof," she said. "The wheel will turn again."',
    )
    found = check("en", SOURCE, reading)
    assert found.quoted == 2 and len(found.speakers_lost) == 2


def test_quotes_with_their_speaker_are_fine() -> None:
    reading = _reading(
        "The village hall was full on Monday.",
        'Architect Lena Hartwell explained the design. "We keep the walls and add a glass '
        'roof," she said.',
    )
    found = check("en", SOURCE, reading)
    assert found.quoted == 1 and found.speakers_lost == () and found.dangling == ()


def test_a_definite_noun_named_only_in_dropped_sentences_dangles() -> None:
    source = (
        "Il Comune ha alzato le tariffe dei parcheggi.\n\nI negozianti protestano da giorni. "
        "Secondo il sindaco, l'aumento serve a pagare i bus."
    )
    reading = (
        "I negozianti protestano da giorni. Secondo il sindaco, l'aumento serve a pagare i bus."
    )
    assert check("it", source, reading).lead_dropped
    source = (
        "Il Comune ha deciso ieri.\n\nL'aumento delle tariffe vale dal lunedì. I negozianti "
        "protestano da giorni.\n\nIl sindaco difende la scelta. L'aumento serve a pagare i bus."
    )
    # "Il sindaco difende la scelta." dropped too: nothing before names the increase.
    reading = "Il Comune ha deciso ieri.\n\nL'aumento serve a pagare i bus."
    assert check("it", source, reading).dangling == ("L'aumento serve a pagare i bus.",)


def test_a_subject_less_opening_dangles_but_not_in_a_how_to() -> None:
    source = (
        "La asociación Vecinos Unidos cumple diez años.\n\nLa fundó Rosa Gil en 2016. "
        "Organiza un mercado cada mes."
    )
    reading = "La asociación Vecinos Unidos cumple diez años.\n\nOrganiza un mercado cada mes."
    assert check("es", source, reading).dangling == ("Organiza un mercado cada mes.",)
    assert check("es", source, reading, kind="howto").dangling == ()


def test_an_answer_without_its_question_is_counted() -> None:
    source = (
        "Ana Ruiz repara relojes.\n\n—¿Cuándo empezó?\n\n—A los doce años.\n\n"
        "—¿Por qué relojes?\n\n—Porque mi abuelo tenía una tienda."
    )
    reading = "Ana Ruiz repara relojes.\n\n—¿Cuándo empezó?\n\n—Porque mi abuelo tenía una tienda."
    found = check("es", source, reading, kind="interview")
    assert found.answers == 1 and found.answers_alone == ("—Porque mi abuelo tenía una tienda.",)


def test_a_kept_headline_and_a_dropped_lead_are_seen() -> None:
    source = "Kiprono breaks the course record.\n\nThe rain did not stop all day."
    found = check(
        "en", source, "Record in the rain\n\nThe rain did not stop all day.", "Record in the rain"
    )
    assert found.headline_in_text and found.lead_dropped
