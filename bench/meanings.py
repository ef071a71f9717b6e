"""Meanings: how many words of real readings get one, and how fast, per language.

    OPAD_DATA_DIR=var python -m bench.meanings [--texts N] [--write docs/dictionaries.md]

Needs the dictionaries installed (`opad dictionaries add`, or `--from-system` after
scripts/ensure-debs). For each language OPAD ships meanings for, the offline engine makes
readings (A2 and B1, 300 words) from the report's sources (the starter library; the
report's own texts for Italian and Portuguese), as `python -m opad.quality.vocab_report`
does. Measured:

- *vocabulary items*: items of the readings' lists whose lemma an installed dictionary
  explains in English (looked up as the popover does, with the item's example sentence);
- *content words*: distinct lemmas of the readings' content tokens (not function words,
  names or numbers), looked up with their sentence and part of speech;
- *first lookup*: a fresh process's first lookup in the language (opening the index),
  median of 3 processes; *p95*: the 95th percentile of 200 lookups after it, in-process.

Writes a table between `<!-- coverage:start -->` and `<!-- coverage:end -->` in the
given markdown file (default: prints it).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from opad.dictionaries import Dictionaries
from opad.dictionaries.install import MEANING_LANGUAGES, NAMES
from opad.settings import Settings

FIRST = """
import sys, time
from pathlib import Path
from opad.dictionaries import Dictionaries
d = Dictionaries([Path(p) for p in sys.argv[2:]])
d.indexes()
start = time.perf_counter()
d.offline(sys.argv[1], {word!r}, "en", {word!r})
print((time.perf_counter() - start) * 1000)
"""
PROBE = {"de": "gehen", "en": "open", "es": "comer", "fr": "aller", "it": "casa",
         "ja": "行く", "ko": "하지만", "pt": "casa", "zh": "老人"}  # fmt: skip


def readings(
    texts: int,
) -> dict[str, tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]]]]:
    """Per language: (vocabulary items as (lemma, word, example), content tokens as
    (lemma, surface, pos, sentence))."""
    from opad.engines import build_engine
    from opad.engines.base import GenerationRequest
    from opad.levels import Level
    from opad.quality.vocab_report import _sources
    from opad.reading.analyze import analyze
    from opad.reading.model import TokenKind

    engine = build_engine(Settings(_env_file=None, OPAD_ENGINE="offline"))  # type: ignore[call-arg]
    out: dict[str, tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]]]] = {}
    for code, language, name, body in _sources(texts):
        if code not in MEANING_LANGUAGES:
            continue
        items, tokens = out.setdefault(code, ([], []))
        for level in (Level.A2, Level.B1):
            request = GenerationRequest(
                language=language, level=level, length=300, topic="", source_text=body
            )
            result = engine.generate(request, lambda p, m: None)
            items += [(v.lemma, v.word, v.example) for v in result.vocabulary]
            typed = analyze(result.markdown, code, result.vocabulary)
            for paragraph in typed.paragraphs:
                for sentence in paragraph.sentences:
                    for t in sentence.tokens:
                        if t.is_word and t.kind == TokenKind.CONTENT:
                            tokens.append((t.lemma or t.surface, t.surface, t.pos, sentence.text))
        print(f"{name}: {len(items)} items, {len(tokens)} tokens", file=sys.stderr)
    return out


def first_lookup_ms(code: str, folders: list[Path]) -> float:
    """Median over 3 fresh processes of the first lookup's time (ms)."""
    times = []
    for _ in range(3):
        script = FIRST.format(word=PROBE[code])
        run = subprocess.run(
            [sys.executable, "-c", script, code, *map(str, folders)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        times.append(float(run.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def table(texts: int) -> list[str]:
    settings = Settings()
    folders = settings.dictionary_folders
    d = Dictionaries(folders)
    found = readings(texts)
    lines = [
        "| language | dictionaries (→ English) | vocabulary items with a meaning | "
        "content words with a meaning | first lookup (ms) | p95 after (ms) |",
        "|---|---|---|---|---|---|",
    ]
    covered = {(p["language"]): p["source"] for p in d.coverage() if p["explain_in"] == "en"}
    for code in MEANING_LANGUAGES:
        items, tokens = found.get(code, ([], []))
        item_keys = {(lemma, word): example for lemma, word, example in items}
        have_items = sum(
            1
            for (lemma, word), example in item_keys.items()
            if d.offline(code, lemma, "en", word, "", example)
        )
        distinct: dict[str, tuple[str, str, str]] = {}
        for lemma, surface, pos, sentence in tokens:
            distinct.setdefault(lemma, (surface, pos, sentence))
        have_words = 0
        times = []
        for lemma, (surface, pos, sentence) in distinct.items():
            start = time.perf_counter()
            entry = d.offline(code, lemma, "en", surface, pos, sentence)
            times.append((time.perf_counter() - start) * 1000)
            have_words += entry is not None
        p95 = statistics.quantiles(times[:200], n=20)[18] if len(times) >= 20 else float("nan")
        first = first_lookup_ms(code, folders)

        def share(part: int, whole: int) -> str:
            return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "no readings"

        lines.append(
            f"| {NAMES[code]} ({code}) | {covered.get(code, 'none')} | "
            f"{share(have_items, len(item_keys))} | {share(have_words, len(distinct))} | "
            f"{first:.1f} | {p95:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=2, help="source texts per language")
    parser.add_argument("--write", type=Path, help="markdown file to write the table into")
    args = parser.parse_args()
    lines = table(args.texts)
    if not args.write:
        print("\n".join(lines))
        return
    text = args.write.read_text(encoding="utf-8")
    start, end = "<!-- coverage:start -->", "<!-- coverage:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    args.write.write_text(
        head + start + "\n" + "\n".join(lines) + "\n" + end + tail, encoding="utf-8"
    )
    print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
