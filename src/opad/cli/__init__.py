"""The `opad` command: services, migrations, the embedded stack, and a client."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from opad.cli.admin import fail as _fail
from opad.cli.admin import jobs_app, user_app
from opad.cli.reading import COMMANDS as READING_COMMANDS
from opad.settings import Settings, get_settings

app = typer.Typer(
    help=(
        "OPAD: current news or your own text at your CEFR level. The leveler (default) keeps "
        "and orders the source's own sentences for your level; it does not rewrite. The crew "
        "engine rewrites with an LLM."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    processes: Annotated[
        int | None,
        typer.Option(
            envvar="OPAD_API_PROCESSES",
            help="Processes sharing the port (default 1; one per core uses the machine)",
            min=1,
            max=64,
        ),
    ] = None,
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
    count = processes or settings.api_processes
    if count > 1:
        # uvicorn's supervisor binds the port once and starts `count` processes (spawned:
        # each imports the app and builds its own services in the lifespan); it restarts
        # one that dies and stops them all on SIGTERM or Ctrl-C.
        services.close()
        uvicorn.run(
            "opad.api.app:app_from_environment",
            factory=True,
            workers=count,
            host=host or settings.api_host,
            port=port or settings.api_port,
            log_level=settings.log_level.lower(),
            log_config=uvicorn_log_config(settings.log_format),
            access_log=settings.log_level.upper() == "DEBUG",
            proxy_headers=False,
            ws="none",
        )
        return
    uvicorn.run(
        create_app(settings, services),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level=settings.log_level.lower(),
        log_config=uvicorn_log_config(settings.log_format),
        access_log=settings.log_level.upper() == "DEBUG",
        proxy_headers=False,  # the app's own middleware, with OPAD_TRUSTED_PROXIES
        ws="none",  # no WebSocket routes: the `websockets` library stays unloaded
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
        _exit_now(run_group(count, concurrency, settings.worker_restarts_per_minute))
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
        ws="none",  # no WebSocket routes (live progress is SSE): `websockets` stays unloaded
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
    from opad.cli.up import run_stack

    _exit_now(run_stack(get_settings()))


# The reader's client of the API (opad.cli.reading), listed in `opad --help` after `up`.
for _command in READING_COMMANDS:
    app.command()(_command)

app.add_typer(user_app, name="user")
app.add_typer(jobs_app, name="jobs")


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
    """Check the setup (engine, LLM, news, Redis) and that the API and a worker are running."""
    import io

    from opad.cli.doctor import run as run_doctor

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

    from opad.quality.__main__ import evaluate

    evaluate(Path(output), texts, progress=lambda line: typer.echo(line, err=True))
    typer.echo(f"wrote {output}")


# --- the learner's saved words (issue 12) ---
from opad.cli.words import words_app  # noqa: E402 - grouped with its feature

app.add_typer(words_app, name="words")

# --- dictionaries for word meanings (issue 26) ---
from opad.cli.dictionaries import dictionaries_app  # noqa: E402 - grouped with its feature

app.add_typer(dictionaries_app, name="dictionaries")

# --- comprehension questions (issue 13) ---
from opad.cli.quiz import quiz  # noqa: E402 - grouped with its feature

app.command()(quiz)

# --- one paragraph a day (issue 31) ---
from opad.cli.daily import daily_app  # noqa: E402 - grouped with its feature
from opad.cli.daily import today as today_command  # noqa: E402

app.add_typer(daily_app, name="daily")
app.command("today")(today_command)


def main() -> None:
    """Entry point of the `opad` script."""
    app()
