"""`opad words`: the learner's saved words from the command line (list, export, language).

A client of the API like the web: it sends the token `opad login` stored (or OPAD_TOKEN).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from opad.settings import get_settings

if TYPE_CHECKING:
    import httpx

words_app = typer.Typer(help="Your saved words: list, export, explanation language.")

ApiUrl = Annotated[str | None, typer.Option(envvar="OPAD_API_URL", help="API base URL")]


def _call(api_url: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
    # Imported here, not with the module: `opad api` and `opad web` load this module to
    # register the command, and httpx imports its own command line (rich, pygments) with it.
    import httpx

    from opad.cli.client import _error_text, stored_token

    url = (api_url or get_settings().api_url).rstrip("/")
    token = stored_token(url)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = httpx.request(method, url + path, headers=headers, timeout=60, **kwargs)
    except httpx.HTTPError as exc:
        typer.secho(f"error: the API at {url} did not answer ({exc})", fg="red", err=True)
        raise typer.Exit(1) from exc
    if response.status_code >= 400:
        typer.secho(f"error: {_error_text(response)}", fg="red", err=True)
        raise typer.Exit(1)
    return response


@words_app.command("list")
def list_words(
    language: Annotated[str | None, typer.Option(help="Language name or code")] = None,
    state: Annotated[str | None, typer.Option(help="new, learning, known or ignored")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help="Text to find")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
    api_url: ApiUrl = None,
) -> None:
    """List your saved words (tab-separated: language, lemma, state, meaning)."""
    filters = {k: v for k, v in {"language": language, "state": state, "q": search}.items() if v}
    offset = 0
    while True:
        query: dict[str, Any] = {**filters, "limit": 500, "offset": offset}
        page = _call(api_url, "GET", "/words", params=query).json()
        for word in page["items"]:
            if as_json:
                print(json.dumps(word, ensure_ascii=False))
            else:
                state_text = word["state"] + (
                    f" {word['stage']}" if word["state"] == "learning" else ""
                )
                meaning = (word.get("meaning") or "").replace("\t", " ").replace("\n", " ")
                print(f"{word['language']}\t{word['lemma']}\t{state_text}\t{meaning}")
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            break


@words_app.command("export")
def export(
    output: Annotated[Path, typer.Argument(help="File to write: NAME.apkg (Anki) or NAME.csv")],
    language: Annotated[str | None, typer.Option(help="Language name or code")] = None,
    state: Annotated[
        str | None, typer.Option(help="Only this state: new, learning, known or ignored")
    ] = None,
    all_states: Annotated[
        bool, typer.Option("--all", help="Every word, known and ignored ones too")
    ] = False,
    api_url: ApiUrl = None,
) -> None:
    """Export the words you are learning (new and learning; --all: every word) as an Anki
    deck (.apkg) or CSV, chosen by the file's extension; each links to its reading's page
    on the web (OPAD_WEB_URL)."""
    kind = output.suffix.lstrip(".").lower()
    if kind not in ("apkg", "csv"):
        typer.secho("error: the file must end in .apkg or .csv", fg="red", err=True)
        raise typer.Exit(2)
    states = [state] if state else ["new", "learning", "known", "ignored"] if all_states else []
    params: dict[str, Any] = {"state": states, "link_base": get_settings().web_url}
    if language:
        params["language"] = language
    data = _call(api_url, "GET", f"/words/export.{kind}", params=params).content
    output.write_bytes(data)
    print(f"wrote {output} ({len(data)} bytes)", file=sys.stderr)


@words_app.command("language")
def language(
    code: Annotated[str | None, typer.Argument(help="Set it: a code or name, e.g. de")] = None,
    api_url: ApiUrl = None,
) -> None:
    """Show (or set) the language meanings are explained in."""
    if code is None:
        print(_call(api_url, "GET", "/learner/settings").json()["explain_in"])
    else:
        body = {"explain_in": code}
        print(_call(api_url, "PUT", "/learner/settings", json=body).json()["explain_in"])
