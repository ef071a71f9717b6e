"""A scripted OpenAI-compatible chat server for in-context word lookups (real HTTP).

It answers `POST /v1/chat/completions` with the JSON the lookup prompt asks for: the
definition depends on the sentence (a river bank is not a money bank) and is written in
the explanation language the prompt names. `fail` makes it answer 500; `requests` counts
what it served, so a test sees that a cached lookup did not call it again.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.processes import free_port


def definition(prompt: str) -> dict[str, str]:
    """The answer for one lookup prompt."""
    word = re.search(r"The word is '([^']*)'", prompt)
    lang = re.search(r"one short sentence in (\w+)", prompt)
    sentence = prompt.split("as used in this sentence:\n", 1)[-1].split("\n\n", 1)[0]
    name, language = (word.group(1) if word else "?"), (lang.group(1) if lang else "?")
    if "river" in sentence or "Fluss" in sentence:
        return {"sense": "edge of a river", "definition": f"[{language}] the land along "
                f"the side of a river ({name})", "part_of_speech": "noun"}  # fmt: skip
    return {
        "sense": "a place for money",
        "definition": f"[{language}] a business that keeps money ({name})",
        "part_of_speech": "noun",
    }


class FakeDefiner:
    """Start with `with FakeDefiner() as llm:`; `llm.base_url` is OPAD_LLM_BASE_URL."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.requests: list[dict[str, Any]] = []
        self.fail = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                if outer.fail or not self.path.endswith("/chat/completions"):
                    self.send_response(500)
                    self.end_headers()
                    return
                content = json.dumps(definition(body["messages"][0]["content"]))
                payload = json.dumps(
                    {
                        "id": "x",
                        "object": "chat.completion",
                        "model": body.get("model"),
                        "choices": [
                            {"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}
                        ],
                        "usage": {"prompt_tokens": 50, "completion_tokens": 20,
                                  "total_tokens": 70},
                    }
                ).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeDefiner:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
