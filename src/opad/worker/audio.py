"""The worker's audio thread: reports its speech engine and makes requested audio.

Requests come from `POST /articles/{id}/audio` (audio/requests.py). One at a time per worker:
audio is short work next to a reading, and a worker's slots stay free for jobs.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

import redis

from opad.audio.make import make_audio
from opad.audio.requests import MAX_ATTEMPTS, REQUESTS_KEY, AudioRequests
from opad.bootstrap import Services
from opad.db.models import Article
from opad.errors import DependencyUnavailable
from opad.reading.model import ReadingBody
from opad.services.deletions import remove_if_deleted
from opad.speech import SpeechError, Synthesizer
from opad.speech.choose import describe, speech_setup

log = logging.getLogger("opad.audio")

POLL_SECONDS = 1.0
REPORT_SECONDS = 5.0
RETRY_AFTER_SECONDS = 20.0  # when the store or database was down


# The typed body of a stored reading (None: it has no text): the worker's converter, which
# analyzes a reading stored before typed bodies once (opad.worker.convert).
BodyOf = Callable[[str], ReadingBody | None]


def serve_audio_requests(
    services: Services, worker_id: str, stopping: threading.Event, body_of: BodyOf
) -> None:
    """Until `stopping` is set: report this worker's speech engine, make requested audio."""
    requests = AudioRequests(services.queue.redis)
    # Each engine is checked once per language here (espeak-ng probes); a voice that loads
    # on first use (Open JTalk) is only looked for, and loads with the first audio.
    available, detail, synth = speech_setup(services.settings)
    next_report = 0.0
    while not stopping.wait(POLL_SECONDS):
        try:
            if time.monotonic() >= next_report:
                voices = None
                if synth is not None:
                    # As checked now (cached per language): a voice whose first use
                    # failed is reported as gone, its language as spoken by the next.
                    available, detail, voices = describe(synth)
                requests.report_engine(worker_id, available, detail, voices)
                next_report = time.monotonic() + REPORT_SECONDS
            if synth is None:
                continue
            # A short lease, renewed while the audio is made: a worker killed mid-way hands
            # the request on within one lease (not after the whole time limit).
            claimed = requests.claim(services.settings.lease_seconds)
            if claimed is not None:
                make_requested(services, requests, synth, body_of, *claimed)
        except redis.RedisError as exc:
            log.warning("audio requests: Redis unavailable (%s)", exc)
            stopping.wait(REPORT_SECONDS)  # the job slots log the outage too: not every second
        except Exception:  # an unforeseen error must not end the loop for good
            log.exception("audio request failed")
    with contextlib.suppress(redis.RedisError):
        requests.forget_engine(worker_id)


def make_requested(
    services: Services,
    requests: AudioRequests,
    synth: Synthesizer,
    body_of: BodyOf,
    article_id: str,
    lease: str,
) -> None:
    """Make the audio of one claimed request; its state says how it went."""
    state = requests.state(article_id) or {}
    attempts = int(state.get("attempts") or 0) + 1
    if attempts > MAX_ATTEMPTS:
        # Claimed that often and never finished: the workers making it died on it.
        _later(requests, article_id, attempts, "the workers making it stopped each time")
        return
    try:
        # The typed body (a reading stored before typed bodies is analyzed here, once).
        body = body_of(article_id)
    except DependencyUnavailable as exc:
        _later(requests, article_id, attempts, str(exc))
        return
    if body is None:
        if _exists(services, article_id):
            # Asked by the reading's own job (a slow voice, opad.audio.step): its text is
            # stored a moment after.
            _later(requests, article_id, attempts, "the reading's text is not stored yet")
        else:
            requests.drop(article_id)  # deleted meanwhile: nothing to speak, nobody to tell
        return
    requests.set_state(article_id, "making", attempts=attempts)
    deadline = time.monotonic() + services.settings.audio_timeout_seconds
    renewal = Renewal(requests, article_id, lease, services.settings.lease_seconds)
    try:
        with renewal:
            meta = make_audio(services, synth, article_id, body, deadline=deadline)
        lease = renewal.lease
    except SpeechError as exc:
        lease = renewal.lease
        # The engine's own verdict (no voice, crash, endpoint down): the learner retries.
        requests.set_state(article_id, "failed", error=str(exc)[:500], attempts=attempts)
        requests.release(article_id, lease)
        log.warning("audio for article %s not made: %s", article_id, exc)
        return
    except (DependencyUnavailable, OSError) as exc:
        _later(requests, article_id, attempts, str(exc))
        return
    if remove_if_deleted(services, article_id):
        requests.drop(article_id)  # deleted while it was being spoken: nothing kept
        return
    requests.release(article_id, lease)
    requests.clear_state(article_id)
    log.info("audio for article %s made on request (%.1f s)", article_id, meta["duration"])


class Renewal:
    """Renews a claimed request's lease every third of it while the audio is made."""

    def __init__(
        self, requests: AudioRequests, article_id: str, lease: str, seconds: float
    ) -> None:
        self.requests, self.article_id, self.lease = requests, article_id, lease
        self.seconds = seconds
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._renew, name="audio-lease", daemon=True)

    def _renew(self) -> None:
        while not self._done.wait(self.seconds / 3):
            try:
                renewed = self.requests.renew(self.article_id, self.lease, self.seconds)
            except redis.RedisError as exc:
                log.warning("audio request %s: lease not renewed (%s)", self.article_id, exc)
                continue
            if renewed is None:
                return  # taken by another worker after all: its result will stand
            self.lease = renewed

    def __enter__(self) -> Renewal:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()


def _exists(services: Services, article_id: str) -> bool:
    with services.db.session() as session:
        return session.get(Article, article_id) is not None


def _later(requests: AudioRequests, article_id: str, attempts: int, error: str) -> None:
    """The store or database refused: try again shortly, up to MAX_ATTEMPTS times."""
    if attempts >= MAX_ATTEMPTS:
        requests.set_state(
            article_id, "failed", error=f"gave up after {attempts} attempts: {error}"[:500]
        )
        requests.redis.zrem(REQUESTS_KEY, article_id)
        return
    requests.set_state(article_id, "pending", error=error[:500], attempts=attempts)
    requests.retry_at(article_id, time.time() + RETRY_AFTER_SECONDS)
