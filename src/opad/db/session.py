"""Engine and session factory; the session is the unit of work."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, Executable, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from opad.settings import Settings


def make_engine(settings: Settings) -> Engine:
    """A pooled engine for DATABASE_URL (or the embedded SQLite file)."""
    url = settings.effective_database_url
    # A server may drop pooled connections (restart, idle timeout): `_ping_when_idle` checks
    # those that waited in the pool, not every checkout (SQLAlchemy's pool_pre_ping was a
    # round trip per unit of work). An SQLite file has no server.
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        settings.data_path.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 15, "check_same_thread": False}
    elif url.startswith("postgresql"):
        # Fail fast when PostgreSQL is down: the API must answer 503 within ~2 s.
        kwargs["connect_args"] = {"connect_timeout": max(1, int(settings.db_timeout_seconds))}
        kwargs["pool_timeout"] = settings.db_timeout_seconds
        kwargs["pool_size"] = settings.db_pool_size
        kwargs["max_overflow"] = settings.db_max_overflow
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        _ping_when_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


# A connection used this recently is taken as alive: if the server went away meanwhile,
# the statement fails (a 503, or the worker's retry), SQLAlchemy invalidates the pool's
# older connections, and the next units of work get fresh ones.
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: Engine, after: float) -> None:
    """Ping a pooled connection at checkout when it sat unused for `after` seconds or more
    (SQLAlchemy's own ping, `dialect.do_ping`); a dead one is replaced by a new one
    (DisconnectionError makes the pool retry the checkout)."""

    def checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < after:
            return  # just connected, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError(f"pooled connection lost while idle: {exc}") from exc

    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checked_out)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the API read while a worker writes; foreign keys make deletes cascade.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()


class Database:
    """Owns the engine; hands out sessions that commit on success and roll back on error."""

    def __init__(self, settings: Settings) -> None:
        self.engine = make_engine(settings)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time, and its busy handler makes waiting writers sleep
        # (up to 100 ms a try): under concurrent requests that collapses throughput. One
        # unit of work at a time per process instead; PostgreSQL needs no such thing.
        # (Across processes the busy handler still decides; a shared flock was tried and
        # was not faster: docs/benchmarks.md §3.)
        self._turn: AbstractContextManager[Any] = (
            threading.RLock() if self.engine.dialect.name == "sqlite" else nullcontext()
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work."""
        with self._turn, self._factory() as session, session.begin():
            yield session

    @property
    def one_statement_commits(self) -> bool:
        """Whether `run_one` commits with the statement itself (PostgreSQL: autocommit, one
        round trip) rather than in a transaction of its own (SQLite: in-process, no round
        trips to save)."""
        return self.engine.dialect.name == "postgresql"

    def run_one(self, *steps: tuple[Executable, dict[str, Any]]) -> None:
        """Execute Core (statement, parameters) steps as one unit of work, without an ORM
        session.

        PostgreSQL: give ONE step (data-modifying CTEs make several rows one statement);
        it runs in autocommit mode, so BEGIN, the statement and COMMIT are one round trip
        instead of three, and a single statement is atomic by itself. SQLite: the steps
        run in one transaction, taking the turn like `session()`. Errors pass through
        (nothing is written then).
        """
        if self.one_statement_commits:
            if len(steps) != 1:
                raise ValueError("run_one on PostgreSQL takes one statement")
            with self.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(*steps[0])
            return
        with self._turn, self.engine.begin() as conn:
            for statement, params in steps:
                conn.execute(statement, params)

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()
