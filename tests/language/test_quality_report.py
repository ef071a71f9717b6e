"""The quality runner and report on a tiny grid: real engine runs, a readable report."""

from __future__ import annotations

from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.quality.measure import measure
from opad.quality.report import write_report
from opad.quality.runner import LENGTHS, TEXT_LENGTHS, GridSource, report_texts, run_grid


def test_a_tiny_grid_gives_a_report_with_every_target() -> None:
    slug, text = load_library(PACKAGED_LIBRARY, "en")[0]
    source = GridSource("en", "English", f"en/{slug}", text.body, "library")
    hard = GridSource("en", "English", "en/hard", "Notwithstanding vociferous objections.", "hard")
    results = next(s for s in report_texts() if s.name == "en/results-marathon")
    runs = run_grid([source, hard, results])
    assert len(runs) == 6 * len(LENGTHS) + 6 + 6 * len(TEXT_LENGTHS)
    assert all(r.error is None and r.body for r in runs)
    assert all(r.source_sentences for r in runs)

    report = write_report([measure(r) for r in runs], seconds=1.0)
    assert report.startswith("# Quality report")
    targets = report.split("## Targets")[1].split("\n## ")[0]
    rows = [line for line in targets.splitlines() if line.startswith("| ") and "---" not in line]
    # Two tables: seven targets by independent yardsticks, nine by OPAD's own measures.
    assert len(rows) == 2 + 7 + 9
    assert sum(r.startswith("| target |") for r in rows) == 2
    assert all(("| met |" in r) or ("| **missed** |" in r) for r in rows if "| target |" not in r)
    assert "| the lead kept whenever the headline is dropped | met |" in report
    assert "| interview answers with their question: 100% |" in report
    assert "## Readings that hold together (independent checks)" in report
    assert "## Six levels on independent yardsticks" in report
    assert "| length within ±15% wherever the source is long enough | met |" in report
    assert "| en | " in report  # the gradient row
    assert "## A hard source at every level" in report
