"""The learner's own day: a time zone per learner (an IANA name), and "the learner's today".

Review days, streaks and charts count days as the learner lives them: a Tokyo learner
reviewing at 8:00 four mornings running has a streak of 4, though in UTC those mornings
fall on the evenings before. The zone is a plain per-user setting (`users.time_zone`),
detected by the browser at sign-in and editable on the account page; without one, UTC.
Zone data comes from the system or the `tzdata` package (zoneinfo's fallback).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opad.bootstrap import Services
from opad.db.models import User
from opad.identifiers import InvalidIdentifier


def check_zone(name: str, field: str = "time_zone") -> str:
    """`name` if it is an IANA time zone ("Europe/Berlin"), else InvalidIdentifier naming
    `field` (a 422)."""
    name = name.strip()
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        raise InvalidIdentifier(f"{field}: is not a time zone name such as Europe/Berlin")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidIdentifier(
            f"{field}: {name!r} is not a time zone name such as Europe/Berlin"
        ) from None
    return name


def zone(name: str | None) -> tzinfo:
    """The learner's zone from its stored name; UTC when unset or no longer known."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_date(moment: datetime, where: tzinfo) -> date:
    """The calendar day of `moment` (aware; naive is read as UTC) where the learner is."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(where).date()


def today_in(zone_name: str | None, now: datetime | None = None) -> date:
    """The date now (or at `now`) in the zone named `zone_name` (UTC when None)."""
    return local_date(now or datetime.now(UTC), zone(zone_name))


def zone_of(services: Services, user_id: str) -> str | None:
    """The learner's stored time zone name, or None (UTC)."""
    with services.db.session() as session:
        user = session.get(User, user_id)
        return user.time_zone if user is not None else None


def learner_today(services: Services, user_id: str, now: datetime | None = None) -> date:
    """The learner's today: the date now (or at `now`) in their time zone. The one
    function for "today" in anything per learner (reviews, streaks, daily plans)."""
    return today_in(zone_of(services, user_id), now)
