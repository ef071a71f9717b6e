"""First words on screen: when a learner sees the first sentence, against when the job ends.

Real `opad api`, `opad worker` (engine `crew`) and `opad web` processes on a private Redis
and SQLite; the test suite's scripted OpenAI-compatible server answers every completion
after `--latency` s (the first token's latency) and streams text at `--rate` tokens a
second (about four characters a token); the news site is the suite's local one. Chromium
(Debian's, driven by Playwright) submits the form and watches the job page. Per job:

- written: the scripted server sent the end of the writer's first sentence;
- on screen: the job page's growing reading first holds that sentence (MutationObserver,
  the browser's clock; same machine, same wall clock as the server's);
- done: the job's terminal status reached the page; opened: the finished article loaded.

Before streaming, the first words a learner saw were the finished article's: "opened" is
that figure, measured in the same run, so first-sentence/opened is the before/after ratio.

    uv run --no-sync python bench/first_words.py [--runs 3] [--rate 30] [--latency 1.0]

Writes bench/results/first_words.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import save  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.crew.conftest import TELEMETRY_OFF, crew_values  # noqa: E402
from tests.crew.fake_llm import FakeLLM  # noqa: E402
from tests.crew.fake_news import FakeNews  # noqa: E402
from tests.processes import Stack, base_env, free_port, http_ok, wait_until  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
FIRST_SENTENCE = re.compile(r"^.*?[.!?](?=\s|$)", re.S)

# Browser-side clocks: the first text, the first full sentence, the terminal status.
_WATCH = """
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("job-reading-text");
  const root = document.getElementById("job");
  if (!text || !root) return;
  const seen = (window.__seen = {});
  new MutationObserver(() => {
    const t = text.textContent;
    if (!seen.text && t.trim()) seen.text = Date.now();
    if (!seen.sentence && /[.!?](\\s|$)/.test(t)) { seen.sentence = Date.now(); seen.what = t; }
  }).observe(text, { childList: true, subtree: true, characterData: true });
  new MutationObserver(() => {
    const s = root.getAttribute("data-status");
    if (!seen.done && ["succeeded", "failed", "cancelled"].includes(s)) seen.done = Date.now();
  }).observe(root, { attributes: true, attributeFilter: ["data-status"] });
});
"""


def one_job(page: Any, web: str, llm: FakeLLM, topic: str) -> dict[str, Any]:
    """Submit one reading in the browser and time what the learner sees."""
    page.goto(web)
    page.select_option("#language", "English")
    page.check("input[name=level][value=B1]")
    page.fill("#length", "150")
    page.fill("#topic", topic)
    submitted = page.evaluate("Date.now()") / 1000
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/articles/[0-9a-f-]+$"), timeout=180_000)
    page.wait_for_load_state("load")
    opened = time.time()
    # The job page is gone by now: it kept its clocks in sessionStorage (see run()).
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('__seen') || '{}')")
    adapt = [s for s in llm.requests_for(topic) if s.step == "adapt"]
    written = adapt[0].first_sentence_at if adapt else None
    row = {
        "topic": topic,
        "written_s": written - submitted if written else None,
        "first_text_s": seen["text"] / 1000 - submitted if seen.get("text") else None,
        "first_sentence_s": seen["sentence"] / 1000 - submitted if seen.get("sentence") else None,
        "done_s": seen["done"] / 1000 - submitted if seen.get("done") else None,
        "opened_s": opened - submitted,
        "llm_calls": len(llm.requests_for(topic)),
    }
    if written and seen.get("sentence"):
        row["screen_lag_s"] = seen["sentence"] / 1000 - written
    return row


def run(runs: int, rate: float, latency: float) -> dict[str, Any]:
    """`runs` readings one after another on one stack; every figure per reading."""
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="opad-bench-") as tmp,
        FakeLLM(delay=latency) as llm,
        FakeNews() as news,
    ):
        llm.add_rule("first words", rate=rate)
        root = Path(tmp)
        redis_server = RedisServer(root / "redis")
        redis_server.start()
        for name in ("home", "tmp", "data"):
            (root / name).mkdir()
        env = base_env(
            root / "data",
            REDIS_URL=redis_server.url,
            OPAD_LOG_LEVEL="INFO",  # the worker says "ready:" at INFO
            HOME=str(root / "home"),
            TMPDIR=str(root / "tmp"),
            **TELEMETRY_OFF,
            **crew_values(llm, news, OPAD_LLM_TIMEOUT="60", OPAD_JOB_TIMEOUT="600"),
        )
        stack = Stack(env=env, data_dir=root / "data")
        try:
            stack.migrate()
            stack.start_api()
            worker = stack.start("worker")
            port = free_port()
            web = f"http://127.0.0.1:{port}"
            stack.start("web", "--port", str(port))
            wait_until(lambda: http_ok(f"{web}/health"), 120, "the web")
            wait_until(lambda: "ready:" in worker.output(), 120, "the worker")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context()
                # Keep the job page's clocks across the navigation to the article.
                context.add_init_script(
                    _WATCH.replace(
                        "const seen = (window.__seen = {});",
                        "const seen = (window.__seen = {});"
                        " setInterval(() => sessionStorage.setItem('__seen',"
                        " JSON.stringify(seen)), 20);"
                        " sessionStorage.removeItem('__seen');",
                    )
                )
                page = context.new_page()
                one_job(page, web, llm, "first words warm-up")  # imports, first crew
                for n in range(runs):
                    rows.append(one_job(page, web, llm, f"first words {n}"))
                    print(f"  run {n + 1}: {rows[-1]}", file=sys.stderr)
                browser.close()
        finally:
            stack.stop()
            redis_server.stop()
    return {"benchmark": "first_words", "rate": rate, "latency": latency, "rows": rows}


def summarise(rows: list[dict[str, Any]], key: str) -> str:
    values = [r[key] for r in rows if r.get(key) is not None]
    if not values:
        return "–"
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    """Measure and print the table for docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=30.0, help="tokens per second")
    parser.add_argument("--latency", type=float, default=1.0, help="s to the first token")
    args = parser.parse_args()
    report = run(args.runs, args.rate, args.latency)
    rows = report["rows"]
    for r in rows:
        if r.get("first_sentence_s") and r.get("opened_s"):
            r["ratio_first_to_opened"] = r["first_sentence_s"] / r["opened_s"]
    path = save("first_words", report)
    print(f"\n{args.latency:g} s to the first token, {args.rate:g} tokens/s; median (range)\n")
    print(
        "| writer's first sentence sent | first sentence on screen | on screen − sent "
        "| job done on the page | finished article open | first sentence / article |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| {summarise(rows, 'written_s')} | {summarise(rows, 'first_sentence_s')} "
        f"| {summarise(rows, 'screen_lag_s')} | {summarise(rows, 'done_s')} "
        f"| {summarise(rows, 'opened_s')} | {summarise(rows, 'ratio_first_to_opened')} |"
    )
    print(f"\nresults: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
