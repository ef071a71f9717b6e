"""Speech by a local program that reads a sentence on stdin and writes a WAV file
(espeak-ng, piper): one run per sentence, so each sentence's timing is exact."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from opad.speech.base import SpeechAudio, SpeechError, finish


def speak_each(
    name: str, sentences: Sequence[str], command: Callable[[Path], list[str]], timeout: float
) -> SpeechAudio:
    """Run `command(out_wav)` once per sentence (the sentence on stdin), then join and
    encode the clips. Raises SpeechError naming `name` on a failure or after `timeout` s."""
    clips: list[bytes] = []
    with tempfile.TemporaryDirectory(prefix=f"opad-{name}-") as tmp:
        for index, sentence in enumerate(sentences):
            out = Path(tmp) / f"{index}.wav"
            try:
                done = subprocess.run(
                    command(out),
                    input=sentence.encode(),
                    capture_output=True,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise SpeechError(f"{name} took longer than {timeout:g} s") from exc
            if done.returncode != 0 or not out.exists():
                error = done.stderr.decode(errors="replace").strip()[-200:]
                raise SpeechError(f"{name} failed: {error}")
            clips.append(out.read_bytes())
    return finish(name, clips)
