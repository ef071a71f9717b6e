"""The audio step of a reading's job: after the text is written, before the job ends.

One call from the worker (`with_audio`). Audio is an extra: whatever goes wrong with it
(no voice for the language, the engine crashes, the endpoint is down, the store refuses
the file, the time limit passes) the reading still succeeds, with a warning that says so
and that the audio can be retried from the reading's page. No speech engine at all is not
a failure: the reading simply has no audio, and the page says why.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis

from opad.audio import WARNING_PREFIX
from opad.audio.make import make_audio
from opad.audio.requests import AudioRequests
from opad.bootstrap import Services
from opad.errors import DependencyUnavailable
from opad.reading.model import GenerationResult, ReadingBody
from opad.speech import SpeechError, choose_synthesizer

log = logging.getLogger("opad.audio")


def audio_warning(reason: str) -> str:
    """The learner-facing warning for a reading whose audio could not be made."""
    return f"{WARNING_PREFIX}: {reason}. You can try again from the reading's page."


def with_audio(
    services: Services,
    article_id: str,
    body: ReadingBody,
    result: GenerationResult,
    progress: Callable[[int, str], None],
) -> GenerationResult:
    """Make and store the audio of the reading's typed sentences; returns `result`, with a
    warning added when the audio could not be made. Takes at most OPAD_AUDIO_TIMEOUT
    seconds. Lets JobStopped from `progress` through (the job was cancelled: no audio is wanted)."""
    try:
        synth = choose_synthesizer(services.settings)
    except SpeechError as exc:
        return _failed(services, article_id, result, str(exc))
    if synth is None:
        return result
    no_voice = synth.check(body.language)
    if no_voice:
        # Not a failure to retry: nothing on this server speaks the language.
        log.info("audio for article %s not made: %s", article_id, no_voice)
        warning = f"{WARNING_PREFIX}: {no_voice}."
        return result.model_copy(update={"warnings": [*result.warnings, warning]})
    if getattr(synth.engine_for(body.language), "slow", False):
        return _after_the_text(services, article_id, result)
    progress(95, "Recording the audio…")
    deadline = time.monotonic() + services.settings.audio_timeout_seconds
    try:
        meta = make_audio(services, synth, article_id, body, deadline=deadline)
    except (SpeechError, DependencyUnavailable, OSError) as exc:
        return _failed(services, article_id, result, str(exc))
    except Exception as exc:  # an adapter's bug must not cost the learner the reading
        log.exception("audio for article %s failed unexpectedly", article_id)
        return _failed(services, article_id, result, f"{type(exc).__name__}: {exc}")
    AudioRequests(services.queue.redis).clear_state(article_id)
    log.info(
        "audio for article %s: %.1f s of speech, %d bytes, made in %.1f s",
        article_id,
        meta["duration"],
        meta["size"],
        meta["seconds_to_make"],
    )
    return result


# A slow voice's request becomes due this long after the job's audio step, by when the job
# has stored the text (a request claimed earlier waits for it: opad.worker.audio).
AFTER_THE_TEXT_SECONDS = 3.0


def _after_the_text(
    services: Services, article_id: str, result: GenerationResult
) -> GenerationResult:
    """A voice too slow to keep the reading waiting (Kokoro: about one second of speech per
    CPU second, docs/benchmarks.md): the text is shown at once and a worker's audio thread
    makes the audio after it, as if asked from the page; the reader says "being made"."""
    try:
        requests = AudioRequests(services.queue.redis)
        requests.request(article_id)
        requests.retry_at(article_id, time.time() + AFTER_THE_TEXT_SECONDS)
    except redis.RedisError as exc:
        return _failed(services, article_id, result, f"the audio could not be queued: {exc}")
    log.info("audio for article %s: made after the text (slow voice)", article_id)
    return result


def _failed(
    services: Services, article_id: str, result: GenerationResult, reason: str
) -> GenerationResult:
    log.warning("audio for article %s not made: %s", article_id, reason)
    try:
        AudioRequests(services.queue.redis).set_state(article_id, "failed", error=reason)
    except Exception as exc:  # Redis trouble surfaces at the job's own next write
        log.warning("could not record the audio failure: %s", exc)
    warning = audio_warning(reason[:300])
    return result.model_copy(update={"warnings": [*result.warnings, warning]})
