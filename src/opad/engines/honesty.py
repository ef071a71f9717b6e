"""What a reading honestly is: measured after leveling, told to the learner in their terms.

The offline engine can only choose sentences; when the source has no easier ones, the
reading stays harder than asked, and when the reading is nearly the whole source nothing
was left out to suit the level. Both are said, as is a text in another language than the
one chosen.
"""

from __future__ import annotations

from opad.languages import find_language, language_by_name
from opad.levels import Level
from opad.text import length_unit, words
from opad.text.estimator import LevelEstimator
from opad.text.kinds import abbreviations, is_number_word, names
from opad.text.language import written_in_another_language

WHOLE_SOURCE = 0.9  # a reading with this share of the source's words was hardly chosen
EXAMPLES = 4


def level_words(code: str, estimator: LevelEstimator, text: str) -> list[tuple[str, Level]]:
    """(word, level) of the words of `text` a learner has to know: names, numbers written
    as words and abbreviations are left out (they are not vocabulary)."""
    skip = names(code, text) | abbreviations(code, text)
    out = []
    for word in words(code, text):
        if word in skip or is_number_word(code, word):
            continue
        out.append((word, estimator.word(word).level))
    return out


def level_warnings(
    code: str,
    estimator: LevelEstimator,
    body: str,
    level: Level,
    kept_words: int,
    source_words: int,
) -> list[str]:
    """Learner-facing warnings about the level of a finished reading (empty when it suits)."""
    found = level_words(code, estimator, body)
    measured = estimator.text_level(body)
    unit = length_unit(code)  # kept_words, source_words: characters in ko/ja/zh
    nearly_whole = source_words > 0 and kept_words >= WHOLE_SOURCE * source_words
    whole_note = (
        f" The reading is almost the whole source ({kept_words} of {source_words} {unit}), "
        "so there was little to leave out; a shorter reading can be chosen more closely "
        "for your level."
    )
    if measured.rank > level.rank:
        above = [w for w, lv in found if lv.rank > level.rank]
        share = round(100 * len(above) / len(found))
        examples: list[str] = []
        for word in above:
            if word.lower() not in (e.lower() for e in examples):
                examples.append(word)
            if len(examples) == EXAMPLES:
                break
        return [
            f"This text is harder than {level.value}: about {share}% of its words are above "
            f"{level.value} (for example {', '.join(examples)}); it reads at about "
            f"{measured.value}." + (whole_note if nearly_whole else "")
        ]
    if nearly_whole and level.rank < Level.C1.rank:
        return [
            f"This reading is almost the whole source text ({kept_words} of {source_words} "
            f"{unit}): little could be left out to suit {level.value}."
        ]
    return []


def language_warning(language: str, text: str) -> str | None:
    """A warning when `text` is clearly written in another language than `language`."""
    chosen = language_by_name(language)
    other = written_in_another_language(chosen.code, text)
    if other is None:
        return None
    found = find_language(other)
    other_name = found.name if found else f"another language ({other})"
    return (
        f"This text seems to be written in {other_name}, not {chosen.name}: its words were "
        f"leveled as {chosen.name}, so levels and vocabulary may be wrong."
    )
