"""opad.text words: every script, every normalization, invisible characters, lemmas."""

from __future__ import annotations

import unicodedata

import pytest

from opad.text import count_words, lemma, normalize, split_sentences, tokenize, words

# Eight sentences, 47 words; Devanagari vowel signs (ा ी ो), virama (्), nukta (़) and
# candrabindu (ँ) are combining marks inside words.
HINDI = (
    "मेरा नाम राम है। मैं दिल्ली में रहता हूँ। घर के पास एक बड़ा पार्क है। "
    "हर सुबह मैं पार्क में टहलने जाता हूँ। वहाँ बहुत पेड़ और फूल हैं। "
    "मेरी बहन भी साथ आती है। शाम को हम घर लौटते हैं। फिर हम खाना खाते हैं।"
)
FRENCH = (
    "Marie était une écrivaine célèbre. Elle aimait étudier à la bibliothèque de sa ville. "
    "Chaque matin, elle écrivait trois pages. Son éditeur était très content. "
    "Les lecteurs attendaient son prochain roman avec impatience."
)


def test_hindi_words_are_whole_words() -> None:
    found = words("hi", HINDI)
    assert count_words("hi", HINDI) == 47 == len(HINDI.replace("।", " ").split())
    assert len(split_sentences("hi", HINDI)) == 8
    assert "रहता" in found and "रहत" not in found
    assert "दिल्ली" in found and "पार्क" in found and "हूँ" in found
    assert set(found) <= set(HINDI.replace("।", " ").split())


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("ru", "Мой велосипед стоит у дома.", ["Мой", "велосипед", "стоит", "у", "дома"]),
        ("ar", "ذَهَبَ الوَلَدُ إلى المَدْرَسَةِ", ["ذَهَبَ", "الوَلَدُ", "إلى", "المَدْرَسَةِ"]),
        ("vi", "Tiếng Việt rất đẹp.", ["Tiếng", "Việt", "rất", "đẹp"]),
        ("bn", "আমি বাংলায় গান গাই।", ["আমি", "বাংলায়", "গান", "গাই"]),
        ("th", "ภาษาไทย", ["ภาษาไทย"]),  # no spaces: one run (a Thai tokenizer is later work)
    ],
)
def test_words_keep_their_marks_in_other_scripts(code: str, text: str, expected: list[str]) -> None:
    assert words(code, text) == [normalize(w) for w in expected]


def test_decomposed_accents_give_the_composed_result() -> None:
    nfd = unicodedata.normalize("NFD", FRENCH)
    assert nfd != FRENCH
    assert words("fr", nfd) == words("fr", FRENCH)
    assert "écrivaine" in words("fr", nfd) and "crivaine" not in words("fr", nfd)
    assert tokenize("fr", nfd) == tokenize("fr", FRENCH)
    assert lemma("fr", unicodedata.normalize("NFD", "était")) == "être"
    assert split_sentences("fr", nfd) == split_sentences("fr", FRENCH)


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u2060", "\u200d", "\u200c", "\ufeff"])
def test_invisible_characters_never_split_a_word(invisible: str) -> None:
    clean = "Die Pfandautomaten im Supermarkt nehmen Mehrwegflaschen und Plastikflaschen."
    pasted = clean.replace("Pfandautomaten", f"Pfand{invisible}automaten").replace(
        "Mehrwegflaschen", f"Mehr{invisible}weg{invisible}flaschen"
    )
    assert words("de", pasted) == words("de", clean)
    assert "Pfandautomaten" in words("de", pasted)
    assert [t.lemma for t in tokenize("de", pasted)] == [t.lemma for t in tokenize("de", clean)]


def test_token_spans_point_into_the_normalized_text() -> None:
    text = unicodedata.normalize("NFD", "L'été, murmure-t-il, Pfand\u00adautomaten") + " रहता"
    norm = normalize(text)
    for token in tokenize("fr", text):
        assert norm[token.start : token.end] == token.word


def test_numbers_and_punctuation_are_not_words() -> None:
    assert words("en", "In 2024, 3.5 % — of 1,000 people!") == ["In", "of", "people"]
    assert count_words("en", "") == 0 and count_words("en", "... 42 !") == 0


def test_french_elisions_and_clitics() -> None:
    tokens = tokenize("fr", "« Je pars », murmure-t-il. L'école s'adresse aux enfants d'ici.")
    assert [t.word for t in tokens] == [
        "Je", "pars", "murmure", "il", "école", "adresse", "aux", "enfants", "ici",
    ]  # fmt: skip
    by_word = {t.word: t.lemma for t in tokens}
    assert by_word["murmure"] == "murmurer"  # a verb before "-t-il"
    assert by_word["adresse"] == "adresser"  # a verb after "s'"
    assert words("fr", "Donne-le-moi, dis-je.") == ["Donne", "le", "moi", "dis", "je"]
    # Compounds stay one word.
    assert words("fr", "aujourd'hui peut-être un rendez-vous") == [
        "aujourd'hui", "peut-être", "un", "rendez-vous",
    ]  # fmt: skip


def test_italian_elisions() -> None:
    assert words("it", "Dell'anno, l'acqua e un'altra cosa c'è.") == [
        "anno", "acqua", "e", "altra", "cosa", "è",
    ]  # fmt: skip


# Hand-checked: each German noun (or plural) and its dictionary form.
GERMAN_NOUNS = {
    "Wiese": "Wiese", "Wiesen": "Wiese", "Bett": "Bett", "Betten": "Bett",
    "Garten": "Garten", "Gärten": "Garten", "Park": "Park", "Parks": "Park",
    "Sonne": "Sonne", "Fluss": "Fluss", "Flüsse": "Fluss", "Schloss": "Schloss",
    "Schlösser": "Schloss", "Haus": "Haus", "Häuser": "Haus", "Kinder": "Kind",
    "Bäume": "Baum", "Straße": "Straße", "Straßen": "Straße", "Menschen": "Mensch",
    "Jahren": "Jahr", "Stadt": "Stadt", "Städte": "Stadt", "Schule": "Schule",
    "Schulen": "Schule", "Bürgermeister": "Bürgermeister", "Wasser": "Wasser",
    "Blumen": "Blume", "Vögel": "Vogel", "Tage": "Tag", "Wochen": "Woche",
    "Bücher": "Buch", "Frauen": "Frau", "Männer": "Mann", "Hunde": "Hund",
    "Katzen": "Katze", "Autos": "Auto", "Fenster": "Fenster", "Tische": "Tisch",
    "Stühle": "Stuhl", "Wälder": "Wald", "Berge": "Berg", "Seen": "See",
    "Fachleute": "Fachleute", "Leute": "Leute", "Ärzte": "Arzt", "Zimmer": "Zimmer",
    "Museen": "Museum", "Windräder": "Windrad", "Nächte": "Nacht",
}  # fmt: skip


def test_german_nouns_keep_their_case_and_modern_spelling() -> None:
    assert len(GERMAN_NOUNS) >= 40
    wrong = {w: lemma("de", w) for w, want in GERMAN_NOUNS.items() if lemma("de", w) != want}
    assert wrong == {}


def test_a_capitalised_verb_at_sentence_start_still_finds_its_lemma() -> None:
    assert lemma("de", "Gingen") == "gehen"
    assert lemma("fr", "Était") == "être"
    assert lemma("en", "Running") == "run"
