"""The writer's reading while it streams: the body out of partial JSON, sent on in steps.

The writer answers `{"title": …, "body": …}` (structured output), so its stream is JSON
cut at any character. `body_so_far` decodes the body string up to where the stream has
reached; `GrowingReading` sends it on when a sentence has ended, or 250 ms after the last
send — often enough for a learner to watch the text grow, rarely enough that fifty crews
at once do not flood Redis.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable

from opad.engines.base import ReadingFn

log = logging.getLogger("opad.engines.crew")

THROTTLE_SECONDS = 0.25
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)]?(\s|\\n|$)")
_BODY_KEY = re.compile(r'(?<!\\)"body"\s*:\s*"')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "", "f": "", "n": "\n", "r": "", "t": " "}
# Markdown the writer may use in its paragraphs: the growing text is shown as plain text.
_MARKUP = re.compile(r"(\*\*|__|\*|`)|^[ \t]{0,3}(#{1,6}[ \t]+|>[ \t]?|[-+*][ \t]+)", re.M)


def body_so_far(raw: str) -> str | None:
    """The decoded `body` string of a JSON object cut anywhere; None before it starts."""
    match = _BODY_KEY.search(raw)
    if match is None:
        return None
    out: list[str] = []
    i, n = match.end(), len(raw)
    while i < n:
        c = raw[i]
        if c == '"':
            break
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= n:
            break  # an escape cut in two: wait for the rest
        e = raw[i + 1]
        if e == "u":
            # A high surrogate needs its low half (12 characters) to be one character.
            size = 12 if raw[i + 2 : i + 4].lower() in ("d8", "d9", "da", "db") else 6
            if i + size > n:
                break
            # A malformed escape is skipped rather than stalling the text.
            with contextlib.suppress(json.JSONDecodeError):
                out.append(json.loads(f'"{raw[i : i + size]}"'))
            i += size
            continue
        out.append(_ESCAPES.get(e, e))
        i += 2
    return "".join(out)


def plain_text(body: str) -> str:
    """The body without markdown markers, paragraphs kept (blank lines between them)."""
    return _MARKUP.sub("", body).strip()


class GrowingReading:
    """Collects one job's writer stream and sends the text so far, throttled.

    Fed from the crew's kickoff thread (stream chunks arrive in order there). A new
    completion (a rewrite the guardrail asked for) starts the text again.
    """

    def __init__(self, sink: ReadingFn, clock: Callable[[], float] = time.monotonic) -> None:
        self._sink = sink
        self._clock = clock
        self._lock = threading.Lock()
        self._raw: list[str] = []
        self._call: str | None = None
        self._sent = ""
        self._last_send = float("-inf")
        self._sentence_pending = False
        self.failed = False

    def feed(self, call: str | None, chunk: str) -> None:
        """Add one streamed chunk of completion `call`; send the text if it is time."""
        with self._lock:
            if call != self._call:
                self._call, self._raw = call, []
            self._raw.append(chunk)
            # Sentence ends are checked on the chunk (and its neighbour) only: cheap.
            tail = "".join(self._raw[-2:])
            if SENTENCE_END.search(tail):
                self._sentence_pending = True
            now = self._clock()
            if not self._sentence_pending and now - self._last_send < THROTTLE_SECONDS:
                return
            self._send(now)

    def flush(self) -> None:
        """Send whatever arrived since the last send (the completion ended)."""
        with self._lock:
            self._send(self._clock())

    def _send(self, now: float) -> None:
        body = body_so_far("".join(self._raw))
        if not body:
            return
        text = plain_text(body)
        if not text or text == self._sent:
            return
        self._sent, self._last_send, self._sentence_pending = text, now, False
        if self.failed:
            return
        try:
            self._sink(text)
        except Exception:
            # Best effort: the reading still arrives whole when the job ends.
            self.failed = True
            log.warning("could not send the growing reading", exc_info=True)
