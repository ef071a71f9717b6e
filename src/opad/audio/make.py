"""Speak a reading and store its audio: the Opus/Ogg file and `audio.json` beside it.

`audio.json` (written last: its presence means the audio is complete):

    {"file": "audio-<sha256 prefix>.ogg", "mime": "audio/ogg", "size": <bytes>,
     "duration": <seconds>, "engine": "espeak-ng", "language": "<ISO 639-1>",
     "made_at": "<ISO 8601>",
     "sentences": [{"sentence": <the reader's sentence number>, "start": <s>, "end": <s>,
                    "text": "<the sentence>"}, …]}

The audio's name carries a hash of its bytes, so a remade audio never overwrites the file
a listener is streaming; the previous file is removed once the new JSON points elsewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from typing import Any

from opad.audio.script import spoken_sentences, spoken_text
from opad.bootstrap import Services
from opad.errors import DependencyUnavailable
from opad.queue.protocol import now_iso
from opad.reading.model import ReadingBody
from opad.speech import SpeechError, Synthesizer


def read_meta(services: Services, article_id: str) -> dict[str, Any] | None:
    """The article's stored `audio.json`, parsed, or None when it has no audio."""
    raw = services.store.get_audio_meta(article_id)
    return json.loads(raw) if raw else None


def make_audio(
    services: Services,
    synth: Synthesizer,
    article_id: str,
    body: ReadingBody,
    *,
    deadline: float | None = None,
) -> dict[str, Any]:
    """Speak the reading's typed sentences and store the audio; returns the `audio.json`.

    Raises SpeechError (the engine failed, has no voice, ran past `deadline`, or there is
    nothing to speak) and DependencyUnavailable (the store refused the write).
    """
    started = time.monotonic()
    code = body.language
    spoken = spoken_sentences(body)
    if not spoken:
        raise SpeechError("the reading has no sentence to speak")
    audio = synth.synthesize(
        code, [spoken_text(text, code) for _, text in spoken], deadline=deadline
    )
    name = f"audio-{hashlib.sha256(audio.data).hexdigest()[:16]}.{audio.extension}"
    meta: dict[str, Any] = {
        "file": name,
        "mime": audio.mime,
        "size": len(audio.data),
        "duration": round(audio.duration, 3),
        "engine": audio.engine or synth.name,
        "language": code,
        "made_at": now_iso(),
        "seconds_to_make": round(time.monotonic() - started, 3),
        "sentences": [
            {
                "sentence": spoken[t.index][0],
                "start": round(t.start, 3),
                "end": round(t.end, 3),
                "text": spoken[t.index][1],
            }
            for t in audio.timings
        ],
    }
    previous = read_meta(services, article_id)
    services.store.put_audio(article_id, name, audio.data, json.dumps(meta, ensure_ascii=False))
    if previous and previous.get("file") and previous["file"] != name:
        # Best effort: a leftover file is removed with the reading anyway.
        with contextlib.suppress(DependencyUnavailable, OSError, ValueError):
            services.store.delete_object(article_id, previous["file"])
    return meta
