"""Every Korean, Japanese and Chinese starter text goes through the analyzers cleanly."""

from __future__ import annotations

import pytest

from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.text.cjk import analyze, count_units, split_sentences, tokenize
from opad.text.cjk.levels import cjk_word_level
from opad.text.normalize import normalize


@pytest.mark.parametrize("code", ["ko", "ja", "zh"])
def test_starter_texts_tokenize_with_exact_spans(code: str) -> None:
    texts = load_library(PACKAGED_LIBRARY, code)
    assert len(texts) >= 5
    for slug, text in texts:
        norm = normalize(text.body)
        tokens = tokenize(code, text.body)
        assert all(norm[t.start : t.end] == t.word for t in tokens), slug
        assert all(a.end <= b.start for a, b in zip(tokens, tokens[1:], strict=False)), slug
        assert all(t.lemma for t in tokens), slug
        morphemes = analyze(code, text.body)
        assert all(norm[m.start : m.end] == m.surface for m in morphemes), slug
        learnable = [m for m in morphemes if m.is_content]
        # Most of a news text's words are learnable, yet grammar is a real share too.
        assert 0.3 < len(learnable) / len(morphemes) < 0.8, slug
        # Starter texts are 600–1500 characters (issue 14), counted without spaces/punctuation.
        assert 600 <= count_units(code, text.body) <= 1500, (slug, count_units(code, text.body))
        sentences = [s for p in text.body.split("\n\n") for s in split_sentences(code, p)]
        assert len(sentences) >= 8, slug
        # Sentences keep every letter of the text, in order.
        assert "".join(sentences).replace(" ", "") == norm.replace(" ", "").replace("\n", ""), slug
        levels = {cjk_word_level(code, m.lemma, m.reading)[0] for m in learnable[:60]}
        assert len(levels) >= 2, slug
