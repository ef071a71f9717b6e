"""Spaced repetition with FSRS (the `fsrs` package), and cloze cards from saved sentences.

A saved word carries one FSRS card, stored as `fsrs.Card.to_dict()` in the database; a
review is `Scheduler.review_card(card, rating)`. The scheduler's default parameters are
FSRS-6's published defaults (desired retention 0.9, learning steps 1 and 10 minutes).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}


def _scheduler() -> Any:
    from fsrs import Scheduler

    # No fuzzing: the interval shown on a button is the interval the card gets.
    return Scheduler(enable_fuzzing=False)


def new_card(now: datetime | None = None) -> dict[str, Any]:
    """A new FSRS card due now, as a JSON-ready dict."""
    from fsrs import Card

    return dict(Card(due=now or datetime.now(UTC)).to_dict())


def review(
    card: dict[str, Any], rating: str, now: datetime | None = None
) -> tuple[dict[str, Any], datetime]:
    """(the card after `rating` at `now`, its next due time). Raises KeyError on a bad rating."""
    from fsrs import Card, Rating

    updated, _log = _scheduler().review_card(
        Card.from_dict(card),  # type: ignore[arg-type]  # a JSON dict from the database
        Rating(RATINGS[rating]),
        now or datetime.now(UTC),
    )
    return dict(updated.to_dict()), updated.due


def previews(card: dict[str, Any], now: datetime | None = None) -> dict[str, str]:
    """What each button would do: {"again": "1 min", "good": "10 min", "easy": "3 days"…}."""
    moment = now or datetime.now(UTC)
    return {name: describe_interval(review(card, name, moment)[1] - moment) for name in RATINGS}


def describe_interval(delta: Any) -> str:
    """A timedelta as a learner reads it: "1 min", "10 min", "5 h", "3 days", "2 months"."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return f"{minutes} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = round(seconds / 86400)
    if days < 31:
        return "1 day" if days == 1 else f"{days} days"
    if days < 365:
        months = round(days / 30.4)
        return "1 month" if months == 1 else f"{months} months"
    years = round(days / 365, 1)
    return f"{years:g} year" + ("" if years == 1 else "s")


# Han characters and kana: Japanese and Chinese are written without spaces, so a word is
# found where it stands in the sentence, not between word boundaries (孤独を感じた).
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def cloze(sentence: str, form: str, lemma: str = "") -> str | None:
    """`sentence` with the word marked `{{c1::form}}` (Anki's cloze syntax), or None when
    neither the form read nor the lemma occurs in it as a whole word (in Japanese and
    Chinese, where words are not spaced: anywhere)."""
    for target in (form, lemma):
        if not target:
            continue
        edge = ("", "") if _UNSPACED.search(target) else (r"(?<![\w])", r"(?![\w])")
        pattern = re.compile(f"{edge[0]}{re.escape(target)}{edge[1]}", re.IGNORECASE)
        match = pattern.search(sentence)
        if match:
            return (
                f"{sentence[: match.start()]}{{{{c1::{match.group(0)}}}}}{sentence[match.end() :]}"
            )
    return None


def cloze_parts(sentence: str, form: str, lemma: str = "") -> tuple[str, str, str] | None:
    """(before, hidden word, after) of the cloze, for the review page; None as `cloze`."""
    marked = cloze(sentence, form, lemma)
    if marked is None:
        return None
    before, rest = marked.split("{{c1::", 1)
    hidden, after = rest.split("}}", 1)
    return before, hidden, after


def cloze_html(sentence: str, form: str, lemma: str = "") -> str:
    """The cloze as escaped HTML with the word replaced by a blank (front of a card)."""
    parts = cloze_parts(sentence, form, lemma)
    if parts is None:
        return html.escape(sentence)
    before, _, after = parts
    return f'{html.escape(before)}<span class="cloze">[…]</span>{html.escape(after)}'
