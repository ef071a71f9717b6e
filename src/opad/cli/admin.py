"""`opad user` and `opad jobs`: accounts and queue repair, run on the server.

They build the services from the environment (OPAD_DATABASE_URL, REDIS_URL) as the API does.
"""

from __future__ import annotations

from typing import Annotated

import typer

from opad.settings import get_settings


def fail(message: str) -> None:
    """Print `error: message` in red on stderr and exit with status 1."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


user_app = typer.Typer(help="Manage accounts (run on the server).", no_args_is_help=True)


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="The new user's email")],
    admin: Annotated[bool, typer.Option(help="Make an administrator")] = False,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="OPAD_NEW_USER_PASSWORD",
            help="At least 10 characters",
        ),
    ] = "",
) -> None:
    """Create an account (works whatever OPAD_REGISTRATION says)."""
    from opad.bootstrap import build_services
    from opad.errors import OpadError
    from opad.services.accounts import create_user

    services = build_services(get_settings())
    try:
        user = create_user(services, email, password, is_admin=admin)
    except OpadError as exc:
        fail(exc.detail)
    finally:
        services.close()
    typer.echo(f"user {user.email} created ({user.id})")


@user_app.command("tokens")
def user_tokens(
    email: Annotated[str, typer.Argument(help="Whose sign-ins and tokens")],
    revoke: Annotated[
        list[str] | None, typer.Option(help="Revoke the token with this id (repeatable)")
    ] = None,
) -> None:
    """List a user's browser sign-ins and API tokens (id, kind, state, dates); --revoke ID."""
    from opad.bootstrap import build_services
    from opad.errors import OpadError
    from opad.services import accounts

    services = build_services(get_settings())
    try:
        user = accounts.user_by_email(services, email)
        if user is None:
            fail(f"no user with email {email}")
            return
        for token_id in revoke or []:
            accounts.revoke_token(services, user.id, token_id)
            typer.echo(f"revoked {token_id}")
        tokens = accounts.list_tokens(services, user.id)
    except OpadError as exc:
        fail(exc.detail)
        return
    finally:
        services.close()
    typer.echo("id\tname\tkind\tstate\tcreated\tlast used\texpires")
    for t in tokens:
        typer.echo(
            "\t".join(
                str(value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else value)
                for value in (
                    t["id"], t["name"], t["kind"], t["state"], t["created_at"],
                    t["last_used_at"] or "-", t["expires_at"] or "never",
                )
            )
        )  # fmt: skip


jobs_app = typer.Typer(help="Inspect and repair the queue.", no_args_is_help=True)


@jobs_app.command("dead")
def jobs_dead() -> None:
    """List dead-lettered jobs (failed after their last retry, or unreadable messages)."""
    from opad.bootstrap import build_services

    services = build_services(get_settings())
    try:
        entries = services.queue.dead_letters()
    finally:
        services.close()
    if not entries:
        typer.echo("no dead letters")
    for entry in entries:
        typer.echo(
            f"{entry.get('job_id') or '-'}\t{entry.get('at')}\tattempts={entry.get('attempts', 0)}"
            f"\t{entry.get('error')}"
        )


@jobs_app.command("retry")
def jobs_retry(job_id: Annotated[str, typer.Argument(help="The dead job's id")]) -> None:
    """Re-enqueue a dead-lettered job with a fresh retry budget."""
    from opad.bootstrap import build_services
    from opad.errors import Conflict, NotFound
    from opad.services.jobs import retry_dead

    services = build_services(get_settings())
    try:
        retry_dead(services.db, services.queue, job_id)
    except (NotFound, Conflict) as exc:
        fail(exc.detail)
    finally:
        services.close()
    typer.echo(f"job {job_id} queued again")
