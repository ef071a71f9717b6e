"""Daily plans (issue 31): the tick makes each plan's reading exactly once per learner-day,
never makes up missed days, retries a failed day and then says so; the API's plans,
today and feed (parsed with feedparser). SQLite and PostgreSQL, a real Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import feedparser
import httpx
import pytest
from sqlalchemy import func, select

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.daily import plans as daily_plans
from opad.daily.schedule import due_day, topic_for
from opad.daily.tick import tick
from opad.daily.today import mark_read, streak, today
from opad.db.models import Article, DailyPlan, DailyReading, Job, User
from opad.jobs.records import transition
from opad.states import JobStatus
from opad.users import LOCAL_USER_ID
from tests.processes import ServerThread, wait_until
from tests.zones import midday_zone

MORNING = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 06:00 in Berlin, 14:00 in Tokyo


def learner(services: Services, zone: str = "Europe/Berlin") -> str:
    user_id = str(uuid.uuid4())
    with services.db.session() as session:
        session.add(User(id=user_id, email=f"{user_id}@example.org", time_zone=zone))
    return user_id


def plan(services: Services, user_id: str, **values: object) -> dict[str, object]:
    data = {"level": "A2", "length": 80, "topics": ["parks", "food", "trains"], "at_time": "07:00"}
    data.update(values)
    return daily_plans.put_plan(services, user_id, "German", daily_plans.PlanIn(**data))


def readings(services: Services) -> list[tuple[str, date, str | None]]:
    with services.db.session() as session:
        return [
            (r.plan_id, r.day, r.job_id)
            for r in session.scalars(select(DailyReading).order_by(DailyReading.day))
        ]


def made_ready(services: Services, job_id: str) -> str:
    """The job run to success as a worker records it (the text stored, the job and its
    article ended through the state machine); the article's id."""
    with services.db.session() as session:
        transition(session, job_id, JobStatus.RUNNING)
    with services.db.session() as session:
        job = transition(session, job_id, JobStatus.SUCCEEDED, message="Completed!", progress=100)
        assert job is not None
        article = session.get(Article, job.article_id)
        assert article is not None
        article.title = "Im Park"
        article.content_key = article.id
        article_id = article.id
    services.store.put(article_id, "# Im Park\n\nDer Park ist groß.\n", "{}")
    return article_id


def test_the_rules_of_the_day() -> None:
    lead = timedelta(hours=1)
    # 05:30 UTC is 06:30 in Berlin: due (07:00 minus the hour); 04:30 UTC is not yet.
    assert due_day("07:00", "Europe/Berlin", MORNING + timedelta(minutes=30), lead) == date(
        2026, 12, 1
    )
    assert due_day("07:00", "Europe/Berlin", MORNING - timedelta(minutes=31), lead) is None
    # At 00:30 with a two-hour lead, tomorrow's is due at 22:30 the evening before.
    late = datetime(2026, 12, 1, 21, 45, tzinfo=UTC)  # 22:45 in Berlin
    assert due_day("00:30", "Europe/Berlin", late, timedelta(hours=2)) == date(2026, 12, 2)
    topics = ["a", "b", "c"]
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(6)]
    assert [topic_for(topics, d) for d in days] == [topic_for(topics, days[0])] + [
        topics[(topics.index(topic_for(topics, days[0])) + n) % 3] for n in range(1, 6)
    ]
    assert streak(
        {date(2026, 12, 3), date(2026, 12, 2), date(2026, 11, 30)}, date(2026, 12, 3)
    ) == {
        "days": 2,
        "today": True,
    }
    # Today not read yet: yesterday's run still stands until the day is over.
    assert streak({date(2026, 12, 2), date(2026, 12, 1)}, date(2026, 12, 3))["days"] == 2


def test_one_reading_per_plan_and_day_whatever_the_ticks(services: Services) -> None:
    users = [learner(services) for _ in range(5)]
    made = [plan(services, u) for u in users]
    assert not tick(services, MORNING - timedelta(hours=2)).made  # 05:00 Berlin: not due
    now = MORNING + timedelta(minutes=1)
    reports = []
    # Four ticks at the same moment, as four workers would: each plan's day made once.
    threads = [
        threading.Thread(target=lambda: reports.append(tick(services, now))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(r.made) for r in reports) == 5
    rows = readings(services)
    assert len(rows) == 5 and {r[0] for r in rows} == {p["id"] for p in made}
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 5
        assert session.scalar(select(func.count()).select_from(Article)) == 5
    assert services.queue.redis.llen("opad:jobs") == 5
    assert not tick(services, now + timedelta(hours=3)).made


def test_missed_days_are_not_made_up(services: Services) -> None:
    user = learner(services, "Asia/Tokyo")
    plan(services, user, at_time="08:00")
    tick(services, MORNING)  # 14:00 in Tokyo on Dec 1
    # Everything down for three days: the next tick makes Dec 5's, and only that.
    tick(services, MORNING + timedelta(days=4))
    assert [r[1] for r in readings(services)] == [date(2026, 12, 1), date(2026, 12, 5)]


def test_a_paused_plan_makes_nothing(services: Services) -> None:
    user = learner(services)
    plan(services, user, active=False)
    assert not tick(services, MORNING + timedelta(hours=1)).made
    daily_plans.set_active(services, user, "de", True)
    assert len(tick(services, MORNING + timedelta(hours=1)).made) == 1


def _fail(services: Services, job_id: str) -> None:
    with services.db.session() as session:
        transition(session, job_id, JobStatus.RUNNING)
    with services.db.session() as session:
        transition(session, job_id, JobStatus.FAILED, message="Failed", error="no source found")


def test_a_failed_day_retries_then_says_so(services: Services) -> None:
    services.settings.daily_retries = 2
    user = learner(services)
    plan(services, user)
    now = MORNING + timedelta(minutes=5)
    tick(services, now)
    for attempt in (1, 2):
        ((_, _, job_id),) = readings(services)
        assert job_id is not None
        _fail(services, job_id)
        view = today(services, user, now)["readings"][0]
        assert view["status"] == "making" and "trying again" in view["message"]
        # Two workers see the failure: one new job.
        reports = [tick(services, now), tick(services, now)]
        assert sum(len(r.retried) for r in reports) == 1, attempt
    ((_, _, job_id),) = readings(services)
    _fail(services, job_id)
    assert not tick(services, now).retried  # three jobs: no more today
    view = today(services, user, now)["readings"][0]
    assert view["status"] == "failed" and view["attempts"] == 3
    assert "could not be made" in view["message"] and "no source found" in view["message"]
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 3
        assert session.scalar(select(func.count()).select_from(Article)) == 1


def test_today_shows_yesterdays_until_read_and_counts_the_streak(services: Services) -> None:
    user = learner(services)
    plan(services, user)
    tick(services, MORNING)
    tick(services, MORNING + timedelta(days=1))
    view = today(services, user, MORNING + timedelta(days=1))
    assert [r["day"] for r in view["readings"]] == ["2026-12-02", "2026-12-01"]
    yesterday = view["readings"][1]["article_id"]
    assert mark_read(services, user, yesterday, MORNING + timedelta(days=1))
    assert not mark_read(services, user, yesterday, MORNING + timedelta(days=1))
    view = today(services, user, MORNING + timedelta(days=1))
    assert [r["day"] for r in view["readings"]] == ["2026-12-02"]
    assert view["streak"] == {"days": 1, "today": True}


@pytest.fixture
def api(services: Services) -> Iterator[httpx.Client]:
    with ServerThread(create_app(services.settings, services)) as server:
        services.settings.api_url = server.url
        with httpx.Client(base_url=server.url, timeout=30) as client:
            yield client


def test_plans_over_http_name_the_bad_field(api: httpx.Client) -> None:
    good = {"level": "b1", "length": 120, "topics": ["parks"], "time_zone": "Asia/Tokyo"}
    resp = api.put("/daily/plans/de", json=good)
    assert resp.status_code == 200, resp.text
    assert resp.json()["language"] == "German" and resp.json()["coverage"] == 0.95
    for field, bad in [
        ("at_time", "25:00"),
        ("time_zone", "Mars/Base"),
        ("topics", []),
        ("coverage", 0.2),
        ("level", "D1"),
    ]:
        resp = api.put("/daily/plans/de", json={**good, field: bad})
        assert resp.status_code == 422, (field, resp.text)
        assert resp.json()["fields"][0]["field"].endswith(field), resp.json()
    assert api.put("/daily/plans/klingon", json=good).status_code == 404
    assert [p["language"] for p in api.get("/daily/plans").json()["items"]] == ["German"]
    assert api.delete("/daily/plans/German").status_code == 204
    assert api.get("/daily/plans").json()["items"] == []


def test_a_plan_in_a_language_with_no_texts_is_refused_naming_the_language(
    api: httpx.Client, services: Services
) -> None:
    """Arabic, Portuguese…: no library and (news off) no news, so every day's topic reading
    would fail. Refused at save, by name or code, with the language field named."""
    good = {"level": "b1", "length": 120, "topics": ["everyday life"]}
    for language in ("Arabic", "ar", "pt"):
        resp = api.put(f"/daily/plans/{language}", json=good)
        assert resp.status_code == 422, (language, resp.text)
        body = resp.json()
        assert body["fields"][0]["field"] == "language", body
        assert "no texts in" in body["fields"][0]["message"], body
    # Languages with library texts are accepted, the same body.
    for language in ("German", "ja", "English"):
        assert api.put(f"/daily/plans/{language}", json=good).status_code == 200, language
    assert "Arabic" not in [p["language"] for p in api.get("/daily/plans").json()["items"]]


def test_turning_on_a_plan_with_no_texts_is_refused(services: Services) -> None:
    """A plan kept from before (or texts removed since) cannot be turned on again."""
    user_id = learner(services)
    plan(services, user_id, active=False)
    with services.db.session() as session:
        stored = session.scalars(select(DailyPlan)).one()
        stored.language = "Arabic"
    with pytest.raises(daily_plans.NoTextsInLanguage) as refused:
        daily_plans.set_active(services, user_id, "Arabic", True)
    assert refused.value.field == "language" and "Arabic" in refused.value.detail
    assert daily_plans.set_active(services, user_id, "Arabic", False)["active"] is False


def test_the_feed_parses_and_its_address_can_be_revoked(
    api: httpx.Client, services: Services
) -> None:
    plan(services, LOCAL_USER_ID)  # no zone on the account: UTC
    tick(services, MORNING + timedelta(hours=2))
    ((_, _, job_id),) = readings(services)
    article_id = made_ready(services, job_id)
    sound = bytes(range(256)) * 40
    meta = {"file": "audio-test.ogg", "mime": "audio/ogg", "size": len(sound), "sentences": []}
    services.store.put_audio(article_id, "audio-test.ogg", sound, json.dumps(meta))
    made = api.post("/daily/feed")
    assert made.status_code == 201
    url = made.json()["url"]
    body = httpx.get(url)
    assert body.status_code == 200
    assert body.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(body.text)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["Im Park"]
    assert parsed.entries[0].link.endswith(f"/articles/{article_id}")
    assert "Der Park ist groß." in parsed.entries[0].content[0].value
    (enclosure,) = parsed.entries[0].enclosures
    assert enclosure.type == "audio/ogg" and int(enclosure.length) == len(sound)
    got = httpx.get(enclosure.href)
    assert got.status_code == 200 and got.content == sound
    part = httpx.get(enclosure.href, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == sound[10:20]
    # A new address revokes the old one; deleting turns the feed off.
    second = api.post("/daily/feed").json()["url"]
    assert httpx.get(url).status_code == 404
    assert httpx.get(second).status_code == 200
    assert api.delete("/daily/feed").status_code == 204
    assert httpx.get(second).status_code == 404
    assert httpx.get(enclosure.href).status_code == 404


@pytest.mark.parametrize("services", ["sqlite"], indirect=True)
def test_the_cli_sets_a_plan_and_prints_today(api: httpx.Client, services: Services) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OPAD_", "REDIS_", "DATABASE_"))
    }
    env["OPAD_API_URL"] = str(api.base_url).rstrip("/")

    def opad(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "opad", *args], env=env, capture_output=True, text=True
        )

    noon = midday_zone()  # "by 00:00" is today's reading there, at any hour of the run
    made = opad("daily", "set", "de", "--level", "A2", "-t", "Park", "--at", "00:00",
                "--time-zone", noon)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert f"German\ton\tA2, 150 words, 95% known words, by 00:00 ({noon})" in made.stdout
    bad = opad("daily", "set", "de", "--at", "7 o'clock")
    assert bad.returncode == 1 and "at_time" in bad.stderr
    waiting = opad("today")
    assert waiting.returncode == 0 and "Park" in waiting.stdout, waiting.stdout
    tick(services, datetime.now(UTC))
    ((_, _, job_id),) = readings(services)
    made_ready(services, job_id)
    shown = opad("today")
    assert shown.returncode == 0, shown.stderr
    assert "· German A2 · Park: Im Park" in shown.stdout and "Der Park ist groß." in shown.stdout
    assert "Streak: 1 day in a row" in shown.stdout
    assert opad("daily", "off", "German").stdout.startswith("German\toff")


@pytest.mark.parametrize("services", ["sqlite"], indirect=True)
def test_a_worker_makes_the_daily_reading_at_the_learners_coverage(
    api: httpx.Client, services: Services
) -> None:
    import wordfreq

    from opad.db.models import SavedWord
    from opad.engines.leveler import LevelerEngine
    from opad.text.estimator import LevelEstimator
    from opad.worker.runner import Worker

    # The learner knows the 1 000 most frequent German lemmas; two are due for review.
    estimator = LevelEstimator("de")
    lemmas: list[str] = []
    for word in wordfreq.top_n_list("de", 4000):
        lemma = estimator.word(word).lemma
        if lemma.lower() not in {x.lower() for x in lemmas}:
            lemmas.append(lemma)
        if len(lemmas) == 1000:
            break
    past = datetime.now(UTC) - timedelta(days=1)
    with services.db.session() as session:
        for lemma in lemmas:
            session.add(
                SavedWord(
                    id=str(uuid.uuid4()),
                    user_id=LOCAL_USER_ID,
                    language="de",
                    lemma=lemma,
                    state="known",
                )  # fmt: skip
            )
        for lemma in ("Museum", "Ausstellung"):
            session.add(
                SavedWord(
                    id=str(uuid.uuid4()),
                    user_id=LOCAL_USER_ID,
                    language="de",
                    lemma=lemma,
                    state="learning",
                    due=past,
                )  # fmt: skip
            )
    plan(services, LOCAL_USER_ID, topics=["Museum"], at_time="00:00", coverage=0.85, length=150,
         time_zone=midday_zone())  # fmt: skip
    tick(services, datetime.now(UTC))
    ((_, _, job_id),) = readings(services)
    worker = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    worker.start()
    try:
        with services.db.session() as session:
            article_id = session.get(Job, job_id).article_id  # type: ignore[union-attr]

        def ready() -> bool:
            return api.get(f"/articles/{article_id}").json()["status"] in ("ready", "failed")

        wait_until(ready, 120, "the daily reading")
    finally:
        worker.stop()
    detail = api.get(f"/articles/{article_id}").json()
    assert detail["status"] == "ready", detail
    coverage = detail["coverage"]
    assert coverage["target"] == 0.85 and coverage["known_lemmas"] >= 1000
    assert abs(coverage["reached"] - 0.85) <= 0.03, coverage
    # Today's view (home page, `opad today`) says it too.
    (item,) = api.get("/daily/today").json()["readings"]
    assert item["coverage"] == coverage["reached"]


def test_a_plan_deleted_and_made_again_the_same_day_gets_no_second_reading(
    services: Services,
) -> None:
    user = learner(services)
    plan(services, user)
    assert len(tick(services, MORNING).made) == 1
    daily_plans.delete_plan(services, user, "German")
    plan(services, user, topics=["other"])
    assert not tick(services, MORNING + timedelta(hours=1)).made
    assert len(tick(services, MORNING + timedelta(days=1)).made) == 1
    # The day made before stays the learner's: yesterday's, unread, under today's.
    view = today(services, user, MORNING + timedelta(days=1))
    assert [r["day"] for r in view["readings"]] == ["2026-12-02", "2026-12-01"]
