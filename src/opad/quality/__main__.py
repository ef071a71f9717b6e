"""`python -m opad.quality [OUTPUT [MEASURED]]`: run the grid and write the report
(default docs/quality.md); `opad eval` and `make quality` call `evaluate`. With MEASURED
(a pickle file), the measured runs are saved there, or read from there when it exists, so
the report can be written again (after editing the hand-read notes) without the grid's
half hour."""

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
    measured_file: Path | None = None,
) -> str:
    """Run the grid, write the markdown report to `output`, return it."""
    import pickle

    from opad.quality.measure import measure
    from opad.quality.report import write_report
    from opad.quality.runner import grade_sources, grid_sources, report_texts, run_grid

    started = time.monotonic()
    if measured_file is not None and measured_file.exists():
        measured, seconds = pickle.loads(measured_file.read_bytes())  # our own file
    else:
        sources = (
            grid_sources(texts_per_language=texts_per_language)
            + report_texts()
            + grade_sources(texts_per_language=texts_per_language)
        )
        runs = run_grid(sources, progress=progress)
        progress(f"measuring {len(runs)} readings")
        measured = [measure(run) for run in runs]
        seconds = time.monotonic() - started
        if measured_file is not None:
            measured_file.write_bytes(pickle.dumps((measured, seconds)))
    report = write_report(measured, seconds)
    # Vocabulary, questions and topics (issue 27, items 4–6): their own runs and sections.
    from opad.quality.vocab_report import run_readings, vocab_sections

    readings = run_readings(texts_per_language, progress=progress)
    report = report.rstrip("\n") + "\n\n" + "\n".join(vocab_sections(readings))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    evaluate(
        Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT,
        progress=print,
        measured_file=Path(sys.argv[2]) if len(sys.argv) > 2 else None,
    )
