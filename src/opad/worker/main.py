"""`opad worker`: build the services and the engine, then run the worker."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable

from opad.bootstrap import build_services
from opad.db.migrate import SchemaOutOfDate, ensure_current
from opad.engines import build_engine
from opad.logs import configure
from opad.metrics import serve_worker_metrics
from opad.settings import Settings
from opad.worker.memory import replace_process
from opad.worker.runner import CLAIM_TIMEOUT, Worker
from opad.worker.scratch import use_own_scratch
from opad.worker.warm import freeze_start_up, prepare, warm_codes


def run_worker(settings: Settings, concurrency: int | None = None) -> None:
    """Run until stopped by a signal; exit 1 with a message on a bad start."""
    configure(settings.log_level, settings.log_format)
    services = build_services(settings, block_timeout=CLAIM_TIMEOUT)
    try:
        ensure_current(services.db.engine)
    except SchemaOutOfDate as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        sys.exit(1)
    try:
        languages = warm_codes(settings.worker_warm)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    engine = build_engine(settings)
    # Before the first claim: a job never waits for word data (opad/worker/warm.py).
    prepare(languages, settings.dictionary_folders, engine)
    serving: list[Callable[[], None]] = []
    if settings.worker_metrics_port:
        host, port = settings.worker_metrics_host, settings.worker_metrics_port
        try:
            serving.append(serve_worker_metrics(host, port))
        except OSError as exc:
            # Asked for metrics and cannot serve them: say so now, not on a silent dashboard.
            print(f"error: cannot serve metrics on {host}:{port}: {exc}", file=sys.stderr)
            sys.exit(1)

    def stop_metrics() -> None:  # once: at a drain's start (the port is the fresh one's)
        while serving:
            serving.pop()()

    worker = Worker(services, engine, settings, concurrency=concurrency, warmed=languages,
                    on_drain=stop_metrics)  # fmt: skip
    if languages:  # the job path's first statements too, not only the word data
        worker.processor.prepare_statements()
    scratch = use_own_scratch(settings.data_path, worker.id)
    freeze_start_up()  # else the first jobs pay a full collection of all of the above
    try:
        worker.run()
    finally:
        services.close()
        stop_metrics()
    if worker.should_restart:
        # The same pid starts afresh: the sweep at start keeps its own pid's folders.
        shutil.rmtree(scratch, ignore_errors=True)
        replace_process(lambda: worker.stop_requested)
