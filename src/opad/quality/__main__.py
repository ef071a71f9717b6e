"""`python -m opad.quality [OUTPUT]`: run the grid and write the report (default
docs/quality.md); `opad eval` and `make quality` call `evaluate`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_OUTPUT = Path("docs/quality.md")


def evaluate(
    output: Path = DEFAULT_OUTPUT,
    texts_per_language: int = 3,
    progress: Callable[[str], None] = lambda line: None,
) -> str:
    """Run the grid, write the markdown report to `output`, return it."""
    from opad.quality.measure import measure
    from opad.quality.report import write_report
    from opad.quality.runner import grid_sources, report_texts, run_grid

    started = time.monotonic()
    sources = grid_sources(texts_per_language=texts_per_language) + report_texts()
    runs = run_grid(sources, progress=progress)
    progress(f"measuring {len(runs)} readings")
    report = write_report([measure(run) for run in runs], time.monotonic() - started)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT, progress=print)
