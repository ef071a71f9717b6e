"""Speech: a reading read aloud, sentence by sentence, with each sentence's timing.

One small interface, `Synthesizer.synthesize(code, sentences) -> SpeechAudio`, with
adapters for espeak-ng (offline, 100+ languages), Piper (local neural voices) and any
OpenAI-compatible `/v1/audio/speech` endpoint; `choose_synthesizer(settings)` picks the
configured one. Every adapter speaks one sentence at a time, so the start and end of
each sentence in the final audio are known exactly; the sentences are then joined with a
short pause and encoded for the web (Opus in Ogg) by ffmpeg.
"""

from opad.speech.base import SentenceTiming, SpeechAudio, SpeechError, Synthesizer
from opad.speech.choose import choose_synthesizer, speech_status

__all__ = [
    "SentenceTiming",
    "SpeechAudio",
    "SpeechError",
    "Synthesizer",
    "choose_synthesizer",
    "speech_status",
]
