"""The `opad` command: services, migrations, the embedded stack, and a client."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from opad.settings import Settings, get_settings

app = typer.Typer(
    help="OPAD: current news or your own text, rewritten at your CEFR level.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _exit_now(code: int) -> None:
    """Exit once everything is closed, skipping the interpreter's teardown.

    Tearing down the modules a service loaded (SQLAlchemy, Alembic, the leveling data…)
    takes seconds on a busy machine and does nothing useful: connections are closed and
    the logs flushed by then. It made Ctrl-C on `opad up` wait for nothing.
    """
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _service_settings() -> Settings:
    """Settings for a service, refusing a production deployment strangers could use."""
    settings = get_settings()
    try:
        settings.check_production()
    except ValueError as exc:
        _fail(str(exc))
    return settings


@app.command()
def api(
    host: Annotated[str | None, typer.Option(envvar="OPAD_API_HOST", help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(envvar="OPAD_API_PORT", help="Port")] = None,
) -> None:
    """Run the API service (stores articles, enqueues jobs)."""
    import uvicorn

    from opad.api.app import create_app
    from opad.bootstrap import build_services
    from opad.db.migrate import SchemaOutOfDate, ensure_current
    from opad.logs import configure, uvicorn_log_config

    settings = _service_settings()
    configure(settings.log_level, settings.log_format)
    services = build_services(settings)
    try:
        ensure_current(services.db.engine)
    except SchemaOutOfDate as exc:
        _fail(exc.detail)
    uvicorn.run(
        create_app(settings, services),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level=settings.log_level.lower(),
        log_config=uvicorn_log_config(settings.log_format),
        access_log=settings.log_level.upper() == "DEBUG",
        proxy_headers=False,  # the app's own middleware, with OPAD_TRUSTED_PROXIES
    )


@app.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(envvar="OPAD_WORKER_CONCURRENCY", help="Jobs run at once", min=1),
    ] = None,
    processes: Annotated[
        int | None,
        typer.Option(
            envvar="OPAD_WORKER_PROCESSES",
            help="Worker processes, each with its own slots (default: one per core)",
            min=1,
        ),
    ] = None,
) -> None:
    """Run a worker (claims jobs, runs the engine, stores results)."""
    from opad.worker.group import default_processes, run_group

    settings = _service_settings()
    count = processes or settings.worker_processes or default_processes()
    if count > 1:
        from opad.logs import configure

        configure(settings.log_level, settings.log_format)
        _exit_now(run_group(count, concurrency))
    from opad.worker.main import run_worker

    run_worker(settings, concurrency)
    _exit_now(0)


@app.command()
def web(
    host: Annotated[str | None, typer.Option(envvar="OPAD_WEB_HOST", help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(envvar="OPAD_WEB_PORT", help="Port")] = None,
) -> None:
    """Run the web service (the pages learners use; talks to the API over HTTP)."""
    import uvicorn

    from opad.logs import configure, uvicorn_log_config
    from opad.web.app import create_app

    settings = get_settings()
    configure(settings.log_level, settings.log_format)
    uvicorn.run(
        create_app(settings),
        host=host or settings.web_host,
        port=port or settings.web_port,
        log_level=settings.log_level.lower(),
        log_config=uvicorn_log_config(settings.log_format),
        access_log=settings.log_level.upper() == "DEBUG",
        proxy_headers=False,  # the app's own middleware, with OPAD_TRUSTED_PROXIES
    )


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (safe to run from several replicas)."""
    from opad.db.migrate import current_revision, upgrade
    from opad.db.session import make_engine

    engine = make_engine(get_settings())
    try:
        upgrade(engine)
        typer.echo(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@app.command()
def up() -> None:
    """Start Redis (embedded unless REDIS_URL), migrate, then the API, a worker and the web."""
    from opad.up import run_stack

    _exit_now(run_stack(get_settings()))


ApiUrl = Annotated[
    str | None,
    typer.Option(
        envvar="OPAD_API_URL",
        help="The API's base URL [default: from OPAD_API_HOST and OPAD_API_PORT]",
        show_default=False,
    ),
]


@app.command()
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
    from opad.client import generate_reading, stored_token

    body = {"language": language, "level": level, "length": length, "topic": topic}
    if source_url:
        body["source_url"] = source_url
    if source_file:
        body["source_text"] = source_file.read()
    settings = get_settings()
    url = api_url or settings.api_url
    code = generate_reading(url, body, wait=wait, token=stored_token(url), web_url=settings.web_url)
    sys.exit(code)


@app.command()
def status(
    job_id: Annotated[str, typer.Argument(help="The job id `opad generate` printed")],
    wait: Annotated[bool, typer.Option(help="Follow the job and print the article")] = False,
    api_url: ApiUrl = None,
) -> None:
    """Where a reading's job stands; with --wait, follow it and print the article."""
    from opad.client import job_status, stored_token

    url = api_url or get_settings().api_url
    sys.exit(job_status(url, job_id, wait=wait, token=stored_token(url)))


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="The article id `opad generate` printed")],
    api_url: ApiUrl = None,
) -> None:
    """Print a reading (once it is ready)."""
    from opad.client import show_article, stored_token

    url = api_url or get_settings().api_url
    sys.exit(show_article(url, article_id, token=stored_token(url)))


@app.command()
def audio(
    article_id: Annotated[str, typer.Argument(help="The article id `opad generate` printed")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the audio")],
    make: Annotated[
        bool, typer.Option(help="Ask for the audio first (older readings, or after a failure)")
    ] = False,
    timings: Annotated[
        Path | None, typer.Option(help="Also write the sentence timings (JSON) here")
    ] = None,
    api_url: ApiUrl = None,
) -> None:
    """Download a reading's audio (Opus in Ogg); --make asks a worker to make it first."""
    from opad.audio_cli import fetch_audio
    from opad.client import stored_token

    url = api_url or get_settings().api_url
    code = fetch_audio(url, article_id, output, make=make, timings=timings, token=stored_token(url))
    sys.exit(code)


@app.command()
def login(
    email: Annotated[str, typer.Option(prompt=True, help="Your account's email")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="Password")],
    api_url: ApiUrl = None,
) -> None:
    """Sign in to an OPAD API and keep a personal token for the CLI (~/.config/opad)."""
    from opad.client import login as do_login

    sys.exit(do_login(api_url or get_settings().api_url, email, password))


user_app = typer.Typer(help="Manage accounts (run on the server).", no_args_is_help=True)
app.add_typer(user_app, name="user")


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
        _fail(exc.detail)
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
            _fail(f"no user with email {email}")
            return
        for token_id in revoke or []:
            accounts.revoke_token(services, user.id, token_id)
            typer.echo(f"revoked {token_id}")
        tokens = accounts.list_tokens(services, user.id)
    except OpadError as exc:
        _fail(exc.detail)
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
app.add_typer(jobs_app, name="jobs")


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
        _fail(exc.detail)
    finally:
        services.close()
    typer.echo(f"job {job_id} queued again")


@app.command("worker-alive")
def worker_alive(
    max_age: Annotated[float, typer.Option(help="Oldest acceptable heartbeat, seconds")] = 60,
) -> None:
    """Exit 0 if this machine's worker heartbeat is recent (a container health check)."""
    from opad.queue.workers import heartbeat_age

    settings = get_settings()
    age = heartbeat_age(settings.heartbeat_path)
    if age is None or age > max_age:
        _fail(
            f"worker heartbeat {settings.heartbeat_path} is "
            f"{'missing' if age is None else f'{age:.0f} s old'}"
        )
    typer.echo(f"worker alive (heartbeat {age:.1f} s ago)")


@app.command()
def doctor() -> None:
    """Check the configuration: the active engine, whether the LLM answers, whether search works."""
    import io

    from opad.engines.crew.doctor import run_doctor

    # CrewAI's event handlers draw their error boxes from their own threads, sometimes
    # after a check has returned: the command's own lines go to the real stdout, whatever
    # else is printed until the process ends goes nowhere.
    real = sys.stdout
    sys.stdout = io.StringIO()
    sys.exit(run_doctor(get_settings(), lambda line: typer.echo(line, file=real)))


@app.command("eval")
def eval_(
    output: Annotated[str, typer.Option(help="Where to write the report")] = "docs/quality.md",
    texts: Annotated[int, typer.Option(help="Library texts per language", min=1)] = 3,
) -> None:
    """Run the no-LLM engine over the quality grid and write the report (a few minutes)."""
    from pathlib import Path

    from opad.quality.__main__ import evaluate

    evaluate(Path(output), texts, progress=lambda line: typer.echo(line, err=True))
    typer.echo(f"wrote {output}")


# --- the learner's saved words (issue 12) ---
from opad.words_cli import words_app  # noqa: E402 - grouped with its feature

app.add_typer(words_app, name="words")

# --- comprehension questions (issue 13) ---
from opad.quiz_cli import quiz  # noqa: E402 - grouped with its feature

app.command()(quiz)


def main() -> None:
    """Entry point of the `opad` script."""
    app()
