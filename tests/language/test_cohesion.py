"""Sentences that lean on the one before, beyond pronouns and connectives: object pronouns
written onto verbs, German pronominal adverbs, and definite noun phrases that repeat a
noun just named — each with the learner's example and more of the same kind."""

from __future__ import annotations

import pytest

from opad.text.cohesion import depends_on_previous


@pytest.mark.parametrize(
    ("code", "sentence", "leans"),
    [
        # The learner's example: "to solve it" — what? The sentence before was dropped.
        ("es", "Para solucionarlo, la cooperativa ha instalado baterías.", True),
        ("es", "Al verla, todos aplaudieron.", True),
        ("es", "Haciéndolo así, ahorran dinero.", True),
        ("es", "Para dárselo, esperaron al lunes.", True),
        ("es", "Para hablar con los vecinos, hay que llamar antes.", False),
        ("es", "La planta produce mucha electricidad.", False),
        ("it", "Per farlo, servono molti soldi.", True),
        ("it", "Facendolo ogni giorno, si impara.", True),
        ("it", "Per parlare con il sindaco, serve tempo.", False),
        ("pt", "Para resolvê-lo, a cooperativa instalou baterias.", True),
        ("pt", "Bem-vindos ao parque da cidade.", False),
        ("fr", "Pour le faire, il faut du temps.", True),
        ("fr", "Sans les voir, on les entend.", True),
        ("fr", "Pour la première fois, le village vote.", False),
        ("de", "Darauf freuen sich alle Kinder.", True),
        ("de", "Dadurch sinken die Kosten.", True),
        ("de", "Darüber wird im Rat gestritten.", True),
        ("de", "Darmstadt liegt im Süden.", False),
        # "Others complain …" — others than whom? (seen in a Spanish C1 reading)
        ("es", "Otros se quejan de que el ritmo es intenso.", True),
        ("de", "Andere sagen das Gegenteil.", True),
        ("fr", "D'autres préfèrent le train.", True),
        ("it", "Altri dicono di no.", True),
        ("pt", "Outros discordam da ideia.", True),
    ],
)
def test_pronouns_written_onto_verbs_and_pronominal_adverbs(
    code: str, sentence: str, leans: bool
) -> None:
    assert depends_on_previous(code, sentence) is leans


@pytest.mark.parametrize(
    ("code", "before", "sentence", "leans"),
    [
        # The learner's example: which animals? The quotation before names them.
        (
            "en",
            '"Beavers are not just another animal. They are engineers."',
            "The animals came from a large population in Scotland.",
            True,
        ),
        ("en", "Beavers are not just another animal.", "The council met on Monday.", False),
        ("de", "Im Dorf gibt es eine neue Anlage.", "Die Anlage steht am Rand.", True),
        ("de", "Im Dorf gibt es eine neue Anlage.", "Die Kinder spielen im Hof.", False),
        ("es", "El pueblo tiene una planta solar.", "La planta produce mucha luz.", True),
        ("es", "El pueblo tiene una planta solar.", "La escuela abre hoy.", False),
        ("fr", "Le village a ouvert une boulangerie.", "La boulangerie vend du pain.", True),
        ("fr", "Le village a ouvert une boulangerie.", "Le maire est content.", False),
        ("it", "Il comune ha aperto una biblioteca.", "La biblioteca apre alle nove.", True),
    ],
)
def test_a_definite_noun_phrase_that_repeats_a_noun_just_named(
    code: str, before: str, sentence: str, leans: bool
) -> None:
    assert depends_on_previous(code, sentence, [before]) is leans
    # Without the sentences before it, the rule has nothing to compare with.
    assert depends_on_previous(code, sentence) is False


@pytest.mark.parametrize(
    ("code", "sentence", "dangles"),
    [
        ("es", "Para solucionarlo, la cooperativa ha instalado baterías.", True),
        ("pt", "Para resolvê-lo, a cooperativa instalou baterias.", True),
        ("it", "Per farlo, servono molti soldi.", True),
        ("de", "Dadurch sinken die Kosten.", True),
        ("de", "Darmstadt liegt im Süden.", False),
        ("es", "La planta produce mucha electricidad.", False),
    ],
)
def test_the_reports_own_dangling_check_sees_them_too(
    code: str, sentence: str, dangles: bool
) -> None:
    from opad.quality.metrics import opens_dangling

    assert opens_dangling(code, sentence) is dangles
