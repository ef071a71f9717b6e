"""Korean morphemes with Kiwi (kiwipiepy + kiwipiepy_model: model inside the wheel).

Kiwi gives Sejong tags (NNG noun, VV verb, VA adjective, MAG adverb, J* particles, E*
endings, X* affixes) with character positions into the input, so spans map back to the
text even when a stem and an ending share one syllable (갔 = 가 + 었). A noun or root
followed by the derivational suffix 하/되 (XSV, XSA) is one word for a learner: 공부했다
→ 공부하다, 깨끗한 → 깨끗하다.
"""

from __future__ import annotations

import threading
from typing import Any

from opad.text.cjk.morpheme import Morpheme, chunks, load_once

_CACHE: dict[str, Any] = {}
# Kiwi's C++ core is shared; one call at a time keeps it safe across worker threads.
_CALL_LOCK = threading.Lock()

# Learnable: common nouns, verbs, adjectives, adverbs (general and conjunctive), roots.
CONTENT_TAGS = ("NNG", "VV", "VA", "MAG", "MAJ", "XR")
# Suffixes that make a verb or adjective of the word before them (하다, 되다, 시키다).
DERIVING_TAGS = ("XSV", "XSA")
VERBAL_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA")


def kiwi() -> Any:
    """The process's one Kiwi instance (~1.7 s to load the first time)."""

    def build() -> Any:
        from kiwipiepy import Kiwi

        return Kiwi()

    return load_once(_CACHE, "kiwi", build)


def _base(tag: str) -> str:
    # Kiwi marks (ir)regular conjugation on the tag: VV-I, VA-R.
    return tag.split("-", 1)[0]


def analyze(text: str) -> list[Morpheme]:
    """Morphemes of NFC `text` with spans, lemmas (갔 → 가다) and content flags."""
    out: list[Morpheme] = []
    for offset, piece in chunks(text):
        with _CALL_LOCK:
            tokens = kiwi().tokenize(piece)
        for tok in tokens:
            tag = _base(str(tok.tag))
            start = offset + int(tok.start)
            end = start + int(tok.len)
            form = str(tok.form)
            lemma = str(getattr(tok, "lemma", "") or form)
            if tag in VERBAL_TAGS and not lemma.endswith("다"):
                lemma = form + "다"
            prev = out[-1] if out else None
            if (
                tag in DERIVING_TAGS
                and prev is not None
                and prev.pos in ("NNG", "XR")
                and prev.end >= start
            ):
                out[-1] = Morpheme(
                    text[prev.start : max(end, prev.end)],
                    prev.start,
                    max(end, prev.end),
                    prev.lemma + lemma,
                    "",
                    f"{prev.pos}+{tag}",
                    True,
                )
                continue
            out.append(Morpheme(text[start:end], start, end, lemma, "", tag, tag in CONTENT_TAGS))
    return out


def split_sentences(text: str) -> list[str]:
    """Kiwi's sentence splitter (keeps "…요!"라고 quotations with their sentence)."""
    out: list[str] = []
    for offset, piece in chunks(text):
        with _CALL_LOCK:
            sents = kiwi().split_into_sents(piece)
        out.extend(
            s
            for s in (text[offset + int(x.start) : offset + int(x.end)].strip() for x in sents)
            if s
        )
    return out
