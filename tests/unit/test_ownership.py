"""Ownership: a learner sees only their own readings and words, with the same 404 whether a
record is missing or someone else's; a local install without sign-in (scope None) sees all.

The rules take a database session; here it is a dictionary of records, since the rule only
ever asks the session for one record by its id."""

from __future__ import annotations

from typing import Any

import pytest

from opad.db.models import Article, SavedWord
from opad.errors import NotFound
from opad.services.ownership import owned_article
from opad.services.words import owned_word


class Records:
    """The part of a SQLAlchemy session the ownership rules use: `get` by primary key."""

    def __init__(self, *rows: Any) -> None:
        self.rows = {(type(row), row.id): row for row in rows}

    def get(self, model: type, key: str, **_options: Any) -> Any:
        return self.rows.get((model, key))


ANAS = Article(id="a1", owner_id="ana")
WORD = SavedWord(id="w1", user_id="ana")
RECORDS: Any = Records(ANAS, WORD)


def test_the_owner_gets_their_reading() -> None:
    assert owned_article(RECORDS, "a1", "ana") is ANAS


def test_without_a_scope_every_reading_is_visible() -> None:
    assert owned_article(RECORDS, "a1", None) is ANAS


@pytest.mark.parametrize(("article_id", "owner"), [("a1", "bob"), ("a2", "ana"), ("a2", None)])
def test_someone_elses_or_a_missing_reading_is_the_same_404(article_id: str, owner: str) -> None:
    with pytest.raises(NotFound) as info:
        owned_article(RECORDS, article_id, owner)
    assert info.value.status_code == 404
    assert info.value.detail == f"no article with id {article_id}"


def test_a_saved_word_is_its_owners_only() -> None:
    assert owned_word(RECORDS, "ana", "w1") is WORD
    for user, word_id in (("bob", "w1"), ("ana", "w2")):
        with pytest.raises(NotFound, match=f"no saved word {word_id}"):
            owned_word(RECORDS, user, word_id)


def test_an_empty_owner_is_not_a_wildcard() -> None:
    # Only None means "anyone's"; an empty id is a user who owns nothing.
    with pytest.raises(NotFound):
        owned_article(RECORDS, "a1", "")
