"""Which speech engine a deployment uses (OPAD_SPEECH), and whether it can speak."""

from __future__ import annotations

import shutil

from opad.settings import Settings
from opad.speech.base import SpeechError, Synthesizer


def choose_synthesizer(settings: Settings) -> Synthesizer | None:
    """The configured synthesizer, or None when speech is off or nothing is installed.

    `auto`: an OpenAI-compatible endpoint when OPAD_SPEECH_URL is set, else Piper when
    OPAD_PIPER_VOICES is set, else espeak-ng when installed, else none. An explicit choice
    whose engine is missing raises SpeechError (a configuration mistake, said at start).
    """
    choice = settings.speech
    if choice == "off":
        return None
    if choice == "auto":
        if settings.speech_url:
            choice = "openai"
        elif settings.piper_voices_dir:
            choice = "piper"
        elif shutil.which("espeak-ng") and shutil.which("ffmpeg"):
            choice = "espeak"
        else:
            return None
    if not shutil.which("ffmpeg"):
        raise SpeechError(
            "ffmpeg is not installed (apt-get install ffmpeg): audio cannot be encoded"
        )
    if choice == "openai":
        from opad.speech.openai_tts import OpenAISpeechSynthesizer

        if not settings.speech_url:
            raise SpeechError("OPAD_SPEECH=openai needs OPAD_SPEECH_URL")
        key = settings.speech_api_key.get_secret_value() if settings.speech_api_key else ""
        return OpenAISpeechSynthesizer(
            settings.speech_url,
            api_key=key,
            model=settings.speech_model,
            voice=settings.speech_voice,
        )
    if choice == "piper":
        from opad.speech.piper import PiperSynthesizer

        if not settings.piper_voices_dir:
            raise SpeechError("OPAD_SPEECH=piper needs OPAD_PIPER_VOICES (a folder of voices)")
        return PiperSynthesizer(settings.piper_voices_dir, settings.piper_binary)
    from opad.speech.espeak import EspeakSynthesizer

    return EspeakSynthesizer()


def speech_status(settings: Settings) -> tuple[bool, str]:
    """(available, a sentence for `opad doctor` and the reader page)."""
    try:
        synth = choose_synthesizer(settings)
    except SpeechError as exc:
        return False, f"audio is not available: {exc}"
    if synth is None:
        if settings.speech == "off":
            return False, "audio is switched off (OPAD_SPEECH=off)"
        return False, (
            "audio is not available: no speech engine is installed "
            "(install espeak-ng and ffmpeg, or set OPAD_SPEECH_URL or OPAD_PIPER_VOICES)"
        )
    return True, f"audio by {synth.name}"
