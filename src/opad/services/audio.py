"""The API's side of audio: a reading's audio state, its timings, its bytes, a new request.

The worker makes audio (opad.audio); the API never runs a speech engine. It reads what the
worker stored (`audio.json` and the audio file, content store) and the state of a request
(Redis, opad.audio.requests), and it asks for audio by adding a request there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import redis

from opad.audio.requests import AudioRequests
from opad.bootstrap import Services
from opad.errors import Conflict, DependencyUnavailable, NotFound
from opad.languages import find_language
from opad.services.ownership import owned_article
from opad.speech.voices import no_voice_message


@dataclass(frozen=True)
class StoredAudio:
    """Where an article's audio is and what it is (from its audio.json)."""

    article_id: str
    file: str
    mime: str
    size: int


def _requests(services: Services) -> AudioRequests:
    return AudioRequests(services.queue.redis)


def _meta(services: Services, article_id: str) -> dict[str, Any] | None:
    raw = services.store.get_audio_meta(article_id)
    return json.loads(raw) if raw else None


def speech_report(services: Services, language: str | None = None) -> tuple[bool | None, str]:
    """(whether a running worker can speak — None when no worker reported —, the reason).

    With `language` (a name or ISO code), whether one can speak that language: False
    with "no voice for Japanese on this server — how to add one: …" when the workers can
    speak, but not it. A worker that reports no `voices` is taken to speak every language.
    """
    engines = _requests(services).engines()
    if not engines:
        return None, "no worker is running to make audio"
    speaking = [e for e in engines if e.get("available")]
    if not speaking:
        return False, str(engines[0].get("detail") or "no speech engine")
    lang = find_language(language) if language else None
    if lang is not None:
        voiced = [e for e in speaking if e.get("voices") is None or e["voices"].get(lang.code)]
        if not voiced:
            return False, no_voice_message(lang.code)
        speaking = voiced
    return True, str(speaking[0].get("detail") or "")


def audio_summary(
    services: Services, article_id: str, language: str | None = None
) -> dict[str, Any]:
    """The audio block of an article's JSON (the caller checked ownership).

    `status`: ready (with duration in seconds, size in bytes, engine, sentence count),
    pending / making (a worker will make or is making it), failed (with `error`),
    none (never made), unavailable (no running worker has a speech engine, or none has a
    voice for the reading's `language`; `detail` says why, "no voice for Japanese on this
    server — how to add one: …"). Never raises for a down Redis: the state is then left out.
    """
    meta = _meta(services, article_id)
    if meta is not None:
        return {
            "status": "ready",
            "duration": meta.get("duration"),
            "size": meta.get("size"),
            "mime": meta.get("mime"),
            "engine": meta.get("engine"),
            "sentences": len(meta.get("sentences") or []),
            "error": None,
            "detail": None,
        }
    out: dict[str, Any] = {"status": "none", "error": None, "detail": None}
    try:
        state = _requests(services).state(article_id)
        can_speak, why = speech_report(services, language)
    except redis.RedisError:
        return out
    if state is not None:
        out.update(status=state["status"], error=state.get("error"))
    if can_speak is False and out["status"] in ("none", "failed", "pending"):
        out["detail"] = why
        if out["status"] == "none":
            out["status"] = "unavailable"
    return out


def stored_audio(services: Services, article_id: str, owner_id: str | None) -> StoredAudio:
    """The article's audio file, or NotFound (also for someone else's article)."""
    with services.db.session() as session:
        owned_article(session, article_id, owner_id)
    meta = _meta(services, article_id)
    if meta is None:
        raise NotFound(f"article {article_id} has no audio (POST /articles/{article_id}/audio)")
    return StoredAudio(article_id, str(meta["file"]), str(meta["mime"]), int(meta["size"]))


def read_range(services: Services, audio: StoredAudio, first: int, last: int) -> bytes:
    """Bytes first…last (inclusive) of the audio; NotFound when it vanished meanwhile."""
    data = services.store.read_audio(audio.article_id, audio.file, first, last)
    if data is None:
        raise NotFound(f"the audio of article {audio.article_id} was just replaced or deleted")
    return data


def timings(services: Services, article_id: str, owner_id: str | None) -> dict[str, Any]:
    """The stored audio.json (duration, size, engine, per-sentence start/end seconds)."""
    with services.db.session() as session:
        owned_article(session, article_id, owner_id)
    meta = _meta(services, article_id)
    if meta is None:
        raise NotFound(f"article {article_id} has no audio (POST /articles/{article_id}/audio)")
    return meta


def request_audio(services: Services, article_id: str, owner_id: str | None) -> dict[str, Any]:
    """Ask a worker to make (or remake) the reading's audio; returns the audio block.

    409 when the reading has no text yet; 503 naming the speech engine when the running
    workers have none (with no worker running, the request waits, as a job would).
    """
    with services.db.session() as session:
        article = owned_article(session, article_id, owner_id)
        ready = article.content_key is not None
        language = article.language
    if not ready:
        raise Conflict(f"article {article_id} has no text yet: its audio is made after it")
    # A RedisError passes through: the API's one 503 "queue unavailable" (api/errors.py).
    can_speak, why = speech_report(services, language)
    if can_speak is False:
        raise DependencyUnavailable("speech", why)
    _requests(services).request(article_id)
    return audio_summary(services, article_id, language)
