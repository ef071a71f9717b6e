"""The learner's Atom feed of daily readings, at a secret address.

The address holds a random token (only its SHA-256 is stored, like API tokens); making a
new one revokes the old, and deleting it turns the feed off. The feed is made with
feedgenerator (the standalone form of Django's feed generator; see docs/daily.md for why
it over feedgen): one entry per daily reading made, newest first, with the reading as
its content and its audio, where made, as an enclosure served under the same token.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import delete, select

from opad.bootstrap import Services
from opad.db.models import Article, DailyFeed, DailyReading, utcnow
from opad.errors import NotFound
from opad.states import ArticleStatus

FEED_ENTRIES = 30  # a month of daily readings: what a feed reader needs to catch up


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(services: Services, user_id: str) -> str:
    """A new feed token for the learner (the old one, if any, stops working at once).
    Returned once: only its hash is kept."""
    token = "opadfeed_" + secrets.token_urlsafe(24)
    with services.db.session() as session:
        session.execute(delete(DailyFeed).where(DailyFeed.user_id == user_id))
        session.add(DailyFeed(user_id=user_id, token_hash=_hash(token), created_at=utcnow()))
    return token


def revoke(services: Services, user_id: str) -> bool:
    """Turn the learner's feed off; whether there was one."""
    with services.db.session() as session:
        gone = session.execute(
            delete(DailyFeed).where(DailyFeed.user_id == user_id).returning(DailyFeed.user_id)
        ).first()
    return gone is not None


def feed_state(services: Services, user_id: str) -> dict[str, Any]:
    """Whether the learner has a feed, and since when (the token is never shown again)."""
    with services.db.session() as session:
        row = session.get(DailyFeed, user_id)
        return {"active": row is not None, "created_at": row.created_at if row else None}


def user_for_token(services: Services, token: str) -> str:
    """The learner whose feed token this is; NotFound otherwise (a revoked or wrong
    token is indistinguishable from no feed)."""
    if not token.startswith("opadfeed_") or len(token) > 100:
        raise NotFound("no such feed")
    with services.db.session() as session:
        user_id = session.scalar(
            select(DailyFeed.user_id).where(DailyFeed.token_hash == _hash(token))
        )
    if user_id is None:
        raise NotFound("no such feed")
    return str(user_id)


def is_daily_reading(services: Services, user_id: str, article_id: str) -> bool:
    """Whether `article_id` is one of the learner's daily readings (what a feed may serve)."""
    with services.db.session() as session:
        found = session.scalar(
            select(DailyReading.id).where(
                DailyReading.user_id == user_id, DailyReading.article_id == article_id
            )
        )
    return found is not None


def _audio_meta(services: Services, article_id: str) -> dict[str, Any] | None:
    raw = services.store.get_audio_meta(article_id)
    return json.loads(raw) if raw else None


def atom(services: Services, user_id: str, token: str) -> str:
    """The feed document (Atom 1.0, UTF-8): the learner's ready daily readings, newest
    first, at most FEED_ENTRIES; links point at the web reader (OPAD_WEB_URL), the
    enclosures at this API (OPAD_API_URL) under the same token."""
    # Imported when a feed is read, not with the API's routes: the writer, markdown-it
    # and nh3 are ~4 MB that an API whose learners have no feed never needs.
    import feedgenerator

    from opad.markup.render import markdown_to_html
    from opad.reading.layout import parse

    settings = services.settings
    api = settings.api_url.rstrip("/")
    web = settings.web_url.rstrip("/")
    with services.db.session() as session:
        rows = session.execute(
            select(DailyReading, Article)
            .join(Article, Article.id == DailyReading.article_id)
            .where(DailyReading.user_id == user_id, Article.status == ArticleStatus.READY)
            .order_by(DailyReading.day.desc(), DailyReading.id.desc())
            .limit(FEED_ENTRIES)
        ).all()
    feed = feedgenerator.Atom1Feed(
        title="One paragraph a day",
        link=f"{web}/",
        description="Your daily readings",
        feed_url=f"{api}/feeds/{token}.atom",
        feed_guid=f"urn:opad:daily:{user_id}",
    )
    for reading, article in rows:
        markdown = services.store.get_markdown(article.id) or ""
        body = parse(markdown).body if markdown else ""
        enclosures = []
        meta = _audio_meta(services, article.id)
        if meta is not None:
            enclosures.append(
                feedgenerator.Enclosure(
                    f"{api}/feeds/{token}/audio/{article.id}",
                    str(meta.get("size") or 0),
                    str(meta.get("mime") or "audio/ogg"),
                )
            )
        feed.add_item(
            title=article.title or reading.topic or "Daily reading",
            link=f"{web}/articles/{article.id}",
            description=f"{article.language}, {article.level}: {reading.topic}",
            content=markdown_to_html(body),
            unique_id=f"urn:opad:daily:{user_id}:{reading.language}:{reading.day.isoformat()}",
            pubdate=article.updated_at or reading.created_at,
            updateddate=article.updated_at or reading.created_at,
            categories=[reading.topic] if reading.topic else (),
            enclosures=enclosures,
        )
    return str(feed.writeString("utf-8"))
