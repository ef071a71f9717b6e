"""Logging set-up for every OPAD process: one readable line per event."""

from __future__ import annotations

import logging


def configure(level: str) -> None:
    """Log to stderr at `level` with the process's component in each line."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        force=True,
    )
    # httpx logs every request at INFO: too chatty for a worker fetching pages.
    logging.getLogger("httpx").setLevel(logging.WARNING)
