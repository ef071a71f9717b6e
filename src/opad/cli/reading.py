"""`opad generate`, `status`, `show`, `audio`, `login`: a reader's client of the API.

Each command talks to the API over HTTP (opad.cli.client) with the token `opad login` stored;
the `opad` command registers them (opad.cli). Exit codes are opad.cli.client's.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from opad.settings import get_settings

ApiUrl = Annotated[
    str | None,
    typer.Option(
        envvar="OPAD_API_URL",
        help="The API's base URL [default: from OPAD_API_HOST and OPAD_API_PORT]",
        show_default=False,
    ),
]


def generate(
    language: Annotated[str, typer.Option(help="Language name or code, e.g. German")],
    level: Annotated[str, typer.Option(help="CEFR level A1…C2")],
    length: Annotated[int, typer.Option(help="Target length in words")] = 300,
    topic: Annotated[str | None, typer.Option(help="What the reading is about")] = None,
    source_url: Annotated[str | None, typer.Option(help="Adapt this page instead")] = None,
    source_file: Annotated[
        typer.FileText | None, typer.Option(help="Adapt this text file instead")
    ] = None,
    wait: Annotated[bool, typer.Option(help="Follow the job and print the article")] = False,
    api_url: ApiUrl = None,
) -> None:
    """Ask the API for a reading; with --wait, show progress and print the article."""
    from opad.cli.client import generate_reading, stored_token

    body = {"language": language, "level": level, "length": length, "topic": topic}
    if source_url:
        body["source_url"] = source_url
    if source_file:
        body["source_text"] = source_file.read()
    settings = get_settings()
    url = api_url or settings.api_url
    code = generate_reading(url, body, wait=wait, token=stored_token(url), web_url=settings.web_url)
    sys.exit(code)


def status(
    job_id: Annotated[str, typer.Argument(help="The job id `opad generate` printed")],
    wait: Annotated[bool, typer.Option(help="Follow the job and print the article")] = False,
    api_url: ApiUrl = None,
) -> None:
    """Where a reading's job stands; with --wait, follow it and print the article."""
    from opad.cli.client import job_status, stored_token

    url = api_url or get_settings().api_url
    sys.exit(job_status(url, job_id, wait=wait, token=stored_token(url)))


def show(
    article_id: Annotated[str, typer.Argument(help="The article id `opad generate` printed")],
    api_url: ApiUrl = None,
) -> None:
    """Print a reading (once it is ready)."""
    from opad.cli.client import show_article, stored_token

    url = api_url or get_settings().api_url
    sys.exit(show_article(url, article_id, token=stored_token(url)))


def audio(
    article_id: Annotated[str, typer.Argument(help="The article id `opad generate` printed")],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Where to write the audio: NAME.ogg (Opus in Ogg)"),
    ],
    make: Annotated[
        bool, typer.Option(help="Ask for the audio first (older readings, or after a failure)")
    ] = False,
    timings: Annotated[
        Path | None, typer.Option(help="Also write the sentence timings (JSON) here")
    ] = None,
    api_url: ApiUrl = None,
) -> None:
    """Download a reading's audio (Opus in Ogg); --make asks a worker to make it first."""
    from opad.cli.audio import fetch_audio
    from opad.cli.client import stored_token

    url = api_url or get_settings().api_url
    code = fetch_audio(url, article_id, output, make=make, timings=timings, token=stored_token(url))
    sys.exit(code)


def login(
    email: Annotated[str, typer.Option(prompt=True, help="Your account's email")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="Password")],
    api_url: ApiUrl = None,
) -> None:
    """Sign in to an OPAD API and keep a personal token for the CLI (~/.config/opad)."""
    from opad.cli.client import login as do_login

    sys.exit(do_login(api_url or get_settings().api_url, email, password))


COMMANDS = (generate, status, show, audio, login)
