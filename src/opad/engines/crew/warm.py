"""A language's word data loaded by one job thread while the others wait."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_loaded: set[tuple[str, str]] = set()
_loading = threading.Lock()


@contextmanager
def language_data(language: str, use: str) -> Iterator[None]:
    """Run a job's first use of a language's word data in one thread at a time.

    The data (wordfreq, simplemma, cefrpy, pysbd) loads lazily per process; when a
    worker's first jobs in a language all finish at once, each thread would load its own
    copy: 25 cold job threads peaked at ~800 MB RSS, against ~150 MB when one loads and
    the others wait. Once a job got through `use` (a name for the code inside), later
    ones run it without the lock.
    """
    if (language, use) in _loaded:
        yield
        return
    with _loading:
        yield
        _loaded.add((language, use))
