"""OPAD: news and your own texts as readings at your CEFR level (the leveler keeps and
orders the source's own sentences; the crew engine rewrites with an LLM)."""

import sys

# httpx imports its own command line (`httpx.main`: rich and pygments, ~4 MB resident)
# whenever those are installed, and they are (typer and OPAD's client commands use rich).
# No OPAD process runs httpx's command line, while the web, an API asking an LLM and every
# worker process import httpx itself. A None here makes that one import fail the way
# httpx expects when its `cli` extra is absent: httpx then defines a `main` that says so.
# setdefault: a process that imported httpx before OPAD keeps what it has.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
