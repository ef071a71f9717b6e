"""The learner-side sections of docs/benchmarks.md: first words, tokens, audio, known words.

Each renderer takes the saved runs of its benchmark (bench/results/<name>.json, a list of
runs as `bench.run_all.repeat` writes it) and the target table's rows, appends its
verdicts and returns its markdown lines.
"""

from __future__ import annotations

import statistics
from typing import Any

# gpt-4.1-mini's list price, US dollars per million prompt / completion tokens (OpenAI's
# pricing page, 2026): what the cost line uses to turn the token counts into money.
PRICE_PER_MILLION = (0.40, 1.60)
FIRST_SENTENCE_TARGET_S = 1.0


def _fmt(values: list[float], digits: int = 2) -> str:
    if not values:
        return "–"
    mid = statistics.median(values)
    if len(values) == 1:
        return f"{mid:.{digits}f}"
    return f"{mid:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _n(value: float) -> str:
    """A count with a thin space between thousands, as the rest of the report writes them."""
    return f"{value:,.0f}".replace(",", " ")


def _verdict(target: str, met: bool, value: str) -> str:
    return f"| {target} | {value} | {'met' if met else '**missed**'} |"


def first_words_section(runs: list[Any], verdicts: list[str]) -> list[str]:
    """§8: rows of every run (each run is several readings on one stack)."""
    rows = [row for run in runs for row in run.get("rows", [])]
    for r in rows:
        if r.get("first_sentence_s") and r.get("opened_s"):
            r["ratio"] = r["first_sentence_s"] / r["opened_s"]

    def col(key: str) -> list[float]:
        return [float(r[key]) for r in rows if r.get(key) is not None]

    rate, latency = runs[0].get("rate", 30), runs[0].get("latency", 1.0)
    lag = col("screen_lag_s")
    lines = [
        "## 8. First words on screen",
        "",
        "`bench/first_words.py`: real `opad api`, `opad worker` (engine `crew`) and `opad web` "
        "processes on a private Redis and SQLite; Chromium (Debian's, through Playwright) fills "
        "in the form (English, B1, 150 words) and watches the job page. The scripted "
        f"OpenAI-compatible server of the test suite waits {latency:g} s before each answer (the "
        f"first token's latency) and streams text at {rate:g} tokens a second (about four "
        "characters a token); the finder's and picker's answers are not streamed (OPAD asks "
        "only the writer to stream). One warm-up reading, then "
        f"{len(rows)}; seconds from the click on *Make my reading*, median (range):",
        "",
        "| writer's first sentence sent | first sentence on screen | on screen − sent "
        "| job done on the page | finished article open | first sentence / article open |",
        "|---|---|---|---|---|---|",
        f"| {_fmt(col('written_s'))} | {_fmt(col('first_sentence_s'))} | {_fmt(lag, 3)} "
        f"| {_fmt(col('done_s'))} | {_fmt(col('opened_s'))} | **{_fmt(col('ratio'))}×** |",
        "",
        "- *Sent* is the scripted server's clock when it flushed the chunk that ends the body's "
        "first sentence; *on screen* is the browser's clock (same machine) when the job page's "
        "growing reading first held a full sentence (a MutationObserver).",
        "- Without streaming the first words a learner saw were the finished article's: the "
        "*article open* column of the same run; the last column is the ratio.",
        "",
    ]
    if lag:
        worst = max(lag)
        verdicts.append(
            _verdict(
                "first sentence on screen ≤ 1 s after the writer wrote it (§8)",
                worst <= FIRST_SENTENCE_TARGET_S,
                f"{statistics.median(lag) * 1000:.0f} ms (worst {worst * 1000:.0f} ms)",
            )
        )
    return lines


def tokens_section(runs: list[Any], verdicts: list[str]) -> list[str]:
    """§9: LLM calls and tokens per step; the scripted server counts them (deterministic)."""
    run = runs[-1]
    prompt_price, completion_price = PRICE_PER_MILLION
    lines = [
        "## 9. Tokens per reading",
        "",
        "`bench/tokens.py`: one crew run in-process against the scripted server and the suite's "
        "local news site (news pages of about 600 words), B1, 150 words. The scripted server "
        "counts a token per 4 bytes of each request and answer (deterministic: the same code "
        "gives the same figures); OPAD's own count (the article's `usage`, summed from each "
        "call's report) is beside it as a check.",
        "",
        "| reading | step | calls | prompt tokens | completion tokens | OPAD's count |",
        "|---|---|---|---|---|---|",
    ]
    costs = []
    for kind, figures in run.items():
        prompt = completion = 0
        for step, v in figures["steps"].items():
            prompt += v["prompt_tokens"]
            completion += v["completion_tokens"]
            lines.append(
                f"| {kind} | {step} | {v['calls']} | {_n(v['prompt_tokens'])} "
                f"| {_n(v['completion_tokens'])} | {_n(v['opad_counted_total'])} |"
            )
        cost = (prompt * prompt_price + completion * completion_price) / 1e6
        costs.append(f"{kind}: {_n(figures['total_tokens'])} tokens, ${cost:.4f}")
    lines += [
        "",
        f"- Per reading at gpt-4.1-mini's list price ({prompt_price:.2f} / "
        f"{completion_price:.2f} $ per million prompt / completion tokens): "
        + "; ".join(costs)
        + ".",
        "- Cut earlier (2026-11-29): the picker reads what the search tool showed the finder "
        "(the first 120 words and the length of each article), not every article in full; "
        "only the writer gets the chosen article, once. News reading 9 341 → 7 842 tokens "
        "(0.84×); the questions step (added since) costs about 1 750 more. What remains "
        "is mostly CrewAI's own framing (system prompt, task, expected "
        "output) and the JSON schemas of structured output, sent with every call.",
        "- With `OPAD_LLM_PRICES` set, each reading records its cost; the reader shows it and "
        "the usage page (`/usage`, API `GET /usage`) adds up a learner's readings.",
        "",
    ]
    return lines


def audio_section(runs: list[Any], verdicts: list[str]) -> list[str]:
    """§7: seconds of speech per CPU second (bench/audio.py summarises its own repeats)."""
    run = runs[-1]
    lines = [
        "## 7. Audio",
        "",
        "`python -m bench.audio`: a ~300-word reading per language (the first whole paragraphs "
        "of a shipped library text) read aloud the way the worker's audio step does it — the "
        "reader's sentences, one espeak-ng run per sentence, the clips joined, Opus/Ogg by "
        "ffmpeg at 32 kb/s. CPU is user + system time of the process and its children; *audio "
        f"s per CPU s* is the seconds of speech per CPU second. Median of {run.get('runs', 3)} "
        "(range).",
        "",
        "| language | words | sentences | audio (s) | file (KB) | CPU (s) | wall (s) "
        "| audio s per CPU s |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def s(v: dict[str, float], digits: int = 2, scale: float = 1.0) -> str:
        return _fmt([v["median"] / scale, v["min"] / scale, v["max"] / scale], digits)

    for code, r in run["languages"].items():
        lines.append(
            f"| {code} | {r['words']} | {r['sentences']} | {r['audio_s']['median']:.1f} "
            f"| {r['bytes']['median'] / 1024:.0f} | {s(r['cpu_s'])} | {s(r['wall_s'], 1)} "
            f"| **{s(r['audio_s_per_cpu_s'], 1)}** |"
        )
    lines += [
        "",
        "Wall time waits for a core on a loaded machine; the ratio, not the wall time, is the "
        "figure to compare. The default `OPAD_AUDIO_TIMEOUT` (120 s) leaves room for that.",
        "",
    ]
    return lines


def known_share_section(runs: list[Any], verdicts: list[str]) -> list[str]:
    """§11: known-words share of a library page, from the reading index."""
    # `make bench` saves `measure`'s figures; `python -m bench.known_share` nests them.
    sqlite = [r.get("sqlite", r) for r in runs]
    first = sqlite[0]

    def col(get: Any) -> str:
        return _fmt([float(get(r)) for r in sqlite], 1)

    lines = [
        "## 10. Known words %",
        "",
        f"`python -m bench.known_share`, in process on SQLite: {first['readings']} ready "
        "readings (the shipped English library texts, round robin) and a learner who knows "
        f"every lemma of half of those texts ({_n(first['known_lemmas'])} lemmas). Each "
        "reading's words by lemma are indexed once (`reading_index`, `reading_lemmas`; a worker "
        "does it as it finishes a reading); a library page then gets every reading's share "
        "from the index. Milliseconds, median of the runs (range).",
        "",
        "| what | time (ms) |",
        "|---|---|",
        f"| indexing all readings (warm lemmatizer) "
        f"| {col(lambda r: r['index_all_readings_ms'])} |",
        f"| SQL of a 50-reading page with shares (all its statements) "
        f"| {col(lambda r: sum(r['sql_statements_ms']['page_of_50']))} |",
        f"| page of 50 with shares, whole `list_articles`, p50 "
        f"| {col(lambda r: r['page_of_50']['p50_ms'])} |",
        f'| "known words ≥ 80%" filter, p50 '
        f"| {col(lambda r: r['page_of_50_known_min_80']['p50_ms'])} |",
        f"| one reading's detail with its share, p50 "
        f"| {col(lambda r: r['one_reading_detail']['p50_ms'])} |",
        "",
        "The page's shares cost the same for 5 or 50 readings "
        "(`tests/integration/test_known_words.py` counts the statements). The filter joins the "
        "learner's known words to every candidate reading, so it grows with the library and "
        "the vocabulary — the figure to watch for a large library.",
        "",
    ]
    return lines
