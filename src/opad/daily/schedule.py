"""When a plan's reading is due, and on what topic: pure rules, no database.

A plan's reading for the learner's day D is due from `at_time` on D minus the lead (the
reading is made ahead, ready when the learner sits down). Only the newest due day counts:
days that passed while nothing ran are not made up.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from opad.learner_time import zone


def parse_time(value: str) -> time:
    """ "HH:MM" (24-hour) as a time; ValueError when it is not one."""
    hours, _, minutes = value.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ValueError("must be a time of day as HH:MM, e.g. 07:30")
    return time(int(hours), int(minutes))


def due_day(at_time: str, zone_name: str, now: datetime, lead: timedelta) -> date | None:
    """The newest learner-day whose reading is due at `now` (aware): tomorrow in the plan's
    zone once tomorrow's time minus `lead` has passed (a lead reaching back over midnight),
    else today once today's has; None before that (yesterday's is never made late)."""
    local = now.astimezone(zone(zone_name)).date()
    for day in (local + timedelta(days=1), local):
        if is_due(at_time, zone_name, now, lead, day):
            return day
    return None


def is_due(at_time: str, zone_name: str, now: datetime, lead: timedelta, day: date) -> bool:
    """Whether the reading for `day` may be made at `now` (its time minus `lead` passed)."""
    where = zone(zone_name)
    return now >= datetime.combine(day, parse_time(at_time), where) - lead


def topic_for(topics: list[str], day: date) -> str:
    """The day's topic: the plan's topics in turn, by the day's ordinal (so every worker
    agrees, and a missed day skips its topic rather than shifting all the others)."""
    if not topics:
        return ""
    return topics[day.toordinal() % len(topics)]
