"""Open JTalk is looked for at a worker's start and loaded on the first Japanese audio.

Importing pyopenjtalk-plus loads numpy, onnxruntime and SudachiPy (+68 MB in every worker
process, docs/benchmarks.md), so the start-up check only finds its files. The answer stays
true: without its dictionary it is not offered, and an install whose files are there but
broken (a dictionary MeCab cannot open) gives Japanese to the next voice on the first
audio — as the full check did at start before — or says "no voice for Japanese" when
there is none. Each case runs in a fresh interpreter: the library loads once per process,
and reads OPEN_JTALK_DICT_DIR when it is imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from opad.speech import japanese
from opad.speech.choose import VoiceRouter
from opad.speech.japanese import OpenJTalkSynthesizer, openjtalk_files_problem
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
SENTENCES = json.dumps(["新しい図書館は土曜日の朝に開きます。", "家族がたくさん来ました。"])

# What a worker does (speech_setup at start, then a reading's audio), and what it loaded.
AT_START_THEN_FIRST_AUDIO = """
import json, sys
from opad.settings import Settings
from opad.speech import SpeechError, choose_synthesizer, speech_status
from opad.speech.choose import VoiceRouter, describe, speech_setup
from opad.speech.japanese import OpenJTalkSynthesizer

HEAVY = ("pyopenjtalk", "onnxruntime", "numpy")
settings = Settings(_env_file=None, OPAD_DATA_DIR=sys.argv[1])
sentences = json.loads(sys.argv[2])
loaded = lambda: [m for m in HEAVY if m in sys.modules]
out = {}
available, detail, router = speech_setup(settings)
out["start"] = {"voice": router.voices(["ja"])["ja"], "loaded": loaded()}
only = VoiceRouter([OpenJTalkSynthesizer()])  # a server whose one voice is Open JTalk
audio = router.synthesize("ja", sentences)
out["first"] = {"engine": audio.engine, "voice": router.voices(["ja"])["ja"],
                "describe": describe(router)[1],
                "loaded": loaded()}
# The next job makes its own router; the worker's report uses the one from the start.
out["next_job"] = choose_synthesizer(settings).voices(["ja"])["ja"]
try:
    only.synthesize("ja", sentences)
    out["only"] = None
except SpeechError as exc:
    out["only"] = str(exc)
out["doctor"] = speech_status(settings)[1]
print(json.dumps(out))
"""


def run_worker_steps(tmp_path: Path, **env: str) -> dict[str, Any]:
    """AT_START_THEN_FIRST_AUDIO in a fresh interpreter; its findings."""
    done = subprocess.run(
        [sys.executable, "-c", AT_START_THEN_FIRST_AUDIO, str(tmp_path / "data"), SENTENCES],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_worker_starts_without_open_jtalk_and_loads_it_for_the_first_japanese_audio(
    tmp_path: Path,
) -> None:
    found = run_worker_steps(tmp_path)
    # Offered for Japanese at start, with nothing of it loaded (numpy neither).
    assert found["start"] == {"voice": "open-jtalk", "loaded": []}
    assert found["first"]["engine"] == "open-jtalk"
    assert found["first"]["voice"] == "open-jtalk"
    assert {"pyopenjtalk", "numpy"} <= set(found["first"]["loaded"])
    assert found["next_job"] == "open-jtalk" and found["only"] is None
    assert found["doctor"].startswith("audio by open-jtalk (ja), espeak-ng (en ")


def test_open_jtalk_without_its_dictionary_is_not_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Looked for where pyopenjtalk-plus reads it: OPEN_JTALK_DICT_DIR, else its own folder.
    monkeypatch.setenv("OPEN_JTALK_DICT_DIR", str(tmp_path))
    # As in a fresh worker: an earlier test may have loaded the library in this process.
    monkeypatch.setattr(japanese, "_loaded", None)
    monkeypatch.setattr(japanese, "_load_problem", None)
    problem = openjtalk_files_problem()
    assert problem is not None and str(tmp_path / "sys.dic") in problem
    assert OpenJTalkSynthesizer().check("ja") == problem
    router = VoiceRouter([OpenJTalkSynthesizer()])
    assert router.check("ja") is not None
    assert str(router.check("ja")).startswith("no voice for Japanese on this server")
    from opad.speech import choose_synthesizer

    synth = choose_synthesizer(make_settings(tmp_path))
    assert synth is not None and synth.voices(["ja"]) == {"ja": "espeak-ng"}


def test_a_broken_open_jtalk_gives_japanese_to_the_next_voice_on_first_use(
    tmp_path: Path,
) -> None:
    # Its files are all there, but MeCab cannot open the dictionary: found on first use.
    broken = tmp_path / "dictionary"
    broken.mkdir()
    for name in ("sys.dic", "unk.dic", "char.bin", "matrix.bin"):
        (broken / name).write_text("not a dictionary\n")
    found = run_worker_steps(tmp_path, OPEN_JTALK_DICT_DIR=str(broken))
    assert found["start"]["voice"] == "open-jtalk"  # only its files were looked at
    # The first audio is espeak-ng's, as when the full check failed at start.
    assert found["first"]["engine"] == "espeak-ng"
    assert found["first"]["voice"] == "espeak-ng"
    assert "open-jtalk" not in found["first"]["describe"]  # the worker's report
    assert found["next_job"] == "espeak-ng"
    assert found["only"].startswith("no voice for Japanese on this server — how to add one: ")
    assert "open-jtalk" not in found["doctor"] and found["doctor"].startswith("audio by ")
