"""The word popover's source line in a learner's terms (dictionaries.entry.source_label):
the dictionary project and the language pair, not the files chained to find a meaning."""

from __future__ import annotations

import pytest

from opad.dictionaries.entry import source_label

CHAIN = (
    "FreeDict Spanish–English and FreeDict Spanish–German through German–English and "
    "FreeDict German–Spanish reversed, through German–English"
)


@pytest.mark.parametrize(
    ("source", "language", "explain_in", "label"),
    [
        (CHAIN, "Spanish", "English", "Dictionary: FreeDict (Spanish–English)"),
        ("FreeDict German–English", "German", "English", "Dictionary: FreeDict (German–English)"),
        ("FreeDict English–German, reversed", "German", "English",
         "Dictionary: FreeDict (German–English)"),
        ("FreeDict French–German through German–English", "French", "English",
         "Dictionary: FreeDict (French–English)"),
        ("WordNet 3.0", "English", "English", "Dictionary: WordNet (English)"),
        ("FreeDict English–German and WordNet 3.0", "English", "German",
         "Dictionaries: FreeDict and WordNet (English–German)"),
        ("JMdict (FreeDict Japanese–English)", "Japanese", "English",
         "Dictionary: JMdict (Japanese–English)"),
        ("CC-CEDICT", "Chinese", "English", "Dictionary: CC-CEDICT (Chinese–English)"),
        ("FreeDict German–English (in parts)", "German", "English",
         "Dictionary: FreeDict (German–English), from its parts"),
        ("LLM in context", "German", "English", "Meaning for this sentence: an AI model"),
        ("Some Local Glossary", "German", "English", "Dictionary: Some Local Glossary"),
        ("", "German", "English", ""),
    ],
)  # fmt: skip
def test_source_label(source: str, language: str, explain_in: str, label: str) -> None:
    assert source_label(source, language, explain_in) == label


def test_no_file_detail_reaches_the_label() -> None:
    label = source_label(CHAIN, "Spanish", "English")
    for detail in ("through", "reversed", "German", " and "):
        assert detail not in label
