"""espeak-ng: offline formant speech in 100+ languages (Debian package `espeak-ng`).

Robotic next to neural voices, but everywhere, instant, and with no files to download:
the fallback wherever it is installed. One process per sentence gives each sentence's
duration exactly (espeak-ng's own markers would need SSML and its event API).

Its voice list is not trusted (opad.speech.voices): for each language it speaks a probe
sentence in the language's script and its phonemes (`-x`) are checked first. Two of its
languages need help, found that way:
- Chinese: the `cmn` voice turns hanzi into pinyin and then reads the pinyin by English
  rules ("jin four"); the `cmn-latn-pinyin` voice reads the same pinyin as Mandarin.
- Japanese: it reads kana only, so the text is given to it in hiragana (opad.speech.kana).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from functools import lru_cache

from opad.speech.base import SpeechAudio, SpeechError
from opad.speech.program import speak_each
from opad.speech.voices import phoneme_problem, probe_text

# Words per minute. espeak-ng's default is 175, brisk for a learner; the reader's speed
# control (0.75×–1.25×) adjusts from here.
RATE_WPM = 150
# espeak-ng's voice for an ISO 639-1 code where the code alone picks a wrong one.
_VOICES = {"zh": "cmn-latn-pinyin", "no": "nb"}


def _kana(text: str) -> str:
    from opad.speech.kana import kana_reading

    return kana_reading(text)


# What espeak-ng is given instead of the text, per language.
_REWRITE: dict[str, Callable[[str], str]] = {"ja": _kana}


@lru_cache(maxsize=4)
def espeak_voices(binary: str) -> frozenset[str]:
    """The voice names espeak-ng has (`espeak-ng --voices`), with their language codes:
    "en-gb" and its base "en", "cmn-latn-pinyin" (from its file name), "zh" from "(zh 5)"."""
    out = subprocess.run([binary, "--voices"], capture_output=True, text=True, timeout=20)
    codes: set[str] = set()
    for line in out.stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) > 1:
            codes.update({parts[1], parts[1].split("-")[0]})
            codes.update(re.findall(r"\(([\w-]+) \d+\)", line))
            codes.add(parts[-1].rsplit("/", 1)[-1].lower())  # e.g. sit/cmn-Latn-pinyin
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
        self._checked: dict[str, str | None] = {}

    def voice(self, code: str) -> str:
        """espeak-ng's voice name for an ISO 639-1 code; SpeechError when it has none."""
        wanted = _VOICES.get(code, code)
        if wanted in espeak_voices(self.binary):
            return wanted
        raise SpeechError(f"espeak-ng has no voice for the language '{code}'")

    def prepare(self, code: str, text: str) -> str:
        """What espeak-ng is given to say `text` (hiragana for Japanese, else the text)."""
        rewrite = _REWRITE.get(code)
        return rewrite(text) if rewrite else text

    def phonemes(self, voice: str, text: str) -> str:
        """espeak-ng's phoneme mnemonics (`-x`) for `text`, without making audio."""
        done = subprocess.run(
            [self.binary, "-q", "-x", "-v", voice, "--stdin"],
            input=text.encode(),
            capture_output=True,
            timeout=self.timeout,
            check=False,
        )
        if done.returncode != 0:
            raise SpeechError(f"espeak-ng failed: {done.stderr.decode(errors='replace')[-200:]}")
        return done.stdout.decode(errors="replace")

    def check(self, code: str) -> str | None:
        """None when espeak-ng speaks `code` (its probe sentence passed the phoneme check,
        opad.speech.voices), else why not. Checked once per language and process."""
        if code not in self._checked:
            self._checked[code] = self._check(code)
        return self._checked[code]

    def _check(self, code: str) -> str | None:
        try:
            voice = self.voice(code)
            probe = probe_text(code)
            if not probe:
                return f"espeak-ng: no probe sentence for '{code}'"
            said = self.prepare(code, probe)
            problem = phoneme_problem(said, self.phonemes(voice, said), voice.split("-")[0])
        except (SpeechError, OSError, subprocess.SubprocessError) as exc:
            return str(exc)
        return f"espeak-ng cannot speak it: {problem}" if problem else None

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Speak each sentence with espeak-ng, then join and encode (see base.finish).
        SpeechError when espeak-ng cannot speak `code` (see `check`)."""
        problem = self.check(code)
        if problem:
            raise SpeechError(problem)
        voice = self.voice(code)
        return speak_each(
            self.name,
            [self.prepare(code, s) for s in sentences],
            lambda out: [self.binary, "-v", voice, "-s", str(RATE_WPM), "-w", str(out), "--stdin"],
            self.timeout,
            deadline,
        )
