"""Any OpenAI-compatible `/v1/audio/speech` endpoint (OpenAI, or a local server)."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from opad.speech.base import SpeechAudio, SpeechError, finish
from opad.speech.program import timeout_until


class OpenAISpeechSynthesizer:
    """Speech from `POST {base_url}/audio/speech`, one request per sentence, as WAV."""

    name = "openai"

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str = "",
        model: str = "tts-1",
        voice: str = "alloy",
        timeout: float = 60,
    ) -> None:
        self.url = base_url.rstrip("/") + "/audio/speech"
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.model = model
        self.voice = voice
        self.timeout = timeout

    def check(self, code: str) -> str | None:
        """Always None: the endpoint was configured on purpose, and its voices (OpenAI's
        speak every language OPAD offers) say nothing of their languages to ask."""
        return None

    def synthesize(
        self, code: str, sentences: Sequence[str], deadline: float | None = None
    ) -> SpeechAudio:
        """Ask the endpoint for each sentence (WAV), then join and encode."""
        clips: list[bytes] = []
        with httpx.Client(timeout=self.timeout, headers=self.headers) as http:
            for sentence in sentences:
                body = {
                    "model": self.model,
                    "voice": self.voice,
                    "input": sentence,
                    "response_format": "wav",
                }
                limit = timeout_until(deadline, self.timeout, self.name)
                try:
                    resp = http.post(self.url, json=body, timeout=limit)
                except httpx.HTTPError as exc:
                    raise SpeechError(f"the speech endpoint {self.url} failed: {exc}") from exc
                if resp.status_code != 200:
                    raise SpeechError(
                        f"the speech endpoint {self.url} answered {resp.status_code}: "
                        f"{resp.text[:200]}"
                    )
                clips.append(resp.content)
        return finish(self.name, clips, timeout=timeout_until(deadline, 120, "encoding"))
