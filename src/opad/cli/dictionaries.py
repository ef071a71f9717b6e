"""`opad dictionaries`: install the dictionaries word lookups read, and list them.

`opad dictionaries add` (no root needed) downloads each dictionary from its publisher's
release, checks its SHA-256 and builds its index in `<data folder>/dictionaries`; see
docs/dictionaries.md.
"""

from __future__ import annotations

from typing import Annotated

import typer

from opad.settings import get_settings

dictionaries_app = typer.Typer(help="Dictionaries for word meanings: add (install), list.")


@dictionaries_app.command("add")
def add(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Languages (de, ja…) or pairs (en-de); none: every dictionary"),
    ] = None,
    mirror: Annotated[
        str | None, typer.Option(help="Debian archive to download from (OPAD_DICT_MIRROR)")
    ] = None,
    from_system: Annotated[
        bool,
        typer.Option(
            "--from-system", help="Index the Debian packages installed here (OPAD_DICT_DIRS)"
        ),
    ] = False,
) -> None:
    """Download and index dictionaries into the data folder (a few minutes for all)."""
    from opad.dictionaries.install import (
        InstallError,
        install,
        install_from_system,
        meanings_by_language,
    )

    settings = get_settings()
    folder = settings.data_path / "dictionaries"
    try:
        if from_system:
            system = [f for f in settings.dictionary_folders if f != folder]
            done, failed = install_from_system(list(names or []), folder, system, typer.echo)
        else:
            done, failed = install(
                list(names or []), folder, mirror or settings.dict_mirror, echo=typer.echo
            )
    except InstallError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        raise typer.Exit(2) from exc
    for info in done:
        typer.echo(
            f"installed {info.title} ({info.language}→{info.explain_in}, {info.entries} entries)"
        )
    _report(meanings_by_language(settings.dictionary_folders))
    if failed:
        typer.secho(f"{len(failed)} failed (see above)", fg="red", err=True)
        raise typer.Exit(1)
    typer.echo("A running API uses them from its next lookup.")


@dictionaries_app.command("list")
def list_() -> None:
    """Which languages have meanings, and from which dictionary."""
    from opad.dictionaries.install import meanings_by_language

    _report(meanings_by_language(get_settings().dictionary_folders))


def _report(status: dict[str, str | None]) -> None:
    from opad.dictionaries.install import KOREAN, NAMES

    for code, title in status.items():
        if title:
            typer.echo(f"{NAMES[code]} ({code}): meanings from {title}")
        elif code == "ko":
            typer.echo(f"{NAMES[code]} ({code}): no meanings — {KOREAN}")
        else:
            typer.echo(f"{NAMES[code]} ({code}): no meanings — run `opad dictionaries add {code}`")
