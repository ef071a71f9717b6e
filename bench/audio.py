"""Audio: seconds of speech produced per CPU second, espeak-ng, a 300-word reading.

    python -m bench.audio [--runs N]

The reading: the first ~300 words (whole paragraphs) of a shipped library text per
language, as markdown. Timed: the whole audio step's work — the reader's sentences
(opad.audio.script), espeak-ng once per sentence, joining, ffmpeg's Opus encoding — in
this process and its children (resource.getrusage SELF + CHILDREN: user + system CPU).
Results in bench/results/audio.json; figures in docs/benchmarks.md ("Audio").
"""

from __future__ import annotations

import resource
import sys
import time
from typing import Any

from bench.common import ROOT, machine, save, summary
from opad.audio.script import spoken_sentences
from opad.reading.analyze import analyze
from opad.speech.espeak import EspeakSynthesizer
from opad.text import count_words

TEXTS = {"en": "city-parks.md", "de": None, "es": None, "fr": None}
WORDS = 300


def reading(code: str) -> tuple[str, int]:
    """~WORDS words of a library text in `code` (whole paragraphs) as markdown, and its
    word count."""
    folder = ROOT / "src" / "opad" / "library" / code
    name = TEXTS.get(code) or sorted(p.name for p in folder.glob("*.md"))[0]
    body = (folder / name).read_text().split("---", 2)[-1]
    kept: list[str] = []
    total = 0
    for paragraph in (p.strip() for p in body.split("\n\n") if p.strip()):
        if total >= WORDS:
            break
        kept.append(paragraph)
        total += count_words(code, paragraph)
    return "# A reading\n\n" + "\n\n".join(kept) + "\n", total


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one_run(synth: EspeakSynthesizer, code: str, markdown: str) -> dict[str, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    # The job's steps: the reading analyzed, its typed sentences spoken.
    spoken = [text for _, text in spoken_sentences(analyze(markdown, code))]
    audio = synth.synthesize(code, spoken)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "audio_s": audio.duration,
        "bytes": len(audio.data),
        "sentences": len(spoken),
        "audio_s_per_cpu_s": audio.duration / cpu,
        "realtime_factor": audio.duration / wall,
    }


def main(runs: int = 3) -> dict[str, Any]:
    synth = EspeakSynthesizer()
    results: dict[str, Any] = {"machine": machine(), "runs": runs, "languages": {}}
    for code in TEXTS:
        markdown, words = reading(code)
        one_run(synth, code, markdown)  # warm-up: segmenter and lemmatizer load outside the clock
        measured = [one_run(synth, code, markdown) for _ in range(runs)]
        results["languages"][code] = {
            "words": words,
            "sentences": measured[0]["sentences"],
            **{
                key: summary([m[key] for m in measured])
                for key in ("wall_s", "cpu_s", "audio_s", "bytes", "audio_s_per_cpu_s",
                            "realtime_factor")
            },
        }  # fmt: skip
        r = results["languages"][code]
        print(
            f"{code}: {words} words, {r['sentences']} sentences → "
            f"{r['audio_s']['median']:.1f} s of audio, {r['bytes']['median'] / 1024:.0f} KB, "
            f"wall {r['wall_s']['median']:.2f} s, CPU {r['cpu_s']['median']:.2f} s, "
            f"{r['audio_s_per_cpu_s']['median']:.1f} audio s per CPU s "
            f"({r['audio_s_per_cpu_s']['min']:.1f}–{r['audio_s_per_cpu_s']['max']:.1f})"
        )
    print(f"results: {save('audio', results)}")
    return results


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3)
