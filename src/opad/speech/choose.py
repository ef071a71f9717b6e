"""Which speech engine speaks which language (OPAD_SPEECH), and whether any can.

`auto` gathers every engine this server has, best first: an OpenAI-compatible endpoint
(OPAD_SPEECH_URL), Piper voices (OPAD_PIPER_VOICES), the offline Japanese voices of the
`voices` extra (opad.speech.japanese), then espeak-ng. For each language the first engine
whose check passed speaks it (`VoiceRouter`); a language no engine passed has no voice,
and says so (opad.speech.voices.no_voice_message). An explicit OPAD_SPEECH names the one
engine to use.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Sequence

from opad.settings import Settings
from opad.speech.base import SpeechAudio, SpeechError, Synthesizer, VoiceUnavailable
from opad.speech.voices import all_codes, duration_problem, language_name, no_voice_message

log = logging.getLogger("opad.speech")


class VoiceRouter:
    """A synthesizer that gives each language to the first engine that can speak it.

    `engines` are in order of preference; each one's `check` runs once per language, or
    again each time for an engine marked `lazy` (its library loads on first use, and its
    check may then turn to no). An engine that raises VoiceUnavailable when speaking a
    language is passed over for it from then on, and the next engine speaks instead.
    """

    def __init__(self, engines: Sequence[Synthesizer]) -> None:
        if not engines:
            raise ValueError("a VoiceRouter needs at least one engine")
        self.engines = list(engines)
        self.name = ", ".join(e.name for e in self.engines)
        self._chosen: dict[str, Synthesizer | None] = {}
        self._unable: dict[str, set[str]] = {}  # code → engines that failed on first use

    def _problem(self, engine: Synthesizer, code: str) -> str | None:
        if engine.name in self._unable.get(code, ()):
            return "it could not speak it when asked to"
        try:
            return engine.check(code)
        except Exception as exc:  # a broken engine must not take the others down
            log.warning("%s could not be checked for %s: %s", engine.name, code, exc)
            return f"{type(exc).__name__}: {exc}"

    def engine_for(self, code: str) -> Synthesizer | None:
        """The engine that speaks `code`, or None when none passed its check."""
        known = self._chosen.get(code)
        if known is not None and getattr(known, "lazy", False) and self._problem(known, code):
            # Its first use in this process (maybe by another router: each job makes
            # its own) found it broken: choose again, so that reports say so too.
            del self._chosen[code]
        if code not in self._chosen:
            chosen = None
            for engine in self.engines:
                problem = self._problem(engine, code)
                if problem is None:
                    chosen = engine
                    break
                log.debug("%s cannot speak %s: %s", engine.name, code, problem)
            self._chosen[code] = chosen
        return self._chosen[code]

    def check(self, code: str) -> str | None:
        """None when some engine speaks `code`, else the "no voice for …" sentence."""
        return None if self.engine_for(code) else no_voice_message(code)

    def voices(self, codes: Sequence[str] | None = None) -> dict[str, str | None]:
        """Language code → the name of the engine that speaks it (None: no voice), for
        `codes` (default: every language OPAD offers, the tested ones first)."""
        out: dict[str, str | None] = {}
        for code in codes if codes is not None else all_codes():
            engine = self.engine_for(code)
            out[code] = engine.name if engine else None
        return out

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Speak with the language's engine; SpeechError "no voice for …" when it has none
        (also when the engines that passed their check all raised VoiceUnavailable), and
        when the audio's length cannot be the text spoken (voices.duration_problem)."""
        while True:
            engine = self.engine_for(code)
            if engine is None:
                raise SpeechError(no_voice_message(code))
            try:
                audio = engine.synthesize(code, sentences, deadline=deadline)
            except VoiceUnavailable as exc:
                # As if its check had failed: the next engine speaks, and says so as today.
                log.warning("%s cannot speak %s after all: %s", engine.name, code, exc)
                self._unable.setdefault(code, set()).add(engine.name)
                del self._chosen[code]
                continue
            break
        # Made audio is never noise: one that cannot be the text is refused, not stored.
        problem = duration_problem(code, list(sentences), audio.duration)
        if problem:
            raise SpeechError(f"{engine.name}: {problem}")
        return audio


def _engines(settings: Settings, choice: str) -> list[Synthesizer]:
    """The engines `choice` allows that are installed and configured, best first."""
    engines: list[Synthesizer] = []
    if choice in ("auto", "openai") and settings.speech_url:
        from opad.speech.openai_tts import OpenAISpeechSynthesizer

        key = settings.speech_api_key.get_secret_value() if settings.speech_api_key else ""
        engines.append(
            OpenAISpeechSynthesizer(
                settings.speech_url,
                api_key=key,
                model=settings.speech_model,
                voice=settings.speech_voice,
            )
        )
    if choice in ("auto", "piper") and settings.piper_voices_dir:
        from opad.speech.piper import PiperSynthesizer

        engines.append(PiperSynthesizer(settings.piper_voices_dir, settings.piper_binary))
    if choice == "auto":
        from opad.speech.japanese import installed_japanese_voices

        engines.extend(
            installed_japanese_voices(
                kokoro=settings.speech_ja == "kokoro", cache_dir=str(settings.data_path / "voices")
            )
        )
    if choice in ("auto", "espeak") and shutil.which("espeak-ng"):
        from opad.speech.espeak import EspeakSynthesizer

        engines.append(EspeakSynthesizer())
    return engines


def choose_synthesizer(settings: Settings) -> VoiceRouter | None:
    """The configured engines as one synthesizer, or None when speech is off or nothing
    is installed. An explicit choice whose engine is missing raises SpeechError (a
    configuration mistake, said at start), as does a missing ffmpeg."""
    choice = settings.speech
    if choice == "off":
        return None
    if choice == "openai" and not settings.speech_url:
        raise SpeechError("OPAD_SPEECH=openai needs OPAD_SPEECH_URL")
    if choice == "piper" and not settings.piper_voices_dir:
        raise SpeechError("OPAD_SPEECH=piper needs OPAD_PIPER_VOICES (a folder of voices)")
    if choice == "espeak" and not shutil.which("espeak-ng"):
        raise SpeechError("espeak-ng is not installed (apt-get install espeak-ng)")
    engines = _engines(settings, choice)
    if not engines:
        return None
    if not shutil.which("ffmpeg"):
        raise SpeechError(
            "ffmpeg is not installed (apt-get install ffmpeg): audio cannot be encoded"
        )
    return VoiceRouter(engines)


def speech_status(settings: Settings) -> tuple[bool, str]:
    """(available, a sentence for `opad doctor`): which engine speaks which languages,
    "audio by open-jtalk (ja), espeak-ng (en de …)", or why none can. Unlike a worker's
    start, the voices that load on first use are loaded here, so that the answer is what
    the first audio will find (a broken install says no)."""
    available, detail, _ = speech_setup(settings, load=True)
    return available, detail


def speech_setup(settings: Settings, *, load: bool = False) -> tuple[bool, str, VoiceRouter | None]:
    """`speech_status` and the synthesizer it checked (None when not available), so that
    a worker checks its engines once. `load`: load the voices that otherwise load on
    their first audio (Open JTalk: +68 MB a process, most workers never speak Japanese)."""
    try:
        synth = choose_synthesizer(settings)
    except SpeechError as exc:
        return False, f"audio is not available: {exc}", None
    if synth is None:
        if settings.speech == "off":
            return False, "audio is switched off (OPAD_SPEECH=off)", None
        return (
            False,
            "audio is not available: no speech engine is installed "
            "(install espeak-ng and ffmpeg, or set OPAD_SPEECH_URL or OPAD_PIPER_VOICES)",
            None,
        )
    if load:
        for engine in synth.engines:
            loader = getattr(engine, "load", None)
            if loader is not None:
                # A failure is remembered by the engine: its check says no from now on.
                with contextlib.suppress(SpeechError):
                    loader()
    available, detail, _ = describe(synth)
    return available, detail, synth if available else None


def describe(synth: VoiceRouter) -> tuple[bool, str, dict[str, str | None]]:
    """(available, "audio by open-jtalk (ja), espeak-ng (en de …)" or why none can, the
    engine of each language) for the engines as checked now: a worker says it again
    after a voice failed on first use."""
    voices = synth.voices()
    spoken = []
    for engine in synth.engines:
        codes = [code for code, name in voices.items() if name == engine.name]
        if codes:
            spoken.append(f"{engine.name} ({' '.join(codes)})")
    if not spoken:
        return False, "audio is not available: " + no_voice_message(next(iter(voices))), voices
    return True, f"audio by {', '.join(spoken)}", voices


def voice_lines(settings: Settings) -> list[str]:
    """What `opad doctor` adds under its audio line: one "no voice for Japanese on this
    server — how to add one: …" per language no engine speaks. Empty when every language
    has a voice, speech is off or no engine is installed (speech_status says that)."""
    try:
        synth = choose_synthesizer(settings)
    except SpeechError:
        return []
    if synth is None:
        return []
    return [no_voice_message(code) for code, name in synth.voices().items() if name is None]


__all__ = [
    "VoiceRouter",
    "choose_synthesizer",
    "describe",
    "language_name",
    "speech_setup",
    "speech_status",
    "voice_lines",
]
