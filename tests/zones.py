"""A time zone where it is midday now, for tests of daily readings due "all day".

A plan ready by 00:00 is made from 23:00 the evening before (the 60-minute lead): in the
last hour before midnight in the plan's zone the tick makes *tomorrow's* reading, and a
test that expects today's fails then (it did, in a full run at 23:00 UTC). In a zone where
it is about noon, "by 00:00" means today's, whatever the hour on the machine.
"""

from __future__ import annotations

from datetime import UTC, datetime


def midday_zone(now: datetime | None = None) -> str:
    """An IANA zone (Etc/GMT±N) whose local time is between 11:00 and 13:00 at `now`."""
    hour = (now or datetime.now(UTC)).astimezone(UTC).hour
    offset = 12 - hour  # hours east of UTC: from -11 to +12, all of which Etc/ names
    # POSIX-style names count the other way: Etc/GMT-5 is five hours *ahead* of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
