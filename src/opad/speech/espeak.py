"""espeak-ng: offline formant speech in 100+ languages (Debian package `espeak-ng`).

Robotic next to neural voices, but everywhere, instant, and with no files to download:
the default wherever it is installed. One process per sentence gives each sentence's
duration exactly (espeak-ng's own markers would need SSML and its event API).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache

from opad.speech.base import SpeechAudio, SpeechError
from opad.speech.program import speak_each

# Words per minute. espeak-ng's default is 175, brisk for a learner; the reader's speed
# control (0.75×–1.25×) adjusts from here.
RATE_WPM = 150
# espeak-ng names some languages differently from ISO 639-1.
_ALIASES = {"zh": "cmn", "no": "nb"}


@lru_cache(maxsize=1)
def espeak_languages(binary: str) -> frozenset[str]:
    """The language codes espeak-ng has voices for (`espeak-ng --voices`)."""
    out = subprocess.run([binary, "--voices"], capture_output=True, text=True, timeout=20)
    codes: set[str] = set()
    for line in out.stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) > 1:
            # "en-gb", its base "en", and the languages it also serves: "(en 2)(zh 5)".
            codes.update({parts[1], parts[1].split("-")[0]})
            codes.update(re.findall(r"\(([\w-]+) \d+\)", line))
    return frozenset(codes)


class EspeakSynthesizer:
    """Speech by the espeak-ng program."""

    name = "espeak-ng"

    def __init__(self, binary: str | None = None, *, timeout: float = 30) -> None:
        found = binary or shutil.which("espeak-ng")
        if not found:
            raise SpeechError("espeak-ng is not installed (apt-get install espeak-ng)")
        self.binary = found
        self.timeout = timeout

    def voice(self, code: str) -> str:
        """espeak-ng's voice for an ISO 639-1 code; SpeechError when it has none."""
        wanted = _ALIASES.get(code, code)
        if wanted in espeak_languages(self.binary):
            return wanted
        raise SpeechError(f"espeak-ng has no voice for the language '{code}'")

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Speak each sentence with espeak-ng, then join and encode (see base.finish)."""
        voice = self.voice(code)
        return speak_each(
            self.name,
            sentences,
            lambda out: [self.binary, "-v", voice, "-s", str(RATE_WPM), "-w", str(out), "--stdin"],
            self.timeout,
            deadline,
        )
