"""A property-based fuzz of the whole API from its own OpenAPI schema (schemathesis), over
real HTTP against a real `opad api` process: no 5xx, and every response — status code,
content type, headers, body — conforms to what the schema declares."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import Stack, base_env

# The bar: nothing crashes, nothing answers outside its schema. (Whether the API
# accepts every schema-valid input is another question: its validators are stricter than
# JSON Schema can say, e.g. a topic that is only spaces.)
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "unsupported_method",
        "allow_header_conformance",
    ]
)


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("fuzz")
    # A worker too (noop engine): jobs end, so their event streams end instead of waiting.
    # It speaks (espeak-ng): without a speech engine POST /articles/{id}/audio answers 503
    # "speech unavailable" by design, which a fuzzer cannot tell from a server error.
    env = base_env(folder, OPAD_ENGINE="noop", OPAD_SPEECH="espeak")
    stack = Stack(env=env, data_dir=folder)
    stack.migrate()
    stack.start_api()
    stack.start("worker")
    yield stack
    stack.stop()
    from opad.queue import embedded

    embedded.stop(folder)


def test_api_conforms_to_its_schema(fuzz_stack: Stack) -> None:
    schemathesis = Path(sys.executable).with_name("schemathesis")
    out = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{fuzz_stack.api_url}/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "25",
            "--seed",
            "20261128",
            "--no-color",
            "--request-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=fuzz_stack.env,
    )
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
    assert "No issues found" in out.stdout or "passed" in out.stdout, out.stdout[-3000:]
    assert "Traceback" not in fuzz_stack.services[0].output()
