"""Speech adapters for real: espeak-ng, an OpenAI-compatible endpoint, the piper program.

The audio each makes is decoded with ffprobe: its duration fits the text, and the sentence
timings increase and cover it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from opad.speech import SpeechAudio, SpeechError, choose_synthesizer, speech_status
from opad.speech.espeak import RATE_WPM, EspeakSynthesizer
from opad.speech.openai_tts import OpenAISpeechSynthesizer
from opad.speech.piper import PiperSynthesizer
from tests.conftest import make_settings
from tests.speech.fake_tts import FakeSpeechServer

SENTENCES = {
    "en": [
        "The new park opened on Saturday.",
        "Hundreds of families came to see it.",
        "The mayor said it was a gift for the whole town.",
    ],
    "de": [
        "Der neue Park hat am Samstag geöffnet.",
        "Hunderte Familien kamen, um ihn zu sehen.",
        "Die Bürgermeisterin nannte ihn ein Geschenk für die ganze Stadt.",
    ],
    "es": [
        "El nuevo parque abrió el sábado.",
        "Cientos de familias vinieron a verlo.",
        "La alcaldesa dijo que era un regalo para toda la ciudad.",
    ],
    "fr": [
        "Le nouveau parc a ouvert samedi.",
        "Des centaines de familles sont venues le voir.",
        "La maire a dit que c'était un cadeau pour toute la ville.",
    ],
}


def probe(audio: SpeechAudio, tmp_path: Path) -> dict[str, str]:
    """What ffprobe reads from the encoded file: codec, format and duration."""
    path = tmp_path / f"audio.{audio.extension}"
    path.write_bytes(audio.data)
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration,format_name:stream=codec_name",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    return {
        "codec": data["streams"][0]["codec_name"],
        "format": data["format"]["format_name"],
        "duration": data["format"]["duration"],
    }


def assert_timings_cover(audio: SpeechAudio, sentences: int) -> None:
    assert len(audio.timings) == sentences
    previous_end = 0.0
    for timing in audio.timings:
        assert timing.start >= previous_end
        assert timing.end > timing.start
        previous_end = timing.end
    assert audio.timings[0].start == 0
    assert audio.timings[-1].end == pytest.approx(audio.duration, abs=0.01)


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_espeak_reads_each_language_with_sentence_timings(code: str, tmp_path: Path) -> None:
    sentences = SENTENCES[code]
    audio = EspeakSynthesizer().synthesize(code, sentences)
    info = probe(audio, tmp_path)
    assert (info["codec"], info["format"], audio.mime) == ("opus", "ogg", "audio/ogg")
    # Ogg/Opus adds at most a few tens of ms of padding to what was encoded.
    assert float(info["duration"]) == pytest.approx(audio.duration, abs=0.1)
    words = sum(len(s.split()) for s in sentences)
    expected = words / RATE_WPM * 60
    assert 0.6 * expected < audio.duration < 2.0 * expected, (audio.duration, expected)
    assert_timings_cover(audio, len(sentences))
    # Longer sentences take longer to say.
    lengths = [t.end - t.start for t in audio.timings]
    assert lengths[2] > lengths[0]


def test_espeak_without_a_voice_says_so() -> None:
    with pytest.raises(SpeechError, match="no voice"):
        EspeakSynthesizer().synthesize("xx", ["Hello."])


def test_text_that_looks_like_an_option_is_read_not_obeyed(tmp_path: Path) -> None:
    audio = EspeakSynthesizer().synthesize("en", ["--help me, said the man.", "-v de"])
    assert_timings_cover(audio, 2)


@pytest.fixture
def tts() -> Iterator[FakeSpeechServer]:
    server = FakeSpeechServer().start()
    yield server
    server.stop()


def test_openai_endpoint_one_request_per_sentence(tts: FakeSpeechServer, tmp_path: Path) -> None:
    synth = OpenAISpeechSynthesizer(tts.base_url, api_key="k-123", model="tts-x", voice="nova")
    audio = synth.synthesize("de", SENTENCES["de"])
    assert [r["input"] for r in tts.requests] == SENTENCES["de"]
    assert {(r["model"], r["voice"], r["response_format"]) for r in tts.requests} == {
        ("tts-x", "nova", "wav")
    }
    assert all(h.get("Authorization") == "Bearer k-123" for h in tts.headers)
    assert_timings_cover(audio, 3)
    # The server's tone lasts 0.06 s per character: the timings are the clips' own lengths.
    first = audio.timings[0]
    assert first.end - first.start == pytest.approx(0.06 * len(SENTENCES["de"][0]), abs=0.01)
    assert probe(audio, tmp_path)["codec"] == "opus"


def test_openai_endpoint_down_or_failing_is_a_speech_error(tts: FakeSpeechServer) -> None:
    tts.fail_status = 503
    with pytest.raises(SpeechError, match="503"):
        OpenAISpeechSynthesizer(tts.base_url).synthesize("en", ["Hello."])
    url = tts.base_url
    tts.stop()
    with pytest.raises(SpeechError, match="failed"):
        OpenAISpeechSynthesizer(url, timeout=2).synthesize("en", ["Hello."])


PIPER_STAND_IN = """#!{python}
# Stands in for the piper program: same arguments, text on stdin, a WAV out.
import sys
sys.path.insert(0, {root!r})
from tests.speech.wavs import tone
args = sys.argv[1:]
model, out = args[args.index("--model") + 1], args[args.index("--output_file") + 1]
text = sys.stdin.read()
if "crash" in text:
    sys.exit("piper: boom")
open(out, "wb").write(tone(0.05 * len(text), rate=22050))
"""


def test_piper_program_with_a_voice_folder(tmp_path: Path) -> None:
    # The real piper needs voice files downloaded by the user (not possible here); a
    # program with piper's command line runs our adapter for real.
    program = tmp_path / "bin" / "piper"
    program.parent.mkdir()
    root = str(Path(__file__).resolve().parents[2])
    program.write_text(PIPER_STAND_IN.format(python=sys.executable, root=root))
    program.chmod(0o755)
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "de_DE-thorsten-medium.onnx").write_bytes(b"")
    synth = PiperSynthesizer(voices, str(program))
    assert synth.voice("de").name == "de_DE-thorsten-medium.onnx"
    audio = synth.synthesize("de", SENTENCES["de"])
    assert_timings_cover(audio, 3)
    with pytest.raises(SpeechError, match="no Piper voice"):
        synth.synthesize("fr", ["Bonjour."])
    with pytest.raises(SpeechError, match="boom"):
        synth.synthesize("de", ["This will crash."])


def test_choice_follows_settings(tmp_path: Path, tts: FakeSpeechServer) -> None:
    auto = make_settings(tmp_path)
    # The `voices` extra (make install) gives Japanese to Open JTalk; espeak-ng the rest.
    assert choose_synthesizer(auto).name == "open-jtalk, espeak-ng"  # type: ignore[union-attr]
    available, detail = speech_status(auto)
    assert available and detail.startswith(
        "audio by open-jtalk (ja), espeak-ng (en de es fr it pt ko zh "
    )
    off = make_settings(tmp_path, OPAD_SPEECH="off")
    assert choose_synthesizer(off) is None
    assert speech_status(off)[0] is False
    remote = make_settings(tmp_path, OPAD_SPEECH_URL=tts.base_url)
    # The endpoint first, for every language; the others stay as fallbacks.
    remote_synth = choose_synthesizer(remote)
    assert remote_synth is not None and remote_synth.name == "openai, open-jtalk, espeak-ng"
    assert set(remote_synth.voices(["ja", "zh", "en"]).values()) == {"openai"}
    missing = make_settings(tmp_path, OPAD_SPEECH="piper")
    available, message = speech_status(missing)
    assert not available and "OPAD_PIPER_VOICES" in message


def test_nothing_installed_says_so_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "pyopenjtalk", None)  # the `voices` extra left out
    settings = make_settings(tmp_path)
    assert choose_synthesizer(settings) is None
    available, message = speech_status(settings)
    assert not available and "install espeak-ng" in message


def test_doctor_says_whether_readings_can_have_audio(tmp_path: Path) -> None:
    from opad.engines.crew.doctor import run_doctor

    lines: list[str] = []
    assert run_doctor(make_settings(tmp_path), lines.append) == 0
    assert any(line.startswith("audio: audio by open-jtalk (ja), espeak-ng (en ") for line in lines)
    assert not [line for line in lines if "no voice" in line]  # every language has one here
    lines.clear()
    run_doctor(make_settings(tmp_path, OPAD_SPEECH="off"), lines.append)
    assert "audio: audio is switched off (OPAD_SPEECH=off)" in lines
