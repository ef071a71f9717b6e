"""opad.text sentences, and the words that are never vocabulary."""

from __future__ import annotations

import pytest

from opad.text import split_sentences
from opad.text.cohesion import depends_on_previous
from opad.text.kinds import abbreviations, is_number_word, names


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("de", "Der Bau kostet 3 Mio. Euro. Er dauert lange.",
         ["Der Bau kostet 3 Mio. Euro.", "Er dauert lange."]),
        ("de", "Der Bürgermeister Dr. Schulz hat heute mit Prof. Wagner gesprochen. Sie sind "
         "zufrieden.",
         ["Der Bürgermeister Dr. Schulz hat heute mit Prof. Wagner gesprochen.",
          "Sie sind zufrieden."]),
        ("de", "Die Temperatur lag bei 3,5 Grad, z. B. am 3. Oktober. Es war kalt.",
         ["Die Temperatur lag bei 3,5 Grad, z. B. am 3. Oktober.", "Es war kalt."]),
        ("en", "A retired teacher, Mrs. Alvarez, organised the fair. It was a success.",
         ["A retired teacher, Mrs. Alvarez, organised the fair.", "It was a success."]),
        ("en", "The U.S. team won 3.5 points in St. Louis on Jan. 5. Fans cheered.",
         ["The U.S. team won 3.5 points in St. Louis on Jan. 5.", "Fans cheered."]),
        ("en", "Dr. Smith and Mr. Jones met at 10 a.m. on Monday. They talked.",
         ["Dr. Smith and Mr. Jones met at 10 a.m. on Monday.", "They talked."]),
        ("es", "El Sr. García llegó a las 10 a. m. al ayuntamiento. Después habló.",
         ["El Sr. García llegó a las 10 a. m. al ayuntamiento.", "Después habló."]),
        ("fr", "M. Dupont habite au 3 rue Victor Hugo. Il a 2,5 hectares.",
         ["M. Dupont habite au 3 rue Victor Hugo.", "Il a 2,5 hectares."]),
    ],
)  # fmt: skip
def test_abbreviations_and_decimals_do_not_end_sentences(
    code: str, text: str, expected: list[str]
) -> None:
    assert split_sentences(code, text) == expected


def _balanced(sentence: str, opening: str, closing: str) -> bool:
    return sentence.count(opening) == sentence.count(closing)


@pytest.mark.parametrize(
    ("code", "text", "opening", "closing"),
    [
        ("fr", "Elle dit : « Bonjour ! Je suis Léa. » Puis elle part. Il pleut.", "«", "»"),
        ("fr", "« Nous avons gagné. C'est formidable ! » s'écrie Paul. Il rit.", "«", "»"),
        ("de", "„Jetzt habe ich endlich einen Garten. Das ist schön“, sagt sie. Sie lacht.",
         "„", "“"),
        ("en", "“I am very glad. I lived to see it,” she said. Then she left.", "“", "”"),
        ("es", "«Es un día feliz. Lo esperábamos», dijo la alcaldesa. Todos aplaudieron.",
         "«", "»"),
    ],
)  # fmt: skip
def test_a_quotation_is_never_cut(code: str, text: str, opening: str, closing: str) -> None:
    sentences = split_sentences(code, text)
    assert len(sentences) >= 2
    for sentence in sentences:
        assert _balanced(sentence, opening, closing), sentences
    # The quotation travels with its reporting clause.
    assert any(opening in s and ("dit" in s or "écrie" in s or "sagt" in s or "said" in s
               or "dijo" in s) for s in sentences)  # fmt: skip


def test_text_without_sentence_punctuation_is_cut_into_sentence_sized_pieces() -> None:
    prose = " ".join(["the river runs past the old mill and the children play by the water"] * 20)
    pieces = split_sentences("en", prose)
    assert len(pieces) >= 10
    assert all(6 <= len(p.split()) <= 28 for p in pieces)
    assert " ".join(pieces) == prose
    lyrics = "I walk the line\nI keep my eyes wide open all the time\nI keep the ends out"
    assert split_sentences("en", lyrics) == [
        "I walk the line", "I keep my eyes wide open all the time", "I keep the ends out",
    ]  # fmt: skip
    # Wrapped prose (lines ending in punctuation) is joined, then split as prose.
    assert split_sentences("en", "It rained all day.\nWe stayed in.") == [
        "It rained all day.", "We stayed in.",
    ]  # fmt: skip
    assert split_sentences("en", "  \n ") == []


@pytest.mark.parametrize(
    ("code", "word"),
    [("de", "dreißig"), ("de", "dreihundertvierzig"), ("de", "dritten"),
     ("de", "sechstausend"), ("es", "quinientos"),
     ("es", "seiscientos"), ("en", "sixty"), ("en", "Thirty"), ("en", "hundred"),
     ("fr", "troisième"), ("fr", "soixante"), ("it", "cinquanta")],
)  # fmt: skip
def test_number_words(code: str, word: str) -> None:
    assert is_number_word(code, word)


@pytest.mark.parametrize(
    ("code", "word"),
    [("de", "Einheit"), ("de", "einer"), ("en", "tent"), ("en", "none"), ("es", "lavadora"),
     ("en", "bench")],
)  # fmt: skip
def test_ordinary_words_are_not_number_words(code: str, word: str) -> None:
    assert not is_number_word(code, word)


def test_names_by_title_capital_or_dictionary() -> None:
    english = (
        "A retired teacher, Mrs. Alvarez, organised the fair. Alvarez was happy. "
        "Mr Ashworth came from London with a duck."
    )
    assert {"Alvarez", "Ashworth", "London"} <= names("en", english)
    assert "duck" not in names("en", english) and "A" not in names("en", english)
    german = (
        "Frau Lindenau wohnt an der Wiese neben dem Park. Lindenau mag die Sonne im Garten. "
        "Herr Ashworth kommt mit Dr. Schulz."
    )
    found = names("de", german)
    assert {"Lindenau", "Ashworth", "Schulz"} <= found
    assert not found & {"Wiese", "Park", "Sonne", "Garten", "Frau", "Herr"}


def test_abbreviations_and_acronyms() -> None:
    text = "Der Bau kostet 3 Mio. Euro. Dr. Schulz sprach mit Prof. Wagner. Die EU zahlt."
    found = abbreviations("de", text)
    assert {"Mio", "Dr", "Prof", "EU"} <= found
    assert "Euro" not in found and "Wagner" not in found


@pytest.mark.parametrize(
    ("code", "sentence", "leans"),
    [
        ("en", "It opened on Saturday morning.", True),
        ("en", "However, the council disagreed.", True),
        ("en", "“They are happy,” she said.", True),
        ("en", "For example, the park has a pond.", True),
        ("en", "The new park opened on Saturday.", False),
        ("de", "Er liegt mitten in der Stadt.", True),
        ("de", "Deshalb bleibt der Park offen.", True),
        ("de", "Der Park liegt mitten in der Stadt.", False),
        ("es", "Sin embargo, nadie vino.", True),
        ("es", "Ella vive en Madrid.", True),
        ("es", "La biblioteca abre hoy.", False),
        ("fr", "C'est une bonne nouvelle.", True),
        ("fr", "Cependant, il pleut.", True),
        ("fr", "Le parc ouvre demain.", False),
        ("hi", "वह घर गया।", False),  # no list for this language: nothing is assumed
    ],
)
def test_sentences_that_lean_on_the_one_before(code: str, sentence: str, leans: bool) -> None:
    assert depends_on_previous(code, sentence) is leans


def test_long_quotations_and_long_sentences_are_not_cut_at_commas() -> None:
    # A quotation of two long sentences kept together, and an author's 50-word sentence:
    # only runs without sentence punctuation are cut at commas.
    quote = (
        '"Staff spent most of their day copying and pasting the same paragraphs about bin '
        "collections, parking permits and council tax. Now the machine does the repetitive "
        "part, and our people can concentrate on the difficult cases, the ones that genuinely "
        'need human judgement."'
    )
    assert split_sentences("en", quote) == [quote]
    long_sentence = (
        "The council, which had discussed the plan for months, agreed on Tuesday that the "
        "old market hall, closed since the storm, would reopen in spring with room for "
        "local farmers, a small library, a café run by volunteers and, on Sundays, a flea "
        "market for the whole district and its many visitors."
    )
    assert len(long_sentence.split()) > 40
    assert split_sentences("en", long_sentence) == [long_sentence]
