"""The learner's saved words: states, sentences and readings, per user, in the database.

Every function takes the caller's user id and only ever touches that user's rows: another
user's word id is "not found", never "forbidden", so ids reveal nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from opad.bootstrap import Services
from opad.db.models import (
    Article,
    LearnerProfile,
    SavedWord,
    WordContext,
    WordStateChange,
    utcnow,
)
from opad.errors import NotFound
from opad.learning.review import new_card
from opad.learning.states import REVIEWED, WordState, normalize_stage

MAX_CONTEXTS = 20  # sentences kept per word; the newest are the most useful to review


def explain_in(services: Services, user_id: str) -> str:
    """The user's explanation language (ISO 639-1; English until they choose)."""
    with services.db.session() as session:
        profile = session.get(LearnerProfile, user_id)
        return profile.explain_in if profile else "en"


def set_explain_in(services: Services, user_id: str, code: str) -> str:
    """Set the user's explanation language; returns it."""
    with services.db.session() as session:
        profile = session.get(LearnerProfile, user_id)
        if profile is None:
            session.add(LearnerProfile(user_id=user_id, explain_in=code))
        else:
            profile.explain_in = code
    return code


def word_dict(word: SavedWord, contexts: bool = True) -> dict[str, Any]:
    """A saved word as the API returns it."""
    data: dict[str, Any] = {
        "id": word.id,
        "language": word.language,
        "lemma": word.lemma,
        "state": word.state,
        "stage": word.stage,
        "level": word.level,
        "meaning": word.meaning,
        "notes": word.notes,
        "due": word.due.isoformat() if word.due else None,
        "created_at": word.created_at.isoformat(),
        "updated_at": word.updated_at.isoformat(),
    }
    if contexts:
        data["contexts"] = [
            {
                "form": c.form,
                "sentence": c.sentence,
                "reading": c.reading,
                "article_id": c.article_id,
                "article_title": c.article_title,
                "created_at": c.created_at.isoformat(),
            }
            for c in word.contexts
        ]
    return data


def record_change(session: Session, word: SavedWord, before: str | None, after: str) -> None:
    """Keep a change of `word`'s state (from `before`, None when just saved) for the
    statistics' words-by-state-over-time; no row when nothing changed."""
    if before != after:
        session.add(
            WordStateChange(
                word_id=word.id, user_id=word.user_id, from_state=before, to_state=after,
                changed_at=utcnow(),
            )
        )  # fmt: skip


def _apply_state(
    session: Session, word: SavedWord, state: WordState, stage: int | None, fresh: bool = False
) -> None:
    record_change(session, word, None if fresh else word.state, state.value)
    word.batch_id = None  # chosen by the learner now: no longer a bulk change's to undo
    word.state = state.value
    word.stage = normalize_stage(state, stage)
    if state in REVIEWED:
        if word.card is None:
            word.card = new_card()
            word.due = utcnow()
    else:
        word.due = None  # known and ignored words leave the review queue (card kept)


def _owned(session: Session, user_id: str, word_id: str) -> SavedWord:
    word = session.get(SavedWord, word_id, options=[selectinload(SavedWord.contexts)])
    if word is None or word.user_id != user_id:
        raise NotFound(f"no saved word {word_id}")
    return word


def save_word(
    services: Services,
    user_id: str,
    *,
    language: str,
    lemma: str,
    form: str,
    sentence: str,
    state: WordState,
    stage: int | None = None,
    meaning: str | None = None,
    level: str | None = None,
    reading: str | None = None,
    article_id: str | None = None,
    article_scope: str | None = None,
) -> dict[str, Any]:
    """Save (or update) the user's word `lemma` with the sentence and reading it came from.

    Saving a word already saved sets its state and adds the sentence if it is new. The
    reading is linked only if `article_scope` may see it (None: a local install, any).
    """
    with services.db.session() as session:
        word = session.scalar(
            select(SavedWord)
            .where(
                SavedWord.user_id == user_id,
                SavedWord.language == language,
                SavedWord.lemma == lemma,
            )
            .options(selectinload(SavedWord.contexts))
        )
        fresh = word is None
        if word is None:
            word = SavedWord(id=str(uuid.uuid4()), user_id=user_id, language=language, lemma=lemma)
            word.contexts = []
            session.add(word)
        _apply_state(session, word, state, stage, fresh)
        if meaning and not word.meaning:
            word.meaning = meaning
        word.level = word.level or level
        title = None
        if article_id:
            article = session.get(Article, article_id)
            if article is None or article_scope not in (None, article.owner_id):
                article_id = None  # not theirs: keep the sentence, not the link
            else:
                title = article.title or article.topic
        if sentence and all(c.sentence != sentence for c in word.contexts):
            word.contexts.append(
                WordContext(
                    form=form[:200],
                    sentence=sentence,
                    reading=reading[:200] if reading else None,
                    article_id=article_id,
                    article_title=title,
                )
            )
            if len(word.contexts) > MAX_CONTEXTS:
                session.delete(word.contexts[0])
        session.flush()
        return word_dict(word)


def states(
    services: Services, user_id: str, language: str, lemmas: list[str]
) -> dict[str, dict[str, Any]]:
    """{lemma: {"state", "stage"}} for those of `lemmas` the user saved, in one query."""
    wanted = sorted(set(lemmas))
    found: dict[str, dict[str, Any]] = {}
    with services.db.session() as session:
        # Chunks keep the IN list under every database's parameter limit.
        for start in range(0, len(wanted), 900):
            rows = session.execute(
                select(SavedWord.lemma, SavedWord.state, SavedWord.stage).where(
                    SavedWord.user_id == user_id,
                    SavedWord.language == language,
                    SavedWord.lemma.in_(wanted[start : start + 900]),
                )
            )
            for lemma, state, stage in rows:
                found[lemma] = {"state": state, "stage": stage}
    return found


def mark_known(
    services: Services, user_id: str, language: str, lemmas: list[str]
) -> tuple[int, str | None]:
    """Save every one of `lemmas` the user has not saved yet as known, as one bulk change.

    Returns (how many were saved, the change's id for `undo_known`; None when nothing was
    saved). Lemmas differing only in case count once, as the first one given.
    """
    already = states(services, user_id, language, lemmas)
    taken = {lemma.casefold() for lemma in already}
    fresh: list[str] = []
    for lemma in dict.fromkeys(lemmas):
        if lemma and lemma.casefold() not in taken:
            taken.add(lemma.casefold())
            fresh.append(lemma)
    if not fresh:
        return 0, None
    batch = str(uuid.uuid4())
    with services.db.session() as session:
        for lemma in fresh:
            word = SavedWord(
                id=str(uuid.uuid4()),
                user_id=user_id,
                language=language,
                lemma=lemma[:200],
                state=WordState.KNOWN.value,
                stage=0,
                batch_id=batch,
            )
            session.add(word)
            record_change(session, word, None, word.state)
    return len(fresh), batch


def undo_known(services: Services, user_id: str, batch_id: str) -> int:
    """Undo a bulk "mark known": delete the words it saved that are still known and were
    not changed since (a word the learner moved to learning stays). Returns how many were
    deleted; 0 for another user's or an unknown change."""
    with services.db.session() as session:
        words = session.scalars(
            select(SavedWord).where(
                SavedWord.user_id == user_id,
                SavedWord.batch_id == batch_id,
                SavedWord.state == WordState.KNOWN.value,
            )
        ).all()
        ids = [w.id for w in words]
        # The history rows go too: the statistics must not count words that were undone.
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            session.execute(delete(WordStateChange).where(WordStateChange.word_id.in_(chunk)))
            session.execute(delete(SavedWord).where(SavedWord.id.in_(chunk)))
    return len(ids)


def list_words(
    services: Services,
    user_id: str,
    *,
    language: str | None = None,
    state: WordState | None = None,
    level: str | None = None,
    query: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The user's words, grouped by lemma (one row each), newest first, with their contexts."""
    where = [SavedWord.user_id == user_id]
    if language:
        where.append(SavedWord.language == language)
    if state:
        where.append(SavedWord.state == state.value)
    if level:
        where.append(SavedWord.level == level)
    if query:
        pattern = f"%{query.strip().lower()}%"
        where.append(
            or_(
                func.lower(SavedWord.lemma).like(pattern),
                func.lower(func.coalesce(SavedWord.meaning, "")).like(pattern),
                func.lower(func.coalesce(SavedWord.notes, "")).like(pattern),
            )
        )
    with services.db.session() as session:
        total = session.scalar(select(func.count()).select_from(SavedWord).where(*where)) or 0
        words = session.scalars(
            select(SavedWord)
            .where(*where)
            .order_by(SavedWord.updated_at.desc(), SavedWord.id)
            .limit(limit)
            .offset(offset)
            .options(selectinload(SavedWord.contexts))
        ).all()
        return {"items": [word_dict(w) for w in words], "total": total}


def get_word(services: Services, user_id: str, word_id: str) -> dict[str, Any]:
    """One of the user's words (404 for anyone else's)."""
    with services.db.session() as session:
        return word_dict(_owned(session, user_id, word_id))


def update_word(
    services: Services, user_id: str, word_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change a word's state/stage, meaning or notes (only the keys given)."""
    with services.db.session() as session:
        word = _owned(session, user_id, word_id)
        if "state" in changes and changes["state"] is not None:
            _apply_state(session, word, WordState(changes["state"]), changes.get("stage"))
        elif changes.get("stage") is not None and word.state == WordState.LEARNING:
            word.stage = normalize_stage(WordState.LEARNING, changes["stage"])
        for field in ("meaning", "notes"):
            if field in changes:
                word.__setattr__(field, changes[field] or None)
        word.batch_id = None  # edited by the learner: undoing a bulk change keeps it
        word.updated_at = utcnow()
        session.flush()
        return word_dict(word)


def delete_word(services: Services, user_id: str, word_id: str) -> None:
    """Delete a word with its sentences and reviews."""
    with services.db.session() as session:
        session.delete(_owned(session, user_id, word_id))


def owned_word(session: Session, user_id: str, word_id: str) -> SavedWord:
    """The user's word in `session` (404 for anyone else's), for the review service."""
    return _owned(session, user_id, word_id)


def due_before(moment: datetime) -> Any:
    """The SQL condition "due for review at `moment`"."""
    return (SavedWord.due.is_not(None)) & (SavedWord.due <= moment)
