"""A week of daily readings (issue 31's target): 3 workers and 2 API processes, 200
learners whose plans fall due in the same minute, one full outage day, on a fast clock
(OPAD_DAILY_CLOCK: a simulated day in a few real seconds). Every learner gets exactly one
reading a day, none for the day everything was down, and none made up for it later.

Real processes over HTTP, PostgreSQL, a private Redis; the noop engine, because what is
measured is the scheduling and the queue, not the making of a text. The outage is the
whole stack frozen (SIGSTOP, as a suspended machine), so it can span exactly one day
whatever the start-up time of a process; a worker is also killed and replaced mid-week.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select, update

from opad.bootstrap import Services, build_services
from opad.daily import plans
from opad.daily.clock import fast_clock_spec
from opad.db.models import Article, DailyPlan, DailyReading, Job, User
from opad.services.accounts import issue_token
from tests.conftest import RedisServer, make_settings
from tests.databases import emptied
from tests.processes import Stack, base_env, free_port, http_ok, wait_until

# A week of 10-second days, then the queue's drain: on a machine shared with other test runs
# the drain alone can take minutes.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

LEARNERS = 200
OVER_HTTP = 20  # plans made through the two APIs (the rest stored directly, faster)
DAY_SECONDS = 10.0  # real seconds per simulated day
RATE = 86400 / DAY_SECONDS
START = datetime(2026, 12, 1, tzinfo=UTC)
OUTAGE = date(2026, 12, 4)
# Zones and local times that are all 07:00 UTC on 1–7 December: due together at 01:00 UTC
# (made six hours ahead, OPAD_DAILY_LEAD_MINUTES).
ZONES = [
    ("UTC", "07:00"),
    ("Europe/Berlin", "08:00"),
    ("Asia/Tokyo", "16:00"),
    ("America/New_York", "02:00"),
    ("Asia/Kolkata", "12:30"),
]


@pytest.fixture
def database(pg_url: str) -> Iterator[str]:
    emptied(pg_url)
    yield pg_url


def real_time(moment: datetime, epoch: float) -> float:
    """The real Unix time at which the fast clock shows `moment`."""
    return epoch + (moment - START).total_seconds() / RATE


def sleep_until(moment: datetime, epoch: float) -> None:
    time.sleep(max(0.0, real_time(moment, epoch) - time.time()))


def test_a_week_of_daily_readings_for_200_learners(tmp_path: Path, database: str) -> None:
    redis_server = RedisServer(tmp_path / "redis")
    redis_server.start()
    settings = make_settings(tmp_path, REDIS_URL=redis_server.url, DATABASE_URL=database)
    stack = Stack(
        env=base_env(
            tmp_path,
            DATABASE_URL=database,
            REDIS_URL=redis_server.url,
            OPAD_ENGINE="noop",
            OPAD_DAILY_TICK="0.5",
            OPAD_DAILY_LEAD_MINUTES="360",
            OPAD_LEASE_SECONDS="6",
            OPAD_RETRY_BASE_SECONDS="0.2",
            OPAD_SHUTDOWN_GRACE="1",
        ),
        data_dir=tmp_path,
    )
    stack.migrate()
    services = build_services(settings)
    try:
        _run_week(stack, services, redis_server)
    finally:
        for service in stack.services:
            if service.proc.poll() is None:
                os.kill(service.proc.pid, signal.SIGCONT)
        stack.stop()
        services.close()
        redis_server.stop()


def _run_week(stack: Stack, services: Services, redis_server: RedisServer) -> None:
    # The learners, with personal tokens (made here: password hashing is not under test);
    # most plans are stored before the processes start, the rest through both APIs.
    tokens: list[tuple[str, str]] = []
    with services.db.session() as session:
        ids = [str(uuid.uuid4()) for _ in range(LEARNERS)]
        for n, user_id in enumerate(ids):
            zone = ZONES[n % len(ZONES)][0]
            session.add(User(id=user_id, email=f"l{n}@example.org", time_zone=zone))
    for user_id in ids:
        _, secret = issue_token(services, user_id, "daily test")
        tokens.append((user_id, secret))

    def plan(n: int) -> dict[str, object]:
        at = ZONES[n % len(ZONES)][1]
        return {"level": "A2", "length": 80, "topics": ["parks", "food", "trains"], "at_time": at}

    for n, (user_id, _) in enumerate(tokens[OVER_HTTP:], start=OVER_HTTP):
        plans.put_plan(services, user_id, "de", plans.PlanIn(**plan(n)))  # type: ignore[arg-type]

    # Every process starts on the fast clock, which stands at START until the test writes
    # its start time into `epoch_file` — once the APIs answer, the plans are all made and
    # the three workers are live, however long a busy machine took to start them.
    epoch_file = stack.data_dir / "clock-epoch"
    stack.env["OPAD_DAILY_CLOCK"] = fast_clock_spec(START, RATE, epoch_file)
    ports = [free_port(), free_port()]
    apis = [f"http://127.0.0.1:{port}" for port in ports]
    for port in ports:
        stack.start("api", "--port", str(port))
    workers = [stack.start("worker") for _ in range(3)]
    for url in apis:
        wait_until(lambda url=url: http_ok(f"{url}/health"), 300, "the APIs to answer")
    for n, (_, secret) in enumerate(tokens[:OVER_HTTP]):
        resp = httpx.put(
            f"{apis[n % 2]}/daily/plans/de",
            json=plan(n),
            headers={"Authorization": f"Bearer {secret}"},
            timeout=30,
        )
        assert resp.status_code == 200, resp.text

    def live() -> bool:
        pids = {w["pid"] for w in httpx.get(f"{apis[0]}/workers", timeout=30).json()}
        return all(w.proc.pid in pids for w in workers)

    wait_until(live, 300, "the three workers to be live")
    epoch = time.time() + 1
    epoch_file.write_text(repr(epoch))
    began = time.time()

    # Dec 2, 03:00: a worker dies; a new one is started (it ticks once it is up).
    sleep_until(START + timedelta(days=1, hours=3), epoch)
    workers[2].stop(signal.SIGKILL)
    workers.append(stack.start("worker"))
    # Dec 3, 20:00 → Dec 5, 05:15 UTC: everything frozen from before the Dec 4 readings
    # fall due (01:00 UTC) until Dec 4 has ended in every learner's zone (New York's ends
    # at 05:00 UTC); Dec 5's, due since 01:00 UTC, are made on waking, Dec 4's never.
    sleep_until(START + timedelta(days=2, hours=20), epoch)
    frozen = [s for s in stack.services if s.proc.poll() is None]
    for service in frozen:
        os.kill(service.proc.pid, signal.SIGSTOP)
    sleep_until(START + timedelta(days=4, hours=5, minutes=15), epoch)
    for service in frozen:
        os.kill(service.proc.pid, signal.SIGCONT)
    sleep_until(START + timedelta(days=6, hours=12), epoch)
    # Each API process answers the learners' "today" on the same clock: their newest
    # readings, none failed (a busy machine may answer a day or two later than asked, so
    # which days they are is checked against the database below, not guessed here).
    views = []
    for url in apis:
        wait_until(lambda url=url: http_ok(f"{url}/health"), 300, "the APIs to answer again")
    for n in (0, 1, 2, 3):
        user_id, secret = tokens[n]
        resp = httpx.get(
            f"{apis[n % 2]}/daily/today",
            headers={"Authorization": f"Bearer {secret}"},
            timeout=30,
        )
        assert resp.status_code == 200, resp.text
        views.append((user_id, resp.json()))
        assert all(r["status"] != "failed" for r in resp.json()["readings"]), resp.text
    # The week is over: the plans are paused (as a learner would) so that the clock, which
    # runs on, makes no Dec 8 while the workers finish the queue.
    with services.db.session() as session:
        session.execute(update(DailyPlan).values(active=False))

    expected_days = [START.date() + timedelta(days=d) for d in range(7)]
    expected_days.remove(OUTAGE)
    engine = services.db

    def all_done() -> bool:
        with engine.session() as session:
            open_jobs = session.scalar(
                select(func.count()).select_from(Job).where(Job.status.in_(("queued", "running")))
            )
        return open_jobs == 0

    wait_until(all_done, 300, "every daily job to end")
    last = expected_days[-1]
    with engine.session() as session:
        plans_made = session.execute(
            select(DailyPlan.id, DailyPlan.created_at, DailyPlan.time_zone)
        ).all()
        days_of: dict[str, list[date]] = {p.id: [] for p in plans_made}
        for plan_id, day in session.execute(
            select(DailyReading.plan_id, DailyReading.day).order_by(DailyReading.day)
        ):
            days_of[plan_id].append(day)
        jobs = Counter(session.scalars(select(Job.status)))
        articles = session.scalar(select(func.count()).select_from(Article))
        readings = session.scalar(select(func.count()).select_from(DailyReading))
        attempts = set(session.scalars(select(DailyReading.attempts)))
    # Per plan (all made before the clock started), one reading for each of its learner's
    # days from the first (local: at the clock's start it is still 30 November in New York,
    # past that day's time) to 7 December, except the outage day.
    for plan_id, created, zone in plans_made:
        assert created.timestamp() < epoch
        first = START.astimezone(ZoneInfo(zone)).date()
        wanted = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        days = [d for d in days_of[plan_id] if d <= last]
        assert days == [d for d in wanted if d != OUTAGE], (zone, days)
    per_day = Counter(d for days in days_of.values() for d in days if START.date() <= d <= last)
    print("readings per day:", {d.isoformat(): n for d, n in sorted(per_day.items())})
    assert all(per_day[d] == LEARNERS for d in expected_days), per_day
    assert OUTAGE not in per_day
    # One article and one job per reading, every job succeeded at its first try.
    assert jobs == {"succeeded": readings}, jobs
    assert articles == readings
    assert attempts == {1}
    with engine.session() as session:
        for user_id, view in views:
            theirs = {
                (d.isoformat(), a)
                for d, a in session.execute(
                    select(DailyReading.day, DailyReading.article_id).where(
                        DailyReading.user_id == user_id
                    )
                )
            }
            assert {(r["day"], r["article_id"]) for r in view["readings"]} <= theirs, view
    assert redis_server.client().llen("opad:jobs") == 0
    with engine.session() as session:
        made_at = session.execute(select(DailyReading.day, DailyReading.created_at)).all()
    for day in expected_days:
        # How long after 01:00 UTC (the plans' time minus the lead) the last one was made,
        # in simulated minutes: under the 360 min lead, every reading is ready in time.
        due = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=1)
        latest = max(
            START + timedelta(seconds=(c.timestamp() - epoch) * RATE)
            for d, c in made_at
            if d == day
        )
        lag = (latest - due).total_seconds() / 60
        print(f"{day}: the last of {LEARNERS} readings was made {lag:.0f} min after due")
    print(f"week run in {time.time() - began:.0f} s real")
