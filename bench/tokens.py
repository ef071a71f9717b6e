"""Tokens per reading, per step: LLM calls and prompt/completion tokens of one crew run.

The real crew (CrewAI, in this process) against the test suite's scripted OpenAI-compatible
server and its local news site (Serper-shaped search, article pages). The scripted server
counts tokens as a quarter of the bytes it receives and sends (a common approximation;
deterministic, so two runs of the same code give the same figures); OPAD's own count (the
article's `usage`, from each call's report) is printed beside it as a check.

    uv run --no-sync python bench/tokens.py

Writes bench/results/tokens.json and prints a markdown table per kind of reading:
"news" (find → pick → adapt → vocabulary) and "own text" (adapt → vocabulary).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import save  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.crew.conftest import TELEMETRY_OFF, crew_values  # noqa: E402
from tests.crew.fake_llm import STEPS, FakeLLM  # noqa: E402
from tests.crew.fake_news import FakeNews  # noqa: E402

OWN_TEXT = (
    "The city opened a new park near the river on Saturday. The park has old trees, a small "
    "lake and a playground. The mayor said the project took four years and cost two million "
    "euros. Local people had asked for more green space since the factory closed. "
) * 6
STEP_NAMES = {
    "find": "find_news_articles",
    "pick": "pick_best_article",
    "adapt": "adapt_news_article",
    "vocabulary": "add_vocabulary",
    "questions": "add_questions",
}


def measure() -> dict[str, Any]:
    """One news reading and one own-text reading (B1, 150 words); figures per step."""
    os.environ.update(TELEMETRY_OFF)
    from opad.engines.base import GenerationRequest
    from opad.levels import Level

    out: dict[str, Any] = {}
    # News pages of about 600 words, as real news articles are.
    with (
        tempfile.TemporaryDirectory(prefix="opad-bench-") as tmp,
        FakeLLM() as llm,
        FakeNews(repeat=6) as news,
    ):
        from opad.engines.crew.engine import CrewEngine

        engine = CrewEngine(make_settings(Path(tmp), **crew_values(llm, news)))
        for kind, extra in (("news", {}), ("own text", {"source_text": OWN_TEXT})):
            topic = f"tokens {kind}"
            request = GenerationRequest(
                language="English", level=Level.B1, length=150, topic=topic, **extra
            )
            result = engine.generate(request, lambda p, m: None)
            counted = result.usage.by_step if result.usage else {}
            served = llm.requests_for(topic)
            steps = {}
            for step in STEPS:
                mine = [s for s in served if s.step == step]
                if not mine:
                    continue
                ours = counted.get(STEP_NAMES[step], {})
                steps[step] = {
                    "calls": len(mine),
                    "prompt_tokens": sum(s.usage.get("prompt_tokens", 0) for s in mine),
                    "completion_tokens": sum(s.usage.get("completion_tokens", 0) for s in mine),
                    "opad_counted_total": ours.get("total_tokens", 0),
                }
            out[kind] = {
                "steps": steps,
                "total_tokens": sum(
                    v["prompt_tokens"] + v["completion_tokens"] for v in steps.values()
                ),
                "calls": len(served),
            }
    return out


def main() -> None:
    """Measure and print the tables for docs/benchmarks.md."""
    report = measure()
    path = save("tokens", report)
    for kind, figures in report.items():
        print(f"\n{kind}: {figures['calls']} LLM calls, {figures['total_tokens']} tokens\n")
        print("| step | calls | prompt tokens | completion tokens | OPAD's count (total) |")
        print("|---|---|---|---|---|")
        for step, v in figures["steps"].items():
            print(
                f"| {step} | {v['calls']} | {v['prompt_tokens']} | {v['completion_tokens']} "
                f"| {v['opad_counted_total']} |"
            )
    print(f"\nresults: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
