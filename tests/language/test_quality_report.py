"""The quality runner and report on a tiny grid: real engine runs, a readable report."""

from __future__ import annotations

from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.quality.measure import measure
from opad.quality.report import write_report
from opad.quality.runner import LENGTHS, GridSource, run_grid


def test_a_tiny_grid_gives_a_report_with_every_target() -> None:
    slug, text = load_library(PACKAGED_LIBRARY, "en")[0]
    source = GridSource("en", "English", f"en/{slug}", text.body, "library")
    hard = GridSource("en", "English", "en/hard", "Notwithstanding vociferous objections.", "hard")
    runs = run_grid([source, hard])
    assert len(runs) == 6 * len(LENGTHS) + 6
    assert all(r.error is None and r.body for r in runs)
    assert all(r.source_sentences for r in runs)

    report = write_report([measure(r) for r in runs], seconds=1.0)
    assert report.startswith("# Quality report")
    targets = report.split("## Targets")[1].split("\n## ")[0]
    rows = [line for line in targets.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 10  # the header and nine targets
    assert all(("| met |" in r) or ("| **missed** |" in r) for r in rows[1:])
    assert "| length within ±15% wherever the source is long enough | met |" in report
    assert "| en | " in report  # the gradient row
    assert "## A hard source at every level" in report
