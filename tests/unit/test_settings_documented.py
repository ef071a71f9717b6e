"""Every setting is in the README's configuration table (the project's rule)."""

from __future__ import annotations

from pathlib import Path

from opad.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_environment_variable_is_in_the_readme() -> None:
    table = [
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `")
    ]
    documented = " ".join(table)
    missing = [
        f.alias
        for f in Settings.model_fields.values()
        if f.alias and f"`{f.alias}`" not in documented
    ]
    assert missing == []
