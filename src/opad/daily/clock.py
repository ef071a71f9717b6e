"""The plans' clock: the real one, or a fast one for tests and demos (OPAD_DAILY_CLOCK).

A fast clock is "START@EPOCH*RATE": until real Unix time EPOCH the plans' time stands at
START (an ISO 8601 instant); from then on it runs RATE times faster than real time (RATE
14400: a day in six seconds). Every process given the same value agrees on the time, so
processes can be started before EPOCH and a week of days run in a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path


def parse_clock(spec: str) -> Callable[[], datetime]:
    """A function giving now (aware, UTC) for OPAD_DAILY_CLOCK `spec` ("" is the real
    clock); ValueError naming OPAD_DAILY_CLOCK when the spec cannot be read. EPOCH may be
    a file's path (starting with "/"): the clock stands at START until that file holds
    the Unix time to start at (so processes can be started first, the clock set later)."""
    if not spec.strip():
        return lambda: datetime.now(UTC)
    try:
        start_s, rest = spec.strip().split("@", 1)
        epoch_s, rate_s = rest.rsplit("*", 1)
        start = datetime.fromisoformat(start_s)
        rate = float(rate_s)
        epoch = None if epoch_s.startswith("/") else float(epoch_s)
    except ValueError:
        raise ValueError(
            f"OPAD_DAILY_CLOCK {spec!r}: expected START@EPOCH*RATE, "
            "e.g. 2026-12-01T00:00:00+00:00@1765000000*14400"
        ) from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    if rate <= 0:
        raise ValueError(f"OPAD_DAILY_CLOCK {spec!r}: RATE must be above 0")
    found: list[float] = [] if epoch is None else [epoch]

    def now() -> datetime:
        if not found:
            try:
                found.append(float(Path(epoch_s).read_text().strip()))
            except (OSError, ValueError):
                return start  # not set yet: the clock stands at START
        return start + timedelta(seconds=max(0.0, time.time() - found[0]) * rate)

    return now


def fast_clock_spec(start: datetime, rate: float, epoch: float | Path | None = None) -> str:
    """The OPAD_DAILY_CLOCK value for a clock at `start` now (or at Unix time `epoch`, or
    at the time written later into the file `epoch`) running `rate` times faster."""
    at = epoch if epoch is not None else time.time()
    return f"{start.isoformat()}@{at if isinstance(at, Path) else repr(at)}*{rate!r}"
