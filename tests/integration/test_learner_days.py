"""The learner's own day (issue 30, part 2): review days, the streak and the charts are
counted in the learner's time zone; the zone is set by PATCH /auth/me (the web sends the
browser's at sign-in). A real API over HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.db.models import Review, SavedWord
from opad.learner_time import learner_today, today_in
from opad.services.accounts import create_user
from tests.processes import ServerThread

PASSWORD = "correct horse battery"


class Learner:
    def __init__(self, url: str, services: Services, token: str, user_id: str) -> None:
        self.url, self.services, self.user_id = url, services, user_id
        self.client = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    def review_at(self, *moments: datetime) -> None:
        """Reviews of one word at these moments (as if graded then)."""
        with self.services.db.session() as session:
            word = SavedWord(
                id=str(uuid.uuid4()), user_id=self.user_id, language="de",
                lemma=f"Wort{uuid.uuid4().hex[:6]}", state="learning", stage=1,
            )  # fmt: skip
            session.add(word)
            session.flush()  # the word before its reviews (a foreign key)
            for moment in moments:
                review = Review(word_id=word.id, user_id=self.user_id, rating=3,
                                reviewed_at=moment.astimezone(UTC), next_due=moment)  # fmt: skip
                session.add(review)


@pytest.fixture
def learner(services: Services) -> Iterator[Learner]:
    services.settings.env = "production"
    services.settings.secret_key = "s" * 48  # type: ignore[assignment]
    user = create_user(services, "kenji@example.org", PASSWORD)
    with ServerThread(create_app(services.settings, services)) as api:
        body = {"email": "kenji@example.org", "password": PASSWORD}
        token = httpx.post(f"{api.url}/auth/login", json=body).json()["token"]
        one = Learner(api.url, services, token, user.id)
        yield one
        one.client.close()


def local(zone: str, day_offset: int, clock: time) -> datetime:
    """`clock` on the day `day_offset` days from the learner's today, in `zone`."""
    day = today_in(zone) + timedelta(days=day_offset)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone))


def test_a_tokyo_learner_reviewing_four_mornings_running_has_a_streak_of_four(
    learner: Learner,
) -> None:
    # The issue's: UTC days for everyone gave this learner a streak of 1. Mornings at
    # 08:30 and 09:30 in Tokyo straddle midnight UTC, so in UTC they skip a day.
    assert learner.client.patch("/auth/me", json={"time_zone": "Asia/Tokyo"}).status_code == 200
    mornings = [
        local("Asia/Tokyo", -d, time(8, 30) if d % 2 else time(9, 30)) for d in (4, 3, 2, 1)
    ]
    learner.review_at(*mornings)
    stats = learner.client.get("/stats/words", params={"days": 7}).json()
    assert stats["streak"] == 4
    per_day = {d["date"]: d["reviews"] for d in stats["days"]}
    for moment in mornings:  # each morning on its own day in the chart
        assert per_day[moment.date().isoformat()] == 1
    assert stats["days"][-1]["date"] == today_in("Asia/Tokyo").isoformat()


def test_a_late_evening_in_los_angeles_counts_on_that_evening(learner: Learner) -> None:
    # Ours: 23:30 in Los Angeles is the next morning in UTC; the learner reviewed "today".
    assert (
        learner.client.patch("/auth/me", json={"time_zone": "America/Los_Angeles"}).status_code
        == 200
    )
    evenings = [local("America/Los_Angeles", -d, time(23, 30)) for d in (3, 2, 1)]
    learner.review_at(*evenings)
    stats = learner.client.get("/stats/words", params={"days": 7}).json()
    assert stats["streak"] == 3
    per_day = {d["date"]: d["reviews"] for d in stats["days"]}
    assert all(per_day[m.date().isoformat()] == 1 for m in evenings)


@pytest.mark.parametrize("bad", ["Mars/Olympus", "../../etc/passwd", "", "UTC+9", "x" * 80])
def test_an_unknown_time_zone_is_422_naming_the_field(learner: Learner, bad: str) -> None:
    resp = learner.client.patch("/auth/me", json={"time_zone": bad})
    assert resp.status_code == 422, resp.text
    assert [f["field"] for f in resp.json()["fields"]][-1] in ("time_zone", "body.time_zone")
    assert learner.client.get("/auth/me").json()["time_zone"] is None


def test_the_learners_today_is_one_function_of_their_zone(learner: Learner) -> None:
    # Ours: the function later features build on ("the learner's today").
    moment = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
    assert learner_today(learner.services, learner.user_id, moment).isoformat() == "2026-03-01"
    learner.client.patch("/auth/me", json={"time_zone": "Asia/Tokyo"})
    assert learner_today(learner.services, learner.user_id, moment).isoformat() == "2026-03-02"
    learner.client.patch("/auth/me", json={"time_zone": "Pacific/Kiritimati"})  # UTC+14
    late = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert learner_today(learner.services, learner.user_id, late).isoformat() == "2026-03-02"
    assert learner.client.get("/auth/me").json()["time_zone"] == "Pacific/Kiritimati"
