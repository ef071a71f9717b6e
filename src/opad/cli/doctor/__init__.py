"""`opad doctor`: is this OPAD set up, and is it running? One line per check, one verdict.

The checks come in three parts, printed in this order:

1. **setup** — the engine and what it needs (the LLM and the news search for the crew, the
   news for the leveler with OPAD_NEWS=on) and Redis: `opad.engines.crew.doctor`;
2. **running** — the API answers at OPAD_API_URL with its dependencies, and at least one
   worker holds a live lease: `opad.cli.doctor.running`;
3. **the learner's side** — dictionaries and voices per language: the functions listed in
   `opad.cli.doctor.learner.LEARNER_CHECKS` (each room adds its own there).

The verdict is "ready" only when the setup works *and* OPAD is running; a learner's-side
check counts for the verdict only when it says so (`Check.required`).
"""

from __future__ import annotations

from collections.abc import Callable

from opad.cli.doctor.checks import Check
from opad.settings import Settings

__all__ = ["Check", "run"]


def run(settings: Settings, echo: Callable[[str], None]) -> int:
    """Print every check and the verdict; returns the exit code (0: ready)."""
    from opad.cli.doctor.learner import LEARNER_CHECKS
    from opad.cli.doctor.running import check_api, check_workers
    from opad.engines.crew.doctor import run_doctor as setup_checks

    lines: list[str] = []
    setup_code = setup_checks(settings, lines.append)
    setup_verdict = next((line for line in lines if line.startswith("verdict: ")), "") or (
        f"verdict: ready — the {settings.engine} engine can make readings"
        if not setup_code
        else "verdict: NOT ready — the setup failed (see above); fix it, then run opad doctor again"
    )
    for line in lines:
        if not line.startswith("verdict: "):
            echo(line)

    api = check_api(settings)
    running = [api, check_workers(settings, api)]
    learner = [check for found in LEARNER_CHECKS for check in found(settings)]
    for check in running + learner:
        echo(check.line())

    if setup_code:
        echo(setup_verdict)
        return 1
    down = [c for c in running if not c.ok]
    if down:
        what = " and ".join({"api": "the API", "worker": "a worker"}[c.name] for c in down)
        reason = setup_verdict.removeprefix("verdict: ready — ")
        echo(
            f"verdict: NOT running — the setup is ready ({reason}), but {what} "
            f"{'is' if len(down) == 1 else 'are'} not running: start OPAD with `make run` "
            "(or `opad up`), then run opad doctor again"
        )
        return 1
    missing = [c for c in learner if c.required and not c.ok]
    if missing:
        names = ", ".join(c.name for c in missing)
        echo(f"verdict: NOT ready — {names} (see above); fix it, then run opad doctor again")
        return 1
    echo(setup_verdict)
    return 0
