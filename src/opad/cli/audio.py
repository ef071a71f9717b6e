"""`opad audio`: a reading's audio over the API — download it, or ask for it first."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from rich.console import Console

from opad.cli.client import _error_text, unreachable

WAIT_SECONDS = 600
# The file name endings that fit each audio type the API serves: a name that promises
# another format (x.mp3 holding Opus) plays in nothing that trusts the name.
SUFFIXES = {
    "audio/ogg": (".ogg", ".opus", ".oga"),
    "audio/opus": (".opus", ".ogg"),
    "audio/mpeg": (".mp3",),
    "audio/wav": (".wav",),
    "audio/x-wav": (".wav",),
}


def _wrong_suffix(output: Path, media_type: str) -> str | None:
    """What to tell the learner when `output`'s name does not fit `media_type`, else None."""
    fitting = SUFFIXES.get(media_type.split(";")[0].strip().lower())
    if not fitting or output.suffix.lower() in fitting:
        return None
    better = output.with_suffix(fitting[0])
    return (
        f"the audio is {media_type.split(';')[0]} ({fitting[0]}), not what the name "
        f"{output.name} says: write it to {better}"
        + (f", then convert it if you need {output.suffix}: ffmpeg -i {better} {output}"
           if output.suffix else "")
    )  # fmt: skip


POLL_SECONDS = 1.0


def _audio_state(client: httpx.Client, path: str) -> dict[str, Any] | None:
    resp = client.get(path)
    if resp.status_code != 200:
        return None
    return dict(resp.json().get("audio") or {"status": "none"})


def _say_state(err: Console, state: dict[str, Any], article_id: str) -> None:
    status = state.get("status")
    if status in ("pending", "making"):
        err.print("Its audio is being made; try again in a moment.", highlight=False)
    elif status == "unavailable":
        err.print(f"Audio is not available on this server: {state.get('detail')}", markup=False)
    else:
        why = f" ({state['error']})" if state.get("error") else ""
        err.print(
            f"This reading has no audio{why}. Make it with: opad audio {article_id} --make",
            markup=False,
            highlight=False,
        )


def fetch_audio(
    api_url: str,
    article_id: str,
    output: Path,
    *,
    make: bool = False,
    timings: Path | None = None,
    token: str | None = None,
) -> int:
    """Write the reading's audio (Opus in Ogg) to `output`; with `make`, ask the API for
    it first and wait until a worker made it. Returns the exit code."""
    err = Console(stderr=True)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    path = f"/articles/{quote(article_id, safe='')}"
    # Checked before anything is asked for: the API serves Opus in Ogg.
    wrong = _wrong_suffix(output, "audio/ogg")
    if wrong:
        err.print(f"error: {wrong}", markup=False, highlight=False)
        return 2
    try:
        with httpx.Client(base_url=api_url, timeout=30, headers=headers) as client:
            if make:
                resp = client.post(f"{path}/audio")
                if resp.status_code != 202:
                    err.print(f"error: {_error_text(resp)}", markup=False, highlight=False)
                    return 1
                deadline = time.monotonic() + WAIT_SECONDS
                state = resp.json()
                while state.get("status") in ("pending", "making", "none"):
                    if time.monotonic() > deadline:
                        err.print("error: the audio is still not made; try again later")
                        return 1
                    time.sleep(POLL_SECONDS)
                    state = _audio_state(client, path) or {}
                if state.get("status") == "failed":
                    err.print(f"error: {state.get('error')}", markup=False, highlight=False)
                    return 1
            resp = client.get(f"{path}/audio")
            if resp.status_code == 404:
                state = _audio_state(client, path)
                if state is None:
                    err.print(f"error: there is no article {article_id} (or it is someone else's)")
                else:
                    _say_state(err, state, article_id)
                return 1
            if resp.status_code != 200:
                err.print(f"error: {_error_text(resp)}", markup=False, highlight=False)
                return 1
            wrong = _wrong_suffix(output, resp.headers.get("content-type", ""))
            if wrong:
                err.print(f"error: {wrong}", markup=False, highlight=False)
                return 2
            output.write_bytes(resp.content)
            if timings is not None:
                meta = client.get(f"{path}/audio/timings").json()
                timings.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
            info = client.get(f"{path}/audio/timings").json()
            err.print(
                f"Wrote {output} ({len(resp.content) / 1024:.0f} KB, "
                f"{info['duration']:.0f} s, {len(info['sentences'])} sentences)",
                markup=False,
                highlight=False,
            )
            return 0
    except httpx.HTTPError as exc:
        err.print(f"error: {unreachable(api_url, exc)}", markup=False, highlight=False)
        return 1
