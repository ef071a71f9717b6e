"""`opad worker`: build the services and the engine, then run the worker."""

from __future__ import annotations

import sys

from opad.bootstrap import build_services
from opad.db.migrate import SchemaOutOfDate, ensure_current
from opad.engines import build_engine
from opad.logs import configure
from opad.settings import Settings
from opad.worker.runner import CLAIM_TIMEOUT, Worker


def run_worker(settings: Settings, concurrency: int | None = None) -> None:
    """Run until stopped by a signal; exit 1 with a message on a bad start."""
    configure(settings.log_level)
    services = build_services(settings, block_timeout=CLAIM_TIMEOUT)
    try:
        ensure_current(services.db.engine)
    except SchemaOutOfDate as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        sys.exit(1)
    engine = build_engine(settings)
    try:
        Worker(services, engine, settings, concurrency=concurrency).run()
    finally:
        services.close()
