"""Deleting an article's stored objects reliably: an outbox in the database.

The record goes first (the learner's delete must not wait for, or fail with, the object
store), and in the same transaction a row in `pending_deletions` names the objects still to
remove. Right after the commit we try once; whatever the store refuses (down, slow) stays
in the outbox, and every worker's cleanup loop retries it every OPAD_CLEANUP_INTERVAL
seconds until the store answers. Deleting objects twice is harmless, so several workers
may race on a row without care.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from opad.bootstrap import Services
from opad.db.models import Article, PendingDeletion
from opad.errors import DependencyUnavailable

log = logging.getLogger("opad.deletions")

BATCH = 100  # rows per pass; the next pass takes the rest


def schedule(session: Session, article_id: str) -> None:
    """Record, in the caller's transaction, that the article's objects must go."""
    session.add(PendingDeletion(article_id=article_id))


def remove_if_deleted(services: Services, article_id: str) -> bool:
    """After writing into an article's folder: if the article was deleted meanwhile, put
    its objects through the outbox again (what was just written goes with them). True when
    the article is gone. The write came first, so a delete committed after this look runs
    its own removal after the write: nothing is left either way."""
    with services.db.session() as session:
        if session.get(Article, article_id) is not None:
            return False
        schedule(session, article_id)
    log.warning("article %s was deleted while being written: removing the writes", article_id)
    delete_now(services, article_id)
    return True


def _remove(services: Services, article_id: str) -> str | None:
    """Delete the objects; None when done, else why not (one line)."""
    try:
        services.store.delete(article_id)
    except (DependencyUnavailable, OSError) as exc:
        return str(exc)[:1000] or type(exc).__name__
    return None


def delete_now(services: Services, article_id: str) -> bool:
    """Try to delete the objects of a just-deleted article; True when they are gone (and
    the outbox row with them), False when the row stays for the cleanup loop."""
    error = _remove(services, article_id)
    with services.db.session() as session:
        if error is None:
            session.execute(delete(PendingDeletion).where(PendingDeletion.article_id == article_id))
            return True
        session.execute(
            update(PendingDeletion)
            .where(PendingDeletion.article_id == article_id)
            .values(attempts=PendingDeletion.attempts + 1, last_error=error)
        )
    log.warning("objects of deleted article %s kept for a retry: %s", article_id, error)
    return False


def retry_pending(services: Services) -> tuple[int, int]:
    """One pass over the outbox, oldest first: (rows done, rows still pending).

    Stops at the first refusal: the store is down, and trying every row would only wait
    for every timeout. Never raises for a down store or database (logs instead).
    """
    try:
        with services.db.session() as session:
            rows = session.execute(
                select(PendingDeletion.id, PendingDeletion.article_id)
                .order_by(PendingDeletion.id)
                .limit(BATCH)
            ).all()
        done = 0
        for row_id, article_id in rows:
            error = _remove(services, article_id)
            with services.db.session() as session:
                if error is not None:
                    session.execute(
                        update(PendingDeletion)
                        .where(PendingDeletion.id == row_id)
                        .values(attempts=PendingDeletion.attempts + 1, last_error=error)
                    )
                    log.warning("object store still refuses deletions: %s", error)
                    return done, len(rows) - done
                session.execute(delete(PendingDeletion).where(PendingDeletion.id == row_id))
            done += 1
        if done:
            log.info("deleted the stored objects of %d deleted article(s)", done)
        return done, 0
    except (SQLAlchemyError, DependencyUnavailable) as exc:
        log.warning("cleanup: database unavailable (%s)", exc)
        return 0, -1


def pending_count(services: Services) -> int:
    """How many articles' objects are still waiting to be deleted."""
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(PendingDeletion)) or 0)
