"""Discourse units in the leveler (issue 27, items 1 and 2): questions with answers,
quotes with their speaker, full names before surnames, how-to steps with what they use,
back-references in the first clause, subject-less openings, pasted headlines."""

from __future__ import annotations

from pathlib import Path

import pytest

import opad
from opad.engines.base import GenerationRequest
from opad.engines.leveler import LevelerEngine
from opad.engines.selection import Sentence, paragraphs
from opad.engines.titles import split_headline, title_from_text
from opad.levels import LEVEL_ORDER
from opad.settings import Settings
from opad.text.cohesion import depends_on_previous
from opad.text.discourse import is_question, mentions, needs


def _sentences(paragraphs_: list[list[str]]) -> list[tuple[int, str]]:
    return [(p, s) for p, sents in enumerate(paragraphs_) for s in sents]


@pytest.mark.parametrize(
    ("code", "question"),
    [
        ("en", "Q: Why did you choose boats?"),
        ("en", "**Why did you choose boats?**"),
        ("es", "—¿Por qué eligió los barcos?"),
        ("fr", "Journaliste : Pourquoi les bateaux ?"),
        ("it", "D: Perché proprio le barche?"),
        ("de", "Frage: Warum ausgerechnet Boote?"),
        ("zh", "记者：您为什么选择造船？"),
        ("ja", "――なぜ船を選んだのですか。"),
    ],
)
def test_interview_questions_in_every_layout(code: str, question: str) -> None:
    assert is_question(code, question)


@pytest.mark.parametrize(
    "text", ["A: Because the river was there.", "Il a répondu : « Pourquoi pas. »"]
)
def test_answers_are_not_questions(text: str) -> None:
    assert not is_question("en", text)


def test_an_answer_needs_its_question_and_the_question_its_answer() -> None:
    doc = _sentences(
        [
            ["Tom Reyes builds wooden boats in Hull."],
            ["Q: How did you start?"],
            ["A: My uncle had a yard.", "I swept the floor for two years."],
            ["Q: Why wood?"],
            ["A: It floats and it lasts.", "Plastic boats end up in the sea."],
        ]
    )
    ties = needs("en", doc)
    assert 1 in ties[3]  # "I swept the floor…" needs "How did you start?"
    assert 2 in ties[3]  # … and the start of its answer
    assert 4 in ties[6]  # "Plastic boats…" needs "Why wood?", not the first question
    assert 1 not in ties[6]
    assert 2 in ties[1]  # the question is kept only with its answer's start


def test_a_quote_paragraph_keeps_the_sentence_naming_its_speaker() -> None:
    doc = _sentences(
        [
            ["The ferry will stop in winter."],
            [
                "Harbour master Ines Duarte defended the plan.",
                "„Wir haben keine andere Wahl“, sagte sie.",
                "„Das Schiff ist leer.“",
            ],
        ]
    )
    ties = needs("de", doc)
    assert ties[2] == {1} and ties[3] == {1}


@pytest.mark.parametrize(
    ("code", "paragraphs_", "later", "intro"),
    [
        (
            "en",
            [
                ["The council met on Monday."],
                ["Its leader, Nadia Brooks, spoke first."],
                ["The plan was approved."],
                ["Brooks thanked the residents."],
            ],
            3,
            1,
        ),
        (
            "de",
            [
                ["Der Rat tagte am Montag."],
                ["Die Ärztin Petra Kühn warnte vor der Hitze."],
                ["Es war sehr heiß."],
                ["Kühn wies den Vorwurf zurück."],
            ],
            3,
            1,
        ),
        (
            "it",
            [
                ["Il traghetto delle sei sarà tagliato."],
                ["«Arrivo tardi al lavoro», ha detto Anna Scotto, infermiera."],
                ["La compagnia parla di navi vuote."],
                ["Scotto promette nuove proteste."],
            ],
            3,
            1,
        ),
        (
            "ko",
            [
                ["도서관이 문을 닫는다."],
                ["주민 한가영 씨는 크게 실망했다."],
                ["구청은 예산이 없다고 했다."],
                ["한 씨는 서명 운동을 시작했다."],
            ],
            3,
            1,
        ),
        (
            "ja",
            [
                ["バスが廃止される。"],
                ["住民の森田花子さんは不安を語った。"],
                ["会社は運転手が足りないという。"],
                ["森田さんは車を持っていない。"],
            ],
            3,
            1,
        ),
    ],
)
def test_a_surname_alone_needs_the_full_introduction(
    code: str, paragraphs_: list[list[str]], later: int, intro: int
) -> None:
    assert intro in needs(code, _sentences(paragraphs_))[later]


def test_a_how_to_step_needs_a_sentence_that_named_its_tool() -> None:
    doc = _sentences(
        [
            ["You need a chain tool, a rag and some oil."],
            ["Turn the bike upside down."],
            ["Clean the chain with the rag."],
            ["Wipe off what is left."],
            ["Push the pin out with the chain tool."],
            ["Oil the chain lightly."],
            ["Then wipe the chain again."],
        ]
    )
    named = mentions("en", doc)
    assert named[2] == [{0}]  # "the rag": the list of tools
    assert named[4] == [{0, 2}]  # "the chain tool": either sentence names the chain
    assert 6 not in named  # "the chain": named in the sentence just before (cohesion's)


def test_an_article_fused_with_a_preposition_opens_a_definite_noun_phrase() -> None:
    doc = _sentences(
        [
            ["Une crevaison se répare en vingt minutes."],
            ["Gonflez la chambre et cherchez le trou."],
            ["Retournez la roue."],
            ["Frottez la zone autour du trou avec le papier de verre."],
        ]
    )
    assert {1} in mentions("fr", doc)[3]


def test_a_definite_noun_after_a_short_opening_phrase_needs_a_mention() -> None:
    doc = _sentences(
        [
            ["Il Comune ha alzato le tariffe dei parcheggi."],
            ["L'aumento vale per tutto il centro storico."],
            ["I negozianti protestano."],
            ["Secondo il Comune, l'aumento è dovuto ai costi."],
        ]
    )
    assert {1} in mentions("it", doc)[3]


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("de", "Bei Regen funktioniert diese Methode nicht."),
        ("it", "Marco invece è rimasto a casa."),
        ("es", "Los vecinos también quieren un parque."),
        ("en", "The town chose a bus line instead."),
        ("fr", "Le maire, pourtant, reste prudent."),
        ("es", "Describe una asociación de vecinos muy activa."),
        ("it", "Spiega che il mercato chiuderà."),
        ("pt", "Defendeu a proposta na reunião."),
        ("ja", "駅前では、その計画に反対する声もある。"),
        ("de", "Damals gab es noch keine Busse."),
        ("de", "In der Stadt habe ich das lange vermisst."),
        ("de", "Klingt es hohl, ist das Brot fertig."),
        ("zh", "去年，该项目获得了资金。"),
    ],
)
def test_back_references_in_the_first_clause(code: str, sentence: str) -> None:
    assert depends_on_previous(code, sentence)


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("es", "El parque abrió el sábado."),
        ("it", "Il mercato riapre lunedì."),
        ("en", "This year the fair had more visitors than ever."[5:]),  # "year the fair…"
        ("de", "Geben Sie das Mehl in eine Schüssel."),
        ("de", "Der Bürgermeister eröffnete das Fest am Sonntag."),
    ],
)
def test_sentences_that_stand_alone(code: str, sentence: str) -> None:
    assert not depends_on_previous(code, sentence)


# Seen in readings of the starter library's Stadtpark text (German A1/B1): each sentence
# was kept while the one it leans on was dropped.
@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        # An adverb pointing back after the finite verb, not only before it (V2 order).
        ("de", "Die Stadt will deshalb ein Auge auf die Lage haben und Bilanz ziehen."),
        ("de", "Die Preise sind daher gestiegen."),
        ("de", "Viele Händler haben deswegen geklagt."),
        ("de", "Die Arbeiten kosten trotzdem mehr."),
        ("de", "Die Stadt bekommt dafür Geld vom Land."),
        ("de", "Im Sommer spielen dort viele Kinder."),
        ("de", "Die Stadt hat daher, wie geplant, Bäume gepflanzt."),
        ("nl", "De gemeente wil daarom een plan maken."),
        ("nl", "Veel kinderen spelen daar in de zomer."),
        # "The rest" of something named before.
        ("de", "Den Rest trägt die Stadt selbst."),
        ("de", "Für den Rest sorgt die Stadt."),
        ("en", "The rest comes from the city."),
        ("en", "The city pays the rest of the money."),
        ("es", "El resto lo paga el ayuntamiento."),
        ("fr", "Le reste est payé par la ville."),
        ("it", "Il resto viene dal comune."),
        ("pt", "O resto fica com a cidade."),
        ("nl", "De rest betaalt de stad."),
        # German "oben"/"unten" as a place named before (above the car park).
        ("de", "Oben ist jetzt alles grün."),
        ("de", "Jetzt ist unten eine Garage."),
    ],
)
def test_back_references_after_the_verb_the_rest_and_places(code: str, sentence: str) -> None:
    assert depends_on_previous(code, sentence)


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        # The clause after the comma says what the adverb means.
        ("de", "Dort, wo früher Autos standen, wachsen heute Bäume."),
        ("de", "Die Stadt sorgt dafür, dass die Bäume Wasser bekommen."),
        ("de", "Die Kinder spielen dort, wo früher Autos standen."),
        ("de", "Das, was die Stadt plant, gefällt den Kindern."),
        # The rest of a day, a life or the world is no part of something named before.
        ("de", "Der Rest des Tages war ruhig."),
        ("en", "The rest of the day was quiet."),
        ("es", "El resto del mundo mira con interés."),
        ("fr", "Le reste de la semaine sera calme."),
        ("it", "Il resto della giornata è stato tranquillo."),
        # "oben"/"unten" with the place it names, or as a direction.
        ("de", "Oben auf dem Dach wachsen Kräuter."),
        ("de", "Die Kinder klettern nach oben."),
        ("de", "Ganz oben steht eine Hütte."),
        ("nl", "De kinderen spelen in het park."),
    ],
)
def test_adverbs_that_point_forward_or_name_their_place_stand_alone(
    code: str, sentence: str
) -> None:
    assert not depends_on_previous(code, sentence)


def test_two_speakers_quotes_are_never_merged_into_one_paragraph() -> None:
    source = [
        Sentence(0, 0, "The plan was shown on Tuesday.", 6),
        Sentence(1, 1, '"It is too late," said Ann Lee.', 7),
        Sentence(2, 1, "She runs the shop.", 4),
        Sentence(3, 2, '"We will fight it," said Bo Park.', 7),
        Sentence(4, 2, "He is a farmer.", 4),
    ]
    kept = [source[0], source[1], source[3], source[4]]
    out = paragraphs(kept, source, "en")
    assert not any(
        '"It is too late,"' in " ".join(p) and '"We will fight it,"' in " ".join(p) for p in out
    )


def test_a_quote_cut_to_its_first_sentence_is_not_glued_to_narration_from_elsewhere() -> None:
    # Seen in a German B1 reading of the starter library's Stadtpark text: the quote's
    # paragraph was cut to one sentence and the park's rules were glued onto it.
    source = [
        Sentence(0, 0, "Der Park liegt mitten in der Stadt.", 7),
        Sentence(1, 0, "Früher war hier ein Parkplatz.", 5),
        Sentence(2, 1, "„Ich wohne ohne Balkon“, erzählte Yusuf Demir, ein Rentner.", 9),
        Sentence(3, 1, "„Jetzt habe ich endlich einen Garten.“", 6),
        Sentence(4, 2, "Der Park ist jeden Tag geöffnet.", 6),
        Sentence(5, 2, "Hunde müssen an der Leine bleiben.", 6),
    ]
    out = paragraphs([source[0], source[1], source[2], source[5]], source, "de")
    # The lone quote closes the narration before it; the park's rule stands apart.
    assert out == [[s.text for s in source[:3]], [source[5].text]]
    # With nothing before it, the quote is a paragraph of its own.
    out = paragraphs([source[2], source[5]], source, "de")
    assert out == [[source[2].text], [source[5].text]]


STADTPARK = Path(opad.__file__).parent / "library" / "de" / "stadtpark.md"


@pytest.mark.parametrize("level", ["A1", "B1"])
@pytest.mark.parametrize("length", [100, 200])
def test_a_reading_keeps_no_sentence_whose_reference_it_dropped(level: str, length: int) -> None:
    # Hand-read German A1/B1 readings of the Stadtpark text kept these without the
    # sentence each leans on: "Oben" (above the new car park), "Den Rest" (the state paid
    # a part), "deshalb" (the complaints).
    body = STADTPARK.read_text(encoding="utf-8").split("---", 2)[2]
    engine = LevelerEngine(Settings(_env_file=None, OPAD_ENGINE="leveler"))
    request = GenerationRequest(
        language="German", level=level, length=length, topic="Park", source_text=body
    )
    reading = engine.generate(request, lambda p, m: None).markdown.split("## Vocabulary")[0]
    leans_on = {
        "Oben ist jetzt alles grün.": "Tiefgarage",
        "Den Rest trägt die Stadt selbst.": "Einen Teil des Geldes",
        "Die Stadt will deshalb": "klagen",
    }
    for sentence, before in leans_on.items():
        if sentence in reading:
            assert before in reading and reading.index(before) < reading.index(sentence)


@pytest.mark.parametrize(
    ("text", "headline", "body_start"),
    [
        ("Record in the rain\n\nGrace Kiprono won.", "Record in the rain", "Grace Kiprono"),
        ("# Hausbau mit Lehm\nLehm ist billig.", "Hausbau mit Lehm", "Lehm ist"),
        ("Le pont ferme\n=====\n\nLe pont ferme lundi.", "Le pont ferme", "Le pont ferme lundi"),
    ],
)
def test_a_pasted_headline_is_the_title_not_the_text(
    text: str, headline: str, body_start: str
) -> None:
    found, body = split_headline(text)
    assert found == headline and body.startswith(body_start)


@pytest.mark.parametrize(
    "text", ["One paragraph. It has sentences.", "Only a line", "It rained.\n\nThen it stopped."]
)
def test_text_without_a_headline_keeps_its_first_line(text: str) -> None:
    assert split_headline(text) == (None, text)


# Copy-paste leaves one line break, not a blank line, under a headline (seen in a
# walk-through: the headline became part of the title, sentence 1 and the first gap).
@pytest.mark.parametrize(
    ("language", "text", "headline", "body_start"),
    [
        (
            "en",
            "City Council Approves New Bike Lanes on Main Street\n"
            "The city council voted on Tuesday to build new bike lanes.\n"
            "Work starts in May.",
            "City Council Approves New Bike Lanes on Main Street",
            "The city council voted",
        ),
        (
            "de",
            "Aus dem alten Parkplatz wird ein grüner Stadtpark\n"
            "Der Park liegt mitten in der Stadt.",
            "Aus dem alten Parkplatz wird ein grüner Stadtpark",
            "Der Park liegt",
        ),
        (
            "fr",
            "Le pont de la gare ferme pour travaux\r\nLe pont fermera lundi pour six mois.",
            "Le pont de la gare ferme pour travaux",
            "Le pont fermera",
        ),
        (
            "es",
            "«Energía renovable para todo el pueblo»\n"
            "El pueblo produce ya más energía de la que consume.",
            "Energía renovable para todo el pueblo",
            "El pueblo produce",
        ),
        (
            "ja",
            "駅前に新しい図書館が開館\n市は三日、駅前に新しい図書館を開いた。",
            "駅前に新しい図書館が開館",
            "市は三日",
        ),
        (
            "zh",
            "城市公园周六开放\n新公园位于市中心，周六正式开放。",
            "城市公园周六开放",
            "新公园位于",
        ),
        (
            "ko",
            "시청 앞 새 공원 개장\n시는 토요일 새 공원을 열었다.",
            "시청 앞 새 공원 개장",
            "시는 토요일",
        ),
        # One word on a line of its own is a heading (a section or a kicker), not a sentence.
        ("de", "Lehm\nLehm ist ein billiger Baustoff.", "Lehm", "Lehm ist"),
    ],
)
def test_a_headline_above_the_text_with_one_line_break(
    language: str, text: str, headline: str, body_start: str
) -> None:
    found, body = split_headline(text)
    assert (found, body[: len(body_start)]) == (headline, body_start)
    assert title_from_text(text, language) == headline


@pytest.mark.parametrize(
    "text",
    [
        # A sentence on the first line is text, whatever follows it.
        "The council met on Tuesday.\nIt approved new bike lanes.",
        "Der Rat hat getagt!\nEr will neue Radwege.",
        "市议会周二开会。\n会议批准了新的自行车道。",
        "市議会は火曜日に開かれた！\n新しい自転車道が承認された。",
        # A line that leads on (colon, comma, dash) or is a list item.
        "You will need:\nflour, water and salt.",
        "Zutaten:\n500 g Mehl",
        "- 500 g flour\n- 300 ml water",
        "1. Mix the flour and the water\n2. Leave it for an hour",
        # One paragraph wrapped at a fixed width: the next line goes on in lower case …
        "The city council approved new bike lanes on Main\nstreet and in the old town.",
        # … or the lines below are as long as the first (German nouns are capitalised).
        "Der Stadtrat hat am Dienstag beschlossen, dass in der\n"
        "Hauptstraße neue Radwege gebaut werden. Die Arbeiten\n"
        "beginnen im Mai.",
        # A line longer than a headline.
        " ".join(["word"] * 21) + "\nThe text.",
    ],
)
def test_a_first_line_that_is_text_stays_text(text: str) -> None:
    assert split_headline(text) == (None, text)


# Long answer lines are the pasted text as written.
INTERVIEW = """The boat builder of Hull: an interview with Tom Reyes

Tom Reyes has built wooden boats in Hull for thirty years. His boats sail on every sea.

Q: How did you start?

A: By accident. My uncle had a yard near the docks. I swept the floor there for two years before he let me touch a tool. He was a patient teacher.

Q: Why wood and not plastic?

A: Wood floats, it lasts, and you can repair it anywhere. Plastic boats end up as rubbish on the beaches. A wooden hull that is cared for lasts a century.

Q: What is the hardest part of the work?

A: Bending the planks. We steam them for hours until they are soft. If they cool too fast they crack, and a week of work is lost.

Q: Who buys your boats?

A: Fishermen, mostly, and a few families who want a boat their grandchildren can use. Last year a school bought one for its sailing club.

Q: What comes next?

A: I am training two apprentices. One of them is my niece, who is better with the saw than I ever was.
"""  # noqa: E501


@pytest.mark.parametrize("level", LEVEL_ORDER)
def test_every_kept_answer_comes_with_its_question_and_the_lead(level) -> None:  # type: ignore[no-untyped-def]
    engine = LevelerEngine(Settings(_env_file=None, OPAD_ENGINE="leveler"))
    request = GenerationRequest(
        language="English", level=level, length=100, topic="boats", source_text=INTERVIEW
    )
    result = engine.generate(request, lambda p, m: None)
    body = result.markdown.split("\n\n", 2)[2].split("\n## Vocabulary")[0]
    assert result.title == "The boat builder of Hull: an interview with Tom Reyes"
    assert "interview with Tom Reyes" not in body
    assert body.startswith("Tom Reyes has built wooden boats")
    answers = {
        "By accident.": "Q: How did you start?",
        "Wood floats": "Q: Why wood and not plastic?",
        "Bending the planks.": "Q: What is the hardest part",
        "Fishermen, mostly": "Q: Who buys your boats?",
        "I am training": "Q: What comes next?",
    }
    for answer, question in answers.items():
        if answer in body:
            assert question in body and body.index(question) < body.index(answer)
