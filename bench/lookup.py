"""Word lookup latency: the dictionaries alone, and `GET /lookup` over HTTP (first, from a
dictionary, then from the cache), plus the reader's one-call states for a 1 500-word page.

    python -m bench.lookup [--quick]

Words: the distinct words of the shipped library texts (src/opad/library), per language.
Results in bench/results/lookup.json; figures in docs/benchmarks.md ("Word lookups").
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import ROOT, machine, opad_env, percentile, private_redis, save, start_api, stop
from opad.dictionaries import Dictionaries
from opad.text import lemma, words

PAIRS = (("de", "en"), ("fr", "en"), ("es", "en"), ("en", "en"), ("en", "de"))


def library_words(code: str, limit: int) -> list[str]:
    """Distinct words of the library's texts in `code`, shuffled with a fixed seed."""
    seen: dict[str, None] = {}
    for path in sorted((ROOT / "src" / "opad" / "library" / code).glob("*.md")):
        body = path.read_text().split("---", 2)[-1]
        for word in words(code, body):
            seen.setdefault(word, None)
    found = list(seen)
    random.Random(7).shuffle(found)
    return found[:limit]


def summary(values: list[float]) -> dict[str, float]:
    """Median, 95th percentile and maximum, in milliseconds."""
    return {
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "max_ms": max(values),
    }


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def dictionaries_alone(n: int) -> dict[str, Any]:
    """Per pair: the first lookup (opens the files) and then each lookup's latency."""
    result = {}
    for language, explain_in in PAIRS:
        d = Dictionaries([Path("/usr/share/dictd")])
        sample = library_words(language, n)
        lemmas = [lemma(language, w) for w in sample]  # lemmatizer warm-up outside the clock
        start = time.perf_counter()
        d.offline(language, lemmas[0], explain_in, sample[0])
        first = time.perf_counter() - start
        times, hits = [], 0
        for word, form in zip(sample, lemmas, strict=True):
            start = time.perf_counter()
            entry = d.offline(language, form, explain_in, word)
            times.append(ms(time.perf_counter() - start))
            hits += entry is not None
        d.close()
        result[f"{language}-{explain_in}"] = {
            "first_ms": ms(first), "words": len(sample), "found": hits, **summary(times)
        }  # fmt: skip
    return result


def over_http(n: int) -> dict[str, Any]:
    """GET /lookup on a real API (SQLite): first time (dictionary) and again (cache)."""
    with tempfile.TemporaryDirectory() as tmp, private_redis() as redis_server:
        data = Path(tmp)
        env = opad_env(data, redis_server.url)
        proc, url = start_api(env, data)
        try:
            out: dict[str, Any] = {}
            with httpx.Client(base_url=url, timeout=60) as client:
                for language, explain_in in PAIRS:
                    sample = library_words(language, n)
                    client.get("/lookup", params={"language": language, "word": sample[0]})
                    rounds: dict[str, list[float]] = {"dictionary": [], "cached": []}
                    for name in rounds:
                        for word in sample[1:]:
                            params = {"language": language, "word": word, "explain_in": explain_in}
                            start = time.perf_counter()
                            response = client.get("/lookup", params=params)
                            rounds[name].append(ms(time.perf_counter() - start))
                            assert response.status_code == 200, response.text
                            body = response.json()
                            # Two forms of one lemma share a cache row, so only the second
                            # round is checked: every entry found must come from the cache.
                            assert name == "dictionary" or body["cached"] or not body["entry"]
                    out[f"{language}-{explain_in}"] = {k: summary(v) for k, v in rounds.items()}
                lemmas = [f"w{i}" for i in range(1500)]
                times = []
                for _ in range(10):
                    start = time.perf_counter()
                    client.post("/words/states", json={"language": "de", "lemmas": lemmas})
                    times.append(ms(time.perf_counter() - start))
                out["states_1500_lemmas"] = summary(times)
            return out
        finally:
            stop(proc)


WORDS = 200


def run_once() -> dict[str, Any]:
    """One run of both measurements (what `bench.run_all` repeats)."""
    return {"dictionaries": dictionaries_alone(WORDS), "http": over_http(WORDS)}


def main() -> None:
    """Run the measurements (3 times; once with --quick) and print the report's section."""
    global WORDS
    quick = "--quick" in sys.argv
    WORDS = 40 if quick else 200
    runs = [run_once() for _ in range(1 if quick else 3)]
    print(save("lookup", runs))
    from bench.report import lookup_section

    print(json.dumps(machine()))
    print("\n".join(lookup_section(runs, [])))


if __name__ == "__main__":
    main()
