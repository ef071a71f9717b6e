"""Piper: local neural voices (https://github.com/rhasspy/piper), from voice files you download.

The `piper` program (e.g. `pip install piper-tts`) reads text on stdin and writes a WAV;
a voice is an `.onnx` file with its `.onnx.json`, named `<lang>_<REGION>-<name>-<quality>`
(e.g. `de_DE-thorsten-medium.onnx`). OPAD picks, for a language, the first voice file in
`OPAD_PIPER_VOICES` whose name starts with the language code.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from opad.speech.base import SpeechAudio, SpeechError, finish


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

    def synthesize(self, code: str, sentences: Sequence[str]) -> SpeechAudio:
        """Speak each sentence with piper, then join and encode."""
        model = self.voice(code)
        clips: list[bytes] = []
        with tempfile.TemporaryDirectory(prefix="opad-piper-") as tmp:
            for index, sentence in enumerate(sentences):
                out = Path(tmp) / f"{index}.wav"
                try:
                    done = subprocess.run(
                        [self.binary, "--model", str(model), "--output_file", str(out)],
                        input=sentence.encode(),
                        capture_output=True,
                        timeout=self.timeout,
                        check=False,
                    )
                except subprocess.TimeoutExpired as exc:
                    raise SpeechError(f"piper took longer than {self.timeout:g} s") from exc
                if done.returncode != 0 or not out.exists():
                    raise SpeechError(
                        f"piper failed: {done.stderr.decode(errors='replace').strip()[-200:]}"
                    )
                clips.append(out.read_bytes())
        return finish(self.name, clips)
