"""Jobs made the way the API makes them (article + job rows, queued status, LPUSH), in bulk."""

from __future__ import annotations

import uuid
from typing import Any

from opad.bootstrap import Services
from opad.db.models import Article, Job, utcnow
from opad.jobs.records import job_status_document
from opad.queue.protocol import iso
from opad.services.articles import QUEUED_MESSAGE, inputs_of
from opad.users import LOCAL_USER_ID

Message = tuple[dict[str, Any], dict[str, Any]]  # (payload, queued status)


def prepare_jobs(services: Services, count: int, start: int = 0) -> list[Message]:
    """Commit `count` articles with a queued job each; returns what to enqueue."""
    pending = []
    with services.db.session() as session:
        for n in range(start, start + count):
            article = Article(
                id=str(uuid.uuid4()),
                owner_id=LOCAL_USER_ID,
                language="English",
                level="B1",
                length=200,
                topic=f"bench {n}",
                status="queued",
            )
            job = Job(
                id=str(uuid.uuid4()),
                article_id=article.id,
                status="queued",
                progress=0,
                message=QUEUED_MESSAGE,
                attempts=0,
                fence=0,
                engine="noop",
                inputs=inputs_of(article),
                created_at=utcnow(),
            )
            article.latest_job_id = job.id
            session.add_all([article, job])
            pending.append((article, job))
        session.flush()
        return [
            (
                {
                    "job_id": j.id,
                    "article_id": a.id,
                    "inputs": j.inputs,
                    "created_at": iso(j.created_at),
                },
                job_status_document(j).document(),
            )
            for a, j in pending
        ]


def seed_jobs(services: Services, count: int, batch: int = 500) -> list[str]:
    """Create and enqueue `count` jobs; returns their ids."""
    ids: list[str] = []
    for start in range(0, count, batch):
        for payload, status in prepare_jobs(services, min(batch, count - start), start):
            services.queue.enqueue(payload, status)
            ids.append(payload["job_id"])
    return ids
