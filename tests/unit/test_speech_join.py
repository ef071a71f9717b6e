"""Joining per-sentence clips: timings are exact, increasing, and cover the audio."""

from __future__ import annotations

import pytest

from opad.speech.base import PAUSE_SECONDS, SpeechError, join_wavs, wav_duration
from tests.speech.wavs import tone


def test_timings_follow_each_clip_with_a_pause_between() -> None:
    wav, timings = join_wavs([tone(1.0), tone(0.5), tone(2.0)])
    assert [t.index for t in timings] == [0, 1, 2]
    assert timings[0].start == 0
    assert timings[0].end == pytest.approx(1.0)
    assert timings[1].start == pytest.approx(1.0 + PAUSE_SECONDS)
    assert timings[1].end == pytest.approx(1.5 + PAUSE_SECONDS)
    assert timings[2].end == pytest.approx(wav_duration(wav))
    assert wav_duration(wav) == pytest.approx(3.5 + 2 * PAUSE_SECONDS, abs=1e-3)


def test_one_clip_has_no_pause() -> None:
    wav, timings = join_wavs([tone(0.3)])
    assert timings[0].start == 0 and timings[0].end == pytest.approx(wav_duration(wav))


def test_clips_in_different_formats_are_refused() -> None:
    with pytest.raises(SpeechError, match="sentence 2"):
        join_wavs([tone(0.2, rate=16000), tone(0.2, rate=22050)])


def test_nothing_to_speak() -> None:
    with pytest.raises(SpeechError):
        join_wavs([])
