"""Speech by a local program that reads a sentence on stdin and writes a WAV file
(espeak-ng, piper): one run per sentence, so each sentence's timing is exact."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from opad.speech.base import SpeechAudio, SpeechError, finish


def speak_each(
    name: str,
    sentences: Sequence[str],
    command: Callable[[Path], list[str]],
    timeout: float,
    deadline: float | None = None,
) -> SpeechAudio:
    """Run `command(out_wav)` once per sentence (the sentence on stdin), then join and
    encode the clips. Raises SpeechError naming `name` on a failure, after `timeout` s for
    one sentence, or once `deadline` (a time.monotonic() value) has passed."""
    clips: list[bytes] = []
    with tempfile.TemporaryDirectory(prefix=f"opad-{name}-") as tmp:
        for index, sentence in enumerate(sentences):
            out = Path(tmp) / f"{index}.wav"
            limit = timeout_until(deadline, timeout, name)
            try:
                done = subprocess.run(
                    command(out),
                    input=sentence.encode(),
                    capture_output=True,
                    timeout=limit,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise SpeechError(f"{name} took longer than {limit:g} s") from exc
            if done.returncode != 0 or not out.exists():
                error = done.stderr.decode(errors="replace").strip()[-200:]
                raise SpeechError(f"{name} failed: {error}")
            clips.append(out.read_bytes())
    return finish(name, clips, timeout=timeout_until(deadline, 120, "encoding"))


def timeout_until(deadline: float | None, timeout: float, name: str) -> float:
    """The seconds the next step may take: `timeout`, cut to what is left before `deadline`.
    Raises SpeechError once the deadline has passed."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise SpeechError(f"{name}: the audio took longer than its time limit")
    return min(timeout, left)
