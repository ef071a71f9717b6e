"""Small WAV files for speech tests: a tone of a given length, as an engine would return."""

from __future__ import annotations

import io
import math
import struct
import wave


def tone(seconds: float, rate: int = 16000, freq: float = 220.0) -> bytes:
    """A mono 16-bit WAV of a sine tone lasting `seconds`."""
    n = int(seconds * rate)
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate))) for i in range(n)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()
