"""Audio: seconds of speech produced per CPU second, per voice, a 300-word reading.

    python -m bench.audio [--runs N]          # espeak-ng and Open JTalk → audio.json
    python -m bench.audio --kokoro            # Kokoro-82M alone → audio-kokoro.json

The reading: the first ~300 words (whole paragraphs) of a shipped library text per
language, as markdown (Japanese and Chinese: ~300 characters). Timed: the whole audio
step's work — the reader's sentences (opad.audio.script, in words: opad.speech.normalize),
the voice once per sentence, joining, ffmpeg's Opus encoding — in this process and its
children (resource.getrusage SELF + CHILDREN: user + system CPU). Voices: espeak-ng for
every language, Open JTalk for Japanese; with --kokoro only Kokoro-82M for Japanese (one
run of the first paragraph: it is slow). A voice's model is loaded by a warm-up run
outside the clock. Results in bench/results/audio.json and audio-kokoro.json; figures in
docs/benchmarks.md ("Audio").
"""

from __future__ import annotations

import resource
import sys
import time
from typing import Any

from bench.common import ROOT, machine, save, summary
from opad.audio.script import spoken_sentences, spoken_text
from opad.reading.analyze import analyze
from opad.speech.base import Synthesizer
from opad.speech.espeak import EspeakSynthesizer
from opad.text import count_words

TEXTS = {"en": "city-parks.md", "de": None, "es": None, "fr": None, "ko": None, "ja": None}
TEXTS |= {"zh": None}
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


def one_run(synth: Synthesizer, code: str, markdown: str) -> dict[str, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    # The job's steps: the reading analyzed, its typed sentences spoken.
    spoken = [spoken_text(text, code) for _, text in spoken_sentences(analyze(markdown, code))]
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


def voices(kokoro: bool) -> list[tuple[str, Synthesizer, int]]:
    """(language, voice, runs-or-0 for the default) to measure."""
    from opad.speech.japanese import KokoroJapaneseSynthesizer, OpenJTalkSynthesizer

    if kokoro:
        return [("ja", KokoroJapaneseSynthesizer(), 1)]
    espeak = EspeakSynthesizer()
    out: list[tuple[str, Synthesizer, int]] = [(code, espeak, 0) for code in TEXTS]
    out.append(("ja", OpenJTalkSynthesizer(), 0))
    return out


def main(runs: int = 3, kokoro: bool = False) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "runs": runs, "languages": {}}
    for code, synth, own_runs in voices(kokoro):
        markdown, words = reading(code)
        warm_up = markdown
        if own_runs:  # a slow voice: the first paragraph, once; a short warm-up
            head = markdown.split("\n\n")
            markdown, words = "\n\n".join(head[:2]) + "\n", count_words(code, head[1])
            warm_up = head[0] + "\n\n" + head[1].split("。")[0] + "。\n"
        one_run(synth, code, warm_up)  # warm-up: models, segmenter, lemmatizer load here
        measured = [one_run(synth, code, markdown) for _ in range(own_runs or runs)]
        key = f"{code} {synth.name}"
        results["languages"][key] = {
            "words": words,
            "sentences": measured[0]["sentences"],
            **{
                key: summary([m[key] for m in measured])
                for key in ("wall_s", "cpu_s", "audio_s", "bytes", "audio_s_per_cpu_s",
                            "realtime_factor")
            },
        }  # fmt: skip
        r = results["languages"][key]
        print(
            f"{key}: {words} words, {r['sentences']} sentences → "
            f"{r['audio_s']['median']:.1f} s of audio, {r['bytes']['median'] / 1024:.0f} KB, "
            f"wall {r['wall_s']['median']:.2f} s, CPU {r['cpu_s']['median']:.2f} s, "
            f"{r['audio_s_per_cpu_s']['median']:.1f} audio s per CPU s "
            f"({r['audio_s_per_cpu_s']['min']:.1f}–{r['audio_s_per_cpu_s']['max']:.1f})",
            flush=True,
        )
    print(f"results: {save('audio-kokoro' if kokoro else 'audio', results)}", flush=True)
    return results


if __name__ == "__main__":
    main(
        int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3,
        kokoro="--kokoro" in sys.argv,
    )
