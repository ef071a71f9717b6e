"""Piper: local neural voices (https://github.com/rhasspy/piper), from voice files you download.

The `piper` program (e.g. `pip install piper-tts`) reads text on stdin and writes a WAV;
a voice is an `.onnx` file with its `.onnx.json`, named `<lang>_<REGION>-<name>-<quality>`
(e.g. `de_DE-thorsten-medium.onnx`). OPAD picks, for a language, the first voice file in
`OPAD_PIPER_VOICES` whose name starts with the language code.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from opad.speech.base import SpeechAudio, SpeechError
from opad.speech.program import speak_each


class PiperSynthesizer:
    """Speech by the piper program with the voice files of one folder."""

    name = "piper"

    def __init__(self, voices_dir: Path, binary: str = "piper", *, timeout: float = 60) -> None:
        found = shutil.which(binary)
        if not found:
            raise SpeechError(f"the piper program ({binary}) is not installed")
        if not voices_dir.is_dir():
            raise SpeechError(f"the Piper voice folder {voices_dir} does not exist")
        self.binary = found
        self.voices_dir = voices_dir
        self.timeout = timeout

    def voice(self, code: str) -> Path:
        """The voice file for a language; SpeechError when the folder has none."""
        for path in sorted(self.voices_dir.glob("*.onnx")):
            if path.name.split("_")[0].split("-")[0].lower() == code:
                return path
        raise SpeechError(f"no Piper voice for the language '{code}' in {self.voices_dir}")

    def check(self, code: str) -> str | None:
        """None when the folder has a voice for `code` (a Piper voice is trained on one
        language and phonemizes its own script), else why not."""
        try:
            self.voice(code)
        except SpeechError as exc:
            return str(exc)
        return None

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Speak each sentence with piper, then join and encode."""
        model = self.voice(code)
        return speak_each(
            self.name,
            sentences,
            lambda out: [self.binary, "--model", str(model), "--output_file", str(out)],
            self.timeout,
            deadline,
        )
