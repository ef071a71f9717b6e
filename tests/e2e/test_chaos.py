"""The chaos run of issue 29, short enough for CI (about three minutes): see tests/chaos.py.

The content folder is unwritable for 10 s here instead of the issue's 30 s (CI time);
`scripts/chaos` runs the long schedule with 30 s.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.chaos import Chaos, Schedule
from tests.databases import emptied

pytestmark = pytest.mark.slow


def test_chaos_leaves_nothing_stuck_doubled_or_behind(tmp_path: Path, pg_url: str) -> None:
    # Empty first: a daily plan another test left would add jobs nobody submitted.
    chaos = Chaos(tmp_path, emptied(pg_url), Schedule())
    try:
        chaos.run()
        counts = chaos.check()
    finally:
        chaos.close()
    print("\nchaos (CI schedule):", json.dumps(asdict(counts)))
    # What was done to it.
    assert counts.kills >= 3 and counts.redis_restarts == 1 and counts.evicted_keys > 0
    assert counts.duplicates >= 1 and counts.deletes >= 1 and counts.outage_seconds >= 10
    assert counts.submitted >= 100
    # What must never be.
    assert counts.live_left == 0
    assert counts.redis_mismatches == 0
    assert counts.completed_twice == 0
    assert counts.files_without_article == 0 and counts.articles_without_files == 0
    assert counts.pending_deletions == 0 and counts.messages_left == 0
    # Every job accepted is in the record, but those of deleted readings (deleted with them).
    assert sum(counts.final.values()) + counts.deletes == counts.submitted
