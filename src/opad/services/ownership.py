"""Whose a reading is: the one ownership check of every service that reads an article.

Below the services that use it (articles, audio, readings, quiz), so none of them needs
another's module for it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from opad.db.models import Article
from opad.errors import NotFound


def owned_article(session: Session, article_id: str, owner_id: str | None) -> Article:
    """The article if it exists and belongs to `owner_id` (None: anyone's); else 404 —
    the same answer whether it does not exist or is someone else's."""
    article = session.get(Article, article_id)
    if article is None or (owner_id is not None and article.owner_id != owner_id):
        raise NotFound(f"no article with id {article_id}")
    return article
