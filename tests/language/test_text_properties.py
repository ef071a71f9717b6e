"""Property-based: any Unicode text, in any normalization form, gives the same words."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opad.text import count_words, normalize, split_sentences, tokenize, words

# Letters, combining marks, digits, punctuation, spaces and the invisible characters
# pasted text carries; plus whole characters from any plane.
_PIECES = st.one_of(
    st.characters(),
    st.sampled_from(
        ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u0301", "\u0308",
         "\u093e", "\u094d", "\u0939", "é", "ß", "'", "’", "-", ".", " ", "\n", "«", "»"]
    ),
)  # fmt: skip
TEXTS = st.lists(_PIECES, max_size=80).map("".join)
FORMS = st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])
CODES = st.sampled_from(["en", "de", "fr", "hi", "it", "ru"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, code=CODES)
def test_words_are_substrings_of_the_normalized_text(text: str, code: str) -> None:
    norm = normalize(text)
    assert norm == unicodedata.normalize("NFC", norm)
    for token in tokenize(code, text):
        assert norm[token.start : token.end] == token.word
        assert token.word and token.word in norm
    if norm == unicodedata.normalize("NFC", text):  # nothing invisible was removed
        assert all(w in unicodedata.normalize("NFC", text) for w in words(code, text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, code=CODES, form=st.sampled_from(["NFC", "NFD"]))
def test_word_count_does_not_depend_on_normalization(text: str, code: str, form: str) -> None:
    other = unicodedata.normalize(form, text)
    assert words(code, other) == words(code, text)
    assert count_words(code, other) == count_words(code, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, code=CODES, form=FORMS)
def test_sentences_keep_every_word(text: str, code: str, form: str) -> None:
    sentences = split_sentences(code, unicodedata.normalize(form, text))
    assert sum(count_words(code, s) for s in sentences) == count_words(
        code, unicodedata.normalize(form, text)
    )
