"""Sizes of the built images (`make images` first), as buildah or docker reports them.

`python -m bench.images`: {"api": MB, "web": MB, "worker": MB} for the images named
`opad-<role>:local` that exist; {} when neither tool is installed or none was built (the
report then says the images were not measured). Building them is not part of `make bench`:
it downloads packages and takes minutes (docs/operations.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

ROLES = ("api", "web", "worker")
UNITS = {"B": 1e-6, "KB": 1e-3, "kB": 1e-3, "MB": 1.0, "GB": 1e3}


def _megabytes(text: str) -> float | None:
    """ "290 MB" / "1.21 GB" → megabytes (decimal, as both tools print them)."""
    parts = text.strip().split()
    if len(parts) != 2 or parts[1] not in UNITS:
        return None
    try:
        return float(parts[0]) * UNITS[parts[1]]
    except ValueError:
        return None


def run_once() -> dict[str, Any]:
    """The size of each built role image, in MB."""
    tool = shutil.which("buildah") or shutil.which("docker")
    if tool is None:
        return {}
    sizes: dict[str, Any] = {}
    for role in ROLES:
        out = subprocess.run(
            [tool, "images", "--format", "{{.Size}}", f"opad-{role}:local"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        lines = out.stdout.strip().splitlines()
        size = _megabytes(lines[0]) if out.returncode == 0 and lines else None
        if size is not None:
            sizes[role] = round(size)
    return sizes


if __name__ == "__main__":
    print(json.dumps(run_once(), indent=2))
