"""Japanese as it is read aloud, in hiragana: for engines that read kana but not kanji.

espeak-ng's Japanese voice reads kana only (each kanji becomes the English words "Chinese
letter"). SudachiPy (already OPAD's Japanese analyzer, dictionary inside the wheel) gives
each word's reading; the particles は, へ and を are then written as they are said (わ, え,
お), since the dictionary gives their spelling. Pitch accent is lost: readable, not natural.
"""

from __future__ import annotations

from opad.text.cjk.japanese import analyze

# Particles spelled one way and said another (the only ones in modern kana usage).
_SAID = {"は": "わ", "へ": "え", "を": "お"}


def kana_reading(text: str) -> str:
    """`text` in hiragana as spoken; punctuation is kept (the engine pauses at it), words
    with no reading (a Latin acronym Sudachi does not know) are kept as written."""
    out: list[str] = []
    for m in analyze(text):
        if m.pos.startswith("助詞") and m.surface in _SAID:
            out.append(_SAID[m.surface])
        elif m.reading:
            out.append(m.reading)
        else:
            out.append(m.surface)
    return "".join(out)
