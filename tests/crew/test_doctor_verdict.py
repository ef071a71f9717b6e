"""`opad doctor` with the crew engine: one line per check and a verdict, no CrewAI boxes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.crew.conftest import MODEL, TELEMETRY_OFF
from tests.crew.fake_llm import FakeLLM
from tests.processes import base_env, free_port


def _doctor(tmp_path: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    for name in ("home", "tmp", "crewai"):
        (tmp_path / name).mkdir(exist_ok=True)
    env = base_env(
        tmp_path / "data",
        OPAD_ENGINE="crew",
        OPAD_LLM_MODEL=MODEL,
        OPAD_LLM_BASE_URL=base_url,
        OPAD_LLM_API_KEY="test-key",
        OPAD_SEARCH="library",
        OPAD_API_PORT=str(free_port()),  # where no API runs, whatever runs on 8001
        HOME=str(tmp_path / "home"),
        TMPDIR=str(tmp_path / "tmp"),
        CREWAI_STORAGE_DIR=str(tmp_path / "crewai"),
        **TELEMETRY_OFF,
    )
    return subprocess.run(
        [sys.executable, "-m", "opad", "doctor"], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_unreachable_llm_gives_one_line_and_a_verdict(tmp_path: Path) -> None:
    out = _doctor(tmp_path, f"http://127.0.0.1:{free_port()}/v1")
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "engine: crew"
    # Audio and meanings are reported, never part of the verdict.
    assert lines[1].startswith("audio: ")
    assert lines[2].startswith("meanings: ") and "Korean" in lines[2]
    assert lines[3].startswith(f"llm: PROBLEM — {MODEL}") and "could not reach the LLM" in lines[3]
    assert lines[4].startswith("search: ok — library: found")
    # Then whether OPAD runs (no API here: opad.cli.doctor.running), then the verdict.
    assert lines[5].startswith("api: PROBLEM — nothing answers")
    assert lines[6].startswith("worker: PROBLEM")
    assert lines[7].startswith("verdict: NOT ready — the LLM failed")
    assert len(lines) == 8
    # No error boxes, no repeated logs: the verdict is what the learner reads.
    for noise in ("╭", "LLM Error", "LLM Call Failed", "ERROR:root", "CrewAIEventsBus"):
        assert noise not in out.stdout + out.stderr


def test_rejected_key_and_a_working_llm_say_so_in_their_verdict(tmp_path: Path) -> None:
    with FakeLLM() as refusing:
        refusing.add_rule("", fail="401")
        out = _doctor(tmp_path, refusing.url)
    assert out.returncode == 1
    assert "╭" not in out.stdout + out.stderr
    assert out.stdout.splitlines()[-1].startswith("verdict: NOT ready — the LLM failed")
    with FakeLLM() as answering:  # it answers "ok" to the doctor's ping
        out = _doctor(tmp_path, answering.url)
    # Set up, not running (no API or worker here; tests/e2e/test_doctor.py has them).
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stdout.splitlines()[-1].startswith(
        "verdict: NOT running — the setup is ready (the crew engine can make readings)"
    )


def test_the_doctor_checks_json_schemas_and_tool_calls(tmp_path: Path) -> None:
    with FakeLLM() as answering:
        out = _doctor(tmp_path, answering.url)
    llm_line = next(line for line in out.stdout.splitlines() if line.startswith("llm: "))
    assert "follows a JSON schema; calls tools" in llm_line, out.stdout
    with FakeLLM() as chatty:
        chatty.add_rule("", "find", fail="no_tool")  # the first matching rule applies
        chatty.add_rule("", fail="prose")
        out = _doctor(tmp_path, chatty.url)
    # Usable (no API or worker runs here, so not running), with what the model cannot do.
    assert out.stdout.splitlines()[-1].startswith("verdict: NOT running — the setup is ready")
    assert "answers in JSON but not exactly as asked" in out.stdout
    assert "does not call tools: OPAD runs the news search itself" in out.stdout
    with FakeLLM() as no_json:
        no_json.add_rule("", "vocabulary", fail="invalid_json")
        out = _doctor(tmp_path, no_json.url)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "does not answer with JSON to a schema" in out.stdout
    assert out.stdout.splitlines()[-1].startswith("verdict: NOT ready — the LLM failed")
