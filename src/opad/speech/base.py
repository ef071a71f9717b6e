"""The speech interface and what every adapter shares: join sentence clips, encode."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

# Between two sentences, as a reader pauses; long enough to hear the boundary, short
# enough that a 300-word reading is not stretched (about 20 sentences → 5 s).
PAUSE_SECONDS = 0.25
OPUS_BITRATE = (
    "32k"  # speech at 32 kb/s in Opus is clear (RFC 6716 §2.1.1: 24–32 kb/s "fullband speech")
)


class SpeechError(Exception):
    """Speech could not be made; the message says why in an operator's terms."""


class VoiceUnavailable(SpeechError):
    """An engine whose check passed on what it found installed could not, on first use,
    load or speak the language after all (a broken install of a voice loaded lazily): the
    language goes to the next engine (choose.VoiceRouter), as if the check had failed."""


@dataclass(frozen=True)
class SentenceTiming:
    """Where one sentence is in the audio, in seconds from the start."""

    index: int
    start: float
    end: float


@dataclass(frozen=True)
class SpeechAudio:
    """Encoded audio, its MIME type, duration (seconds) and per-sentence timings."""

    data: bytes
    mime: str
    duration: float
    timings: list[SentenceTiming] = field(default_factory=list)
    engine: str = ""

    @property
    def extension(self) -> str:
        """File extension for the MIME type ("ogg", "mp3", "wav")."""
        return {"audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/wav": "wav"}.get(self.mime, "bin")


class Synthesizer(Protocol):
    name: str

    def check(self, code: str) -> str | None:
        """None when the engine can speak the language `code` (ISO 639-1), checked on a
        sentence in the language's script where the engine allows it (opad.speech.voices);
        else why it cannot, in an operator's terms."""
        ...

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Speak `sentences` (ISO 639-1 `code`) into one audio with sentence timings.

        Raises SpeechError when the engine fails, has no voice for the language, or is
        still speaking at `deadline` (a time.monotonic() value; None: no limit).
        """
        ...


def join_wavs(
    clips: Sequence[bytes], pause: float = PAUSE_SECONDS
) -> tuple[bytes, list[SentenceTiming]]:
    """One WAV from per-sentence WAV clips (same format), with a pause between them.

    Returns the WAV bytes and each clip's start/end in seconds. Raises SpeechError when the
    clips differ in sample rate, channels or sample width (one engine, one voice: never).
    """
    if not clips:
        raise SpeechError("nothing to speak")
    params = None
    frames: list[bytes] = []
    timings: list[SentenceTiming] = []
    position = 0  # in frames
    for index, clip in enumerate(clips):
        with wave.open(io.BytesIO(clip)) as w:
            p = (w.getnchannels(), w.getsampwidth(), w.getframerate())
            if params is None:
                params = p
            elif p != params:
                raise SpeechError(f"sentence {index + 1} came back in another audio format")
            data = w.readframes(w.getnframes())
        channels, width, rate = params
        if index:
            gap = int(pause * rate)
            frames.append(b"\x00" * gap * channels * width)
            position += gap
        n = len(data) // (channels * width)
        timings.append(SentenceTiming(index, position / rate, (position + n) / rate))
        frames.append(data)
        position += n
    assert params is not None
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(params[0])
        w.setsampwidth(params[1])
        w.setframerate(params[2])
        w.writeframes(b"".join(frames))
    return out.getvalue(), timings


def wav_duration(data: bytes) -> float:
    """Seconds of audio in a WAV file."""
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / float(w.getframerate())


def encode_opus(wav: bytes, *, timeout: float = 120) -> bytes:
    """WAV → Opus in an Ogg container, by ffmpeg (libopus). Raises SpeechError."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise SpeechError("ffmpeg is not installed (apt-get install ffmpeg)")
    try:
        done = subprocess.run(
            [
                ffmpeg,
                "-hide_banner",
                "-loglevel",
                "error",
                "-f",
                "wav",
                "-i",
                "pipe:0",
                "-c:a",
                "libopus",
                "-b:a",
                OPUS_BITRATE,
                "-application",
                "voip",
                "-f",
                "ogg",
                "pipe:1",
            ],
            input=wav,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SpeechError(f"encoding the audio took longer than {timeout:g} s") from exc
    if done.returncode != 0 or not done.stdout:
        raise SpeechError(
            f"ffmpeg could not encode the audio: {done.stderr.decode(errors='replace')[-300:]}"
        )
    return done.stdout


def finish(engine: str, clips: Sequence[bytes], timeout: float = 120) -> SpeechAudio:
    """Join per-sentence WAV clips and encode them for the web (within `timeout` s)."""
    wav, timings = join_wavs(clips)
    return SpeechAudio(
        data=encode_opus(wav, timeout=timeout),
        mime="audio/ogg",
        duration=wav_duration(wav),
        timings=timings,
        engine=engine,
    )
