"""OPAD: news and your own texts as readings at your CEFR level (the leveler keeps and
orders the source's own sentences; the crew engine rewrites with an LLM)."""

import sys

# Two optional imports of our dependencies that no OPAD process uses, refused here so
# that each process (the API, the web, every worker) does not carry them. A None in
# sys.modules makes `import name` raise ImportError, which both libraries catch, doing
# then what they do when the module is not installed (docs/benchmarks.md, idle RSS).
# setdefault: a process that imported one before OPAD keeps it.
# - httpx._main: httpx's own command line (`httpx.main`: click, rich, pygments; ~4 MB
#   resident), imported by `import httpx` whenever rich is installed, as it is for typer
#   and OPAD's client commands. httpx then defines a `main` that says its extra is missing.
# - pydantic.v1: FastAPI imports it while declaring routes only to ask whether a model is
#   a pydantic v1 one (~1.5 MB), which it no longer supports anyway; OPAD has none.
for _refused in ("httpx._main", "pydantic.v1"):
    sys.modules.setdefault(_refused, None)  # type: ignore[arg-type]
del _refused
