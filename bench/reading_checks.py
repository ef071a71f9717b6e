"""Coherence and level-gradient figures of the offline engine over the starter library.

    uv run python -m bench.reading_checks [--lengths 100,300,600]

For every library text × A1…C2 × length it runs the engine's own selection and prints:
length within ±15% (where the source has enough words), dangling pronoun/connective
sentences, one-sentence paragraphs, unclosed quotations, mean word level and share of
words above B1 per level (strictly ordered?), and A1-vs-C2 sentence overlap at 300 words.
The figures are a check for engineers; docs/quality.md is the report users read.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from itertools import pairwise

from opad.engines.honesty import level_words
from opad.engines.leveler import TOLERANCE, LevelerEngine
from opad.engines.selection import paragraphs, select
from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.levels import Level
from opad.text import count_words, split_sentences
from opad.text.cohesion import depends_on_previous
from opad.text.estimator import LevelEstimator
from opad.text.sentences import _open_quote

LANGUAGES = {"en": "English", "de": "German", "es": "Spanish", "fr": "French"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lengths", default="100,300,600")
    args = parser.parse_args()
    lengths = [int(x) for x in args.lengths.split(",")]
    totals: dict[str, list[float]] = defaultdict(list)
    gradient_fail: list[str] = []
    for code, language in LANGUAGES.items():
        estimator = LevelEstimator(language)
        for slug, text in load_library(PACKAGED_LIBRARY, code):
            sentences = LevelerEngine._sentences(text.body, code)
            source_words = sum(s.words for s in sentences)
            for length in lengths:
                means, aboves, kept_by_level = [], [], {}
                for level in Level:
                    kept = select(code, sentences, estimator, level, length, TOLERANCE)
                    kept_by_level[level] = {s.index for s in kept}
                    paras = paragraphs(kept, sentences)
                    body = "\n\n".join(" ".join(p) for p in paras)
                    words = count_words(code, body)
                    if source_words >= length * (1 + TOLERANCE):
                        totals["length_ok"].append(abs(words - length) <= TOLERANCE * length)
                    kept_ids = {s.index for s in kept}
                    for position, s in enumerate(kept):
                        dangling = depends_on_previous(code, s.text) and (
                            position == 0 or s.index - 1 not in kept_ids
                        )
                        totals[f"dangling_{length}"].append(dangling)
                    for p in paras:
                        n = len(split_sentences(code, " ".join(p)))
                        totals[f"one_sentence_paragraphs_{length}"].append(n == 1)
                        totals["unclosed_quotes"].append(_open_quote(code, " ".join(p)))
                    found = level_words(code, estimator, body)
                    ranks = [lv.rank for _, lv in found]
                    means.append(statistics.mean(ranks))
                    aboves.append(sum(r > Level.B1.rank for r in ranks) / len(ranks))
                by_mean = all(a < b for a, b in pairwise(means))
                by_share = all(a < b for a, b in pairwise(aboves))
                totals[f"ordered_by_mean_{length}"].append(by_mean)
                totals[f"ordered_by_share_above_B1_{length}"].append(by_share)
                strictly = by_mean and by_share
                if not strictly:
                    gradient_fail.append(
                        f"{code}/{slug} {length}: mean "
                        + " ".join(f"{m:.2f}" for m in means)
                        + " | >B1 "
                        + " ".join(f"{a:.2f}" for a in aboves)
                    )
                a1, c2 = kept_by_level[Level.A1], kept_by_level[Level.C2]
                overlap = len(a1 & c2) / max(len(a1), 1)
                totals[f"overlap_a1_c2_{length}"].append(overlap)
                totals[f"overlap_a1_c2_at_most_20%_{length}"].append(overlap <= 0.2)
    for key in sorted(totals):
        values = totals[key]
        print(f"{key:32} {100 * sum(values) / len(values):6.1f}%  (n={len(values)})")
    print("\nnot strictly ordered:")
    for line in gradient_fail:
        print("  " + line)


if __name__ == "__main__":
    main()
