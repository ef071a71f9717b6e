"""Speech: a reading read aloud, sentence by sentence, with each sentence's timing.

One small interface, `Synthesizer.synthesize(code, sentences) -> SpeechAudio` and
`check(code)`, with adapters for espeak-ng (offline, 100+ languages), Open JTalk and
Kokoro-82M (offline Japanese, `japanese`), Piper (local neural voices) and any
OpenAI-compatible `/v1/audio/speech` endpoint. `choose_synthesizer(settings)` gives each
language the first engine that was checked to speak its script (`voices`); what is
spoken is the text in words (`normalize`). Every adapter speaks one sentence at a time,
so the start and end of each sentence in the final audio are known exactly; the sentences
are then joined with a short pause and encoded for the web (Opus in Ogg) by ffmpeg.
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
