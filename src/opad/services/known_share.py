""" "Known words %" for many readings at once: the share of a reading's running words whose
lemma the learner marked known (or ignored), computed in SQL from a lemma index.

Each ready reading is indexed once from its typed body (`reading_index` holds its word
total, `reading_lemmas` its words by lemma; the worker writes both with the reading); the
figure for a whole library page is then one query joining that index with the learner's
saved words — never one per word, never a re-read of the texts. A reading the worker did
not index (stored before typed bodies, or by a worker that failed to analyze it) is
indexed from its stored typed body the first time a listing needs it, or its one-time
analysis is requested from the workers (opad.services.readings): nothing is tokenized in
the API.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opad.bootstrap import Services
from opad.db.models import Article, ReadingIndex, ReadingLemma, SavedWord, utcnow
from opad.errors import DependencyUnavailable
from opad.learning.reading_words import KNOWN_STATES
from opad.reading.stored import parse_body
from opad.services.readings import request_analysis
from opad.states import ArticleStatus

log = logging.getLogger(__name__)


def index_readings(
    services: Services,
    owner_id: str | None,
    article_id: str | None = None,
    budget: float | None = None,
) -> int:
    """Index the ready readings (of `owner_id`, or all; only `article_id` if given) not
    indexed since they last changed, from their stored typed bodies; returns how many were
    indexed. A reading without one gets its analysis requested (a worker indexes it when
    done); one the store cannot give is skipped (indexed on a later call). With `budget`
    (seconds), no new reading is started once it is spent: a listing never waits long."""

    stale = (
        select(Article.id, Article.language)
        .outerjoin(ReadingIndex, ReadingIndex.article_id == Article.id)
        .where(
            Article.status == ArticleStatus.READY,
            Article.content_key.is_not(None),
            or_(ReadingIndex.article_id.is_(None), ReadingIndex.indexed_at < Article.updated_at),
        )
    )
    if owner_id is not None:
        stale = stale.where(Article.owner_id == owner_id)
    if article_id is not None:
        stale = stale.where(Article.id == article_id)
    with services.db.session() as session:
        todo = session.execute(stale).all()
    done = 0
    started = time.monotonic()
    unanalyzed = []
    for ident, _language in todo:
        if budget is not None and time.monotonic() - started > budget:
            break
        try:
            body = parse_body(services.store.get_reading(ident))
        except (DependencyUnavailable, OSError) as exc:
            # The listing still answers; the share shows once the store does.
            log.warning("reading %s not indexed: %s", ident, exc)
            continue
        if body is None:
            unanalyzed.append(ident)
            continue
        try:
            _store_index(services, ident, body.language, body.lemma_counts())
        except IntegrityError:
            continue  # another request indexed it at the same moment: theirs stands
        done += 1
    if unanalyzed:
        request_analysis(services, *unanalyzed)
    if done:
        log.info("indexed %d readings for known-word shares", done)
    return done


def _store_index(services: Services, ident: str, code: str, counts: dict[str, int]) -> None:
    with services.db.session() as session:
        if session.get(Article, ident) is None:
            return  # deleted meanwhile
        write_index(session, ident, code, counts)


def write_index(session: Session, ident: str, code: str, counts: dict[str, int]) -> None:
    """Replace the index of reading `ident` in `session`'s transaction (Core statements:
    one DELETE, one INSERT, one executemany). Written after the article's own UPDATE of
    the transaction, so `indexed_at` is not older than the article's `updated_at`."""
    session.execute(delete(ReadingIndex).where(ReadingIndex.article_id == ident))
    session.execute(
        insert(ReadingIndex).values(
            article_id=ident, language=code, words=sum(counts.values()), indexed_at=utcnow()
        )
    )
    rows = [{"article_id": ident, "lemma": k, "count": n} for k, n in _merged(counts).items()]
    if rows:  # one executemany: ORM objects cost ~0.1 s per reading here
        session.execute(insert(ReadingLemma), rows)


def _merged(counts: dict[str, int]) -> dict[str, int]:
    # Lemmas longer than the column are cut; two that cut alike must share one row.
    merged: dict[str, int] = {}
    for lemma, n in counts.items():
        merged[lemma[:200]] = merged.get(lemma[:200], 0) + n
    return merged


def _knows(user_id: str) -> Any:
    """EXISTS: the user knows (or ignores) the lemma of the reading_lemmas row at hand."""
    return (
        select(SavedWord.id)
        .where(
            SavedWord.user_id == user_id,
            SavedWord.language == ReadingIndex.language,
            SavedWord.lemma == ReadingLemma.lemma,
            SavedWord.state.in_(KNOWN_STATES),
        )
        .exists()
    )


def known_words(user_id: str) -> Any:
    """A subquery (article_id, known): running words of each reading the user knows."""
    return (
        select(ReadingLemma.article_id, func.sum(ReadingLemma.count).label("known"))
        .join(ReadingIndex, ReadingIndex.article_id == ReadingLemma.article_id)
        .join(
            SavedWord,
            and_(
                SavedWord.user_id == user_id,
                SavedWord.language == ReadingIndex.language,
                SavedWord.lemma == ReadingLemma.lemma,
            ),
        )
        .where(SavedWord.state.in_(KNOWN_STATES))
        .group_by(ReadingLemma.article_id)
        .subquery()
    )


def at_least(query: Any, user_id: str, percent: int) -> Any:
    """`query` over Article narrowed to readings whose known share is ≥ `percent` (0–100).

    The learner's known words drive the join (to the readings holding each lemma, by
    its index): the cost grows with their vocabulary and the library, hundreds of
    milliseconds for a large one (docs/benchmarks.md, "Known words %").
    """
    known = known_words(user_id)
    return (
        query.join(ReadingIndex, ReadingIndex.article_id == Article.id)
        .outerjoin(known, known.c.article_id == Article.id)
        # Integers on both sides: no division, no rounding differences between databases.
        .where(
            ReadingIndex.words > 0,
            func.coalesce(known.c.known, 0) * 100 >= percent * ReadingIndex.words,
        )
    )


def shares(session: Session, user_id: str, article_ids: list[str]) -> dict[str, float]:
    """{article_id: share 0–1} for those of `article_ids` that are indexed, in one query.

    Driven from the page's readings (their lemma rows by primary key), each lemma probed
    in the learner's words by their unique index: the cost follows the page, not the size
    of the library or of the learner's vocabulary.
    """
    if not article_ids:
        return {}
    known = dict(
        session.execute(
            select(ReadingLemma.article_id, func.sum(ReadingLemma.count))
            .join(ReadingIndex, ReadingIndex.article_id == ReadingLemma.article_id)
            .where(ReadingLemma.article_id.in_(article_ids), _knows(user_id))
            .group_by(ReadingLemma.article_id)
        ).all()
    )
    totals = session.execute(
        select(ReadingIndex.article_id, ReadingIndex.words).where(
            ReadingIndex.article_id.in_(article_ids), ReadingIndex.words > 0
        )
    ).all()
    return {article_id: int(known.get(article_id) or 0) / words for article_id, words in totals}
