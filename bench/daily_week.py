"""A week of one learner's daily readings (issue 31), for the record: titles, the coverage
each reached and the words due for review it brought back.

A German B1 learner who knows the 2 000 most frequent lemmas and has eight words due,
with a plan (150 words, 90% known, seven topics in turn); each simulated morning the
daily tick runs and a real in-process worker (leveler, starter library) makes the
reading; the learner opens it every day but the fourth. Prints a markdown table.
Uses a temporary SQLite database and REDIS_URL (or the embedded Redis):
`uv run python -m bench.daily_week`.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import wordfreq
from sqlalchemy import select

from opad.bootstrap import build_services
from opad.daily import plans
from opad.daily.tick import tick
from opad.daily.today import mark_read, today
from opad.db.migrate import upgrade
from opad.db.models import Article, DailyReading, SavedWord, User
from opad.engines.leveler import LevelerEngine
from opad.settings import Settings
from opad.text.estimator import LevelEstimator
from opad.worker.runner import Worker

DUE = ["Park", "Regen", "Schule", "Museum", "Arzt", "Fahrrad", "Kantine", "Schlaf"]
TOPICS = ["Stadtpark", "Starkregen", "Schule digital", "Museum", "Landarzt", "Fahrradstraße"]
START = datetime(2026, 12, 1, 5, 30, tzinfo=UTC)  # 06:30 in Berlin, before 07:00


def main() -> None:
    """Run the week and print the table."""
    data = Path(tempfile.mkdtemp(prefix="opad-daily-week-"))
    values: dict[str, object] = {"OPAD_DATA_DIR": data, "OPAD_SPEECH": "off"}
    values["OPAD_DAILY_TICK"] = 3600  # this script ticks itself, at the simulated mornings
    if os.environ.get("REDIS_URL"):
        values["REDIS_URL"] = os.environ["REDIS_URL"]
    settings = Settings(_env_file=None, **values)  # type: ignore[arg-type]
    services = build_services(settings)
    upgrade(services.db.engine)
    user_id = str(uuid.uuid4())
    estimator = LevelEstimator("de")
    lemmas: list[str] = []
    for word in wordfreq.top_n_list("de", 10000):
        lemma = estimator.word(word).lemma
        if lemma.lower() not in {x.lower() for x in lemmas}:
            lemmas.append(lemma)
        if len(lemmas) == 2000:
            break
    with services.db.session() as session:
        session.add(User(id=user_id, email="week@example.org", time_zone="Europe/Berlin"))
    with services.db.session() as session:
        for lemma in lemmas:
            if lemma not in DUE:
                session.add(SavedWord(id=str(uuid.uuid4()), user_id=user_id, language="de",
                                      lemma=lemma, state="known"))  # fmt: skip
        due = START - timedelta(days=30)
        for lemma in DUE:
            session.add(SavedWord(id=str(uuid.uuid4()), user_id=user_id, language="de",
                                  lemma=lemma, state="learning", due=due))  # fmt: skip
    plan = plans.PlanIn(level="B1", length=150, topics=TOPICS, at_time="07:00", coverage=0.9)  # type: ignore[arg-type]
    plans.put_plan(services, user_id, "German", plan)
    worker = Worker(services, LevelerEngine(settings), settings, concurrency=1)
    worker.start()
    print("| day | topic | title | words | coverage | due words met |")
    print("|---|---|---|---|---|---|")
    try:
        for n in range(7):
            now = START + timedelta(days=n)
            tick(services, now)
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                with services.db.session() as session:
                    status = session.scalar(
                        select(Article.status)
                        .join(DailyReading, DailyReading.article_id == Article.id)
                        .where(DailyReading.day == now.date())
                    )
                if status in ("ready", "failed"):
                    break
                time.sleep(0.3)
            item = today(services, user_id, now)["readings"][0]
            result = json.loads(services.store.get_result(item["article_id"]) or "{}")
            coverage = result.get("coverage") or {}
            reached = coverage.get("reached")
            if n != 3:
                mark_read(services, user_id, item["article_id"], now + timedelta(hours=2))
            print(
                f"| {item['day']} | {item['topic']} | {item['title']} | {item['word_count']} | "
                f"{reached:.1%} | {', '.join(coverage.get('due_words') or []) or '—'} |"
                if reached is not None
                else f"| {item['day']} | {item['topic']} | {item['status']} | | | |"
            )
        end = today(services, user_id, START + timedelta(days=6, hours=3))
        print(f"\nStreak at the end of the week: {end['streak']['days']} days.")
    finally:
        worker.stop()
        services.close()


if __name__ == "__main__":
    main()
