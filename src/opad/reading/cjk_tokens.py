"""Korean, Japanese and Chinese words of one block as typed tokens: the analyzer's
clickable words (`opad.text.cjk`) with their readings, kinds and a coarse part of speech.

The part of speech is the head morpheme's tag mapped to Universal Dependencies' UPOS:
Sejong tags (Kiwi), UniDic's first levels (SudachiPy), ICTCLAS tags (jieba). The reading
is what the reader shows over the word on demand: hiragana over words with kanji, pinyin,
and the Revised Romanization of Korean words.
"""

from __future__ import annotations

from opad.reading.model import Token, TokenKind

_KO_UPOS = {
    "NNG": "NOUN", "NNB": "NOUN", "NNP": "PROPN", "NR": "NUM", "NP": "PRON", "VV": "VERB",
    "VA": "ADJ", "VX": "AUX", "VCP": "AUX", "VCN": "AUX", "MM": "DET", "MAG": "ADV",
    "MAJ": "CCONJ", "IC": "INTJ", "XR": "NOUN", "SN": "NUM", "SL": "X", "SH": "X",
}  # fmt: skip
_JA_UPOS = {
    "名詞": "NOUN", "代名詞": "PRON", "動詞": "VERB", "形容詞": "ADJ", "形状詞": "ADJ",
    "副詞": "ADV", "連体詞": "DET", "接続詞": "CCONJ", "感動詞": "INTJ", "助詞": "ADP",
    "助動詞": "AUX", "接頭辞": "PART", "接尾辞": "PART", "補助記号": "PUNCT", "記号": "SYM",
}  # fmt: skip
_ZH_UPOS = {
    "n": "NOUN", "ng": "NOUN", "t": "NOUN", "f": "NOUN", "s": "NOUN", "nr": "PROPN",
    "nrfg": "PROPN", "nrt": "PROPN", "ns": "PROPN", "nt": "PROPN", "nz": "PROPN",
    "v": "VERB", "vn": "VERB", "vd": "VERB", "vg": "VERB", "a": "ADJ", "ad": "ADJ",
    "an": "ADJ", "ag": "ADJ", "b": "ADJ", "z": "ADJ", "d": "ADV", "dg": "ADV", "m": "NUM",
    "mq": "NUM", "q": "NOUN", "r": "PRON", "p": "ADP", "c": "CCONJ", "u": "PART",
    "y": "PART", "e": "INTJ", "o": "INTJ", "x": "X", "eng": "X",
}  # fmt: skip
_KINDS = {"content": TokenKind.CONTENT, "name": TokenKind.NAME, "number": TokenKind.NUMBER}


def upos(code: str, tag: str) -> str:
    """The UPOS of an analyzer's tag ("" when it has none)."""
    if code == "ko":
        if tag[:1] == "J":
            return "ADP"
        if tag[:1] == "E":
            return "PART"
        return _KO_UPOS.get(tag, "")
    if code == "ja":
        first, _, second = tag.partition(",")
        if first == "名詞" and second == "固有名詞":
            return "PROPN"
        if first == "名詞" and second == "数詞":
            return "NUM"
        return _JA_UPOS.get(first, "")
    return _ZH_UPOS.get(tag, "")


def cjk_tokens(code: str, text: str) -> list[Token]:
    """The clickable words of normalized `text` (ko, ja, zh), offsets into `text`."""
    from opad.text.cjk.facts import kind_of, lemma_reading
    from opad.text.cjk.morpheme import grammatical_form, is_kana_only
    from opad.text.cjk.units import token_groups

    out = []
    sep = " " if code == "zh" else ""
    for found, morphemes in token_groups(code, text):
        head = next((m for m in morphemes if m.is_content), morphemes[0])
        reading = sep.join(m.reading for m in morphemes if m.reading)
        # Furigana only over kanji: a word written in kana is read as written.
        if code == "ja" and is_kana_only(found.word):
            reading = ""
        elif code == "ko":  # Hangul is read as written: romanized for beginners
            reading = lemma_reading("ko", found.word)
        if reading == found.word:  # a word in Latin letters ("OPAD") needs none
            reading = ""
        out.append(
            Token(
                surface=found.word,
                start=found.start,
                end=found.end,
                lemma=found.lemma or found.word,
                reading=reading,
                kind=_KINDS.get(kind_of(code, head.pos, head.is_content), TokenKind.FUNCTION),
                pos=upos(code, head.pos),
                form=grammatical_form(code, morphemes),
            )
        )
    return out
