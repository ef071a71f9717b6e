"""The README's quick start lists every step a learner needs (issue 33 item 6): the root
step for meanings and audio was only inside the paragraph about tests."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert found, f"no section {title!r}"
    return found.group(1)


def test_quick_start_has_the_root_step_for_meanings_and_audio() -> None:
    quick = _section("Quick start")
    assert "sudo ./scripts/ensure-debs" in quick
    script = (ROOT / "scripts" / "ensure-debs").read_text(encoding="utf-8")
    # What the step installs, as the script does: dictionaries, WordNet, the speech tools.
    for package, named in (("dict-freedict-deu-eng", "FreeDict"), ("dict-wn", "WordNet"),
                           ("espeak-ng", "espeak-ng"), ("ffmpeg", "ffmpeg")):  # fmt: skip
        assert package in script and named in quick, (package, named)
    for step in ("make run", "opad doctor", "opad generate", "http://127.0.0.1:8000"):
        assert step in quick, step
