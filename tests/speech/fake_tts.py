"""A local OpenAI-compatible speech server: `POST /v1/audio/speech` → a WAV.

It answers with a tone whose length follows the text (0.06 s per character), records every
request, and can be told to fail, so the real client code runs against real HTTP.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.speech.wavs import tone


class FakeSpeechServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.fail_status = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self) -> FakeSpeechServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                if self.path != "/v1/audio/speech":
                    status, data, ctype = 404, b"{}", "application/json"
                elif fake.fail_status:
                    status, ctype = fake.fail_status, "application/json"
                    data = json.dumps({"error": {"message": "voice server is overloaded"}}).encode()
                else:
                    status, ctype = 200, "audio/wav"
                    data = tone(0.06 * len(body["input"]))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
