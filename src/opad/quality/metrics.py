"""The quality report's measures: small pure functions over texts and word levels.

Texts are bodies with paragraphs separated by blank lines; sentences come from
opad.text.split_sentences, words and levels from the shared LevelEstimator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opad.levels import Level
from opad.quality.names import name_in_example
from opad.text import split_sentences
from opad.text.estimator import LevelEstimator, WordInfo
from opad.text.levels import english_list_level

# Words that open a sentence which leans on the one before it: pronouns, demonstratives
# and connectives. A kept sentence opening with one, whose source predecessor was dropped,
# "dangles" (its antecedent is gone). Lowercase, per ISO 639-1 code.
DANGLING_OPENERS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "he she it they this that these those there his her its their him them "
        "however but also so then yet therefore thus still moreover furthermore besides "
        "instead meanwhile otherwise and or nor such both neither",
        "de": "er sie es ihr ihm ihn ihnen dies diese dieser dieses das dort damit dabei "
        "daher deshalb deswegen dann doch aber auch außerdem trotzdem jedoch allerdings "
        "dafür davon darauf und oder sonst stattdessen",
        "es": "él ella ellos ellas esto este esta estos estas eso ese esa esos esas allí "
        "sin pero también además entonces así sin embargo por eso y o luego aun otros otras",
        "fr": "il elle ils elles ce cet cette ces cela ça celui celle ceux celles là mais "
        "aussi donc alors ainsi pourtant cependant toutefois ensuite puis et ou sinon en",
        "it": "lui lei loro esso essa questo questa questi queste quello quella quelli "
        "quelle lì là ma anche quindi allora così però tuttavia inoltre poi e o ciò",
        "pt": "ele ela eles elas isto isso este esta estes estas esse essa esses essas "
        "aquele aquela lá mas também além então assim porém contudo depois e ou",
        "nl": "hij zij ze het dit dat deze die daar hem haar hun maar ook dus toen daarom "
        "echter bovendien daarna en of zo",
        "ru": "он она оно они его её их ему ей им это этот эта эти тот та те там но "
        "также тоже поэтому поэтому однако затем потом и или так",
        "pl": "on ona ono oni one jego jej ich mu jemu to ten ta te tam ale także też "
        "więc dlatego jednak potem i lub albo tak",
        "hi": "वह वे यह ये उसने उन्होंने इसने इसलिए लेकिन परंतु मगर भी फिर और या तो",
    }.items()
}


def length_ratio(words: int, target: int) -> float:
    """Words delivered / words asked (1.0 is exact)."""
    return words / target if target else 0.0


def counted_words(estimator: LevelEstimator, text: str) -> list[WordInfo]:
    """The words of `text` a level is measured on: not names (a capitalised word inside a
    sentence, except in German) and not number words."""
    out: list[WordInfo] = []
    for sentence in sentences_of(estimator.code, text):
        for position, info in enumerate(estimator.words(sentence)):
            name = position > 0 and info.word[:1].isupper() and estimator.code != "de"
            if not name and not info.is_number:
                out.append(info)
    return out


def mean_word_level(infos: Sequence[WordInfo]) -> float:
    """Mean level of the words, A1 = 1 … C2 = 6 (0.0 for no words)."""
    return sum(i.level.rank + 1 for i in infos) / len(infos) if infos else 0.0


def share_above(infos: Sequence[WordInfo], level: Level) -> float:
    """Fraction (0–1) of the words above `level`."""
    return sum(i.level.rank > level.rank for i in infos) / len(infos) if infos else 0.0


def sentences_of(code: str, text: str) -> list[str]:
    """The sentences of a text, paragraph by paragraph."""
    return [
        s
        for paragraph in paragraphs_of(text)
        for s in split_sentences(code, " ".join(paragraph.split()))
    ]


def paragraphs_of(text: str) -> list[str]:
    """Non-empty paragraphs (blank-line separated)."""
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def words_per_sentence(estimator: LevelEstimator, text: str) -> float:
    """Mean words per sentence (0.0 for an empty text)."""
    sentences = sentences_of(estimator.code, text)
    words = sum(len(estimator.words(s)) for s in sentences)
    return words / len(sentences) if sentences else 0.0


def one_sentence_paragraph_share(code: str, text: str) -> float:
    """Fraction of paragraphs that are a single sentence (0.0 for an empty text)."""
    paragraphs = paragraphs_of(text)
    single = sum(len(split_sentences(code, " ".join(p.split()))) == 1 for p in paragraphs)
    return single / len(paragraphs) if paragraphs else 0.0


# Object pronouns written onto an infinitive or gerund in the first words ("Para
# solucionarlo", "Per farlo", "resolvê-lo"), and German da(r)+preposition adverbs: the
# report's own patterns (not opad.text.cohesion's), so a gap there is not shared.
_WRITTEN_ON = {
    "es": re.compile(
        r"\w+(?:ar|er|ir|ár|ér|ír|ando|ándo|iendo|iéndo)(?:se)?(?:lo|la|los|las|le|les)"
    ),
    "it": re.compile(r"\w+(?:ar|er|ir|ando|endo)(?:lo|la|li|le|ne)"),
    "pt": re.compile(r"\w+-(?:lo|la|los|las|lhe|lhes|o|a|os|as)"),
    "de": re.compile(
        r"dar?(?:an|auf|aus|bei|durch|für|gegen|in|mit|nach|über|um|unter|von|vor|zu)"
    ),
}


def opens_dangling(code: str, sentence: str) -> bool:
    """Does `sentence` open with a pronoun, demonstrative or connective of its language,
    or carry an object pronoun on a verb in its first three words?"""
    first = re.match(r"[\W_]*([^\W\d_][\w'’-]*)", sentence)
    if not first:
        return False
    if first.group(1).lower() in DANGLING_OPENERS.get(code, frozenset()):
        return True
    pattern = _WRITTEN_ON.get(code)
    opening = re.findall(r"[^\W\d_][\w'’-]*", sentence.split(",", 1)[0].lower())[:3]
    return pattern is not None and any(pattern.fullmatch(w) for w in opening)


def dangling_count(code: str, kept: Sequence[str], source: Sequence[str]) -> int:
    """Kept sentences that open with a pronoun/connective while the source sentence before
    them was dropped (or, for a sentence not found in the source, that open the text)."""
    position = {s: i for i, s in reversed(list(enumerate(source)))}
    kept_set = set(kept)
    count = 0
    for n, sentence in enumerate(kept):
        if not opens_dangling(code, sentence):
            continue
        index = position.get(sentence)
        if index is None:
            count += n == 0
        elif index > 0 and source[index - 1] not in kept_set:
            count += 1
    return count


def unclosed_quotes(text: str) -> int:
    """Paragraphs whose quotation marks do not balance: straight " in pairs, and the
    typographic pairs “…” (English), „…“ or „…” (German), «…» (French, Russian)."""
    return sum(not _quotes_balance(p) for p in paragraphs_of(text))


def _quotes_balance(paragraph: str) -> bool:
    if paragraph.count('"') % 2:
        return False
    stack: list[str] = []
    for ch in paragraph:
        if ch == "„" or ch == "«":
            stack.append(ch)
        elif ch == "“":
            if stack and stack[-1] == "„":
                stack.pop()  # German closing mark
            else:
                stack.append(ch)
        elif ch == "”":
            if not stack or stack[-1] not in "“„":
                return False
            stack.pop()
        elif ch == "»":
            if not stack or stack[-1] != "«":
                return False
            stack.pop()
    return not stack


def sentence_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Shared sentences / sentences of the shorter of two texts (0–1)."""
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(set(a)), len(set(b)))


def vocabulary_fault(
    code: str, word: str, lemma: str, is_number: bool, example: str = ""
) -> str | None:
    """Why a vocabulary item should not be listed ("number", "name"), or None.

    Names are judged by the report's own check (opad.quality.names: gender-guesser's
    first names and the example sentence), not the engine's rule, so that the report
    can see what the engine misses."""
    if any(ch.isdigit() for ch in word) or is_number:
        return "number"
    return "name" if name_in_example(code, word, example) else None


def english_item_ok(lemma: str, word: str, level: Level) -> bool | None:
    """Is an English vocabulary item at or above `level` by the English learner list?
    None when the list knows neither form."""
    listed = english_list_level(lemma.lower()) or english_list_level(word.lower())
    return None if listed is None else listed.rank >= level.rank
