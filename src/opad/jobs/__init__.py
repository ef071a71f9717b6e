"""A job's life in one folder.

- `states`: the job and article states, the terminal set, the allowed transitions.
- `status`: the live status document (`LiveStatus`): Redis, the API, the web and the CLI.
- `records`: the job's database row: `create_job`, the one `transition`, its status.
- `outcomes`: what a run came to and the pure rule (`decide`) for what happens next.

Where the rest of a job's life is carried out: services/jobs.py (read, cancel, the
operator's retry), services/outbox.py (jobs recorded `queued` whose message is missing
from Redis), worker/handler.py (one claimed message, start to end).

This package's `__init__` imports only `states` (no database, no Redis; `records` is
imported by name where it is needed), so the lowest layers (queue/, the web's
templates) can read the states from it.
"""

from opad.jobs.states import (
    ARTICLE_STATUS_FOR_JOB,
    LIVE,
    OPERATOR_RETRY,
    TERMINAL,
    ArticleStatus,
    JobStatus,
    can_transition,
    sources_of,
)

__all__ = [
    "ARTICLE_STATUS_FOR_JOB",
    "LIVE",
    "OPERATOR_RETRY",
    "TERMINAL",
    "ArticleStatus",
    "JobStatus",
    "can_transition",
    "sources_of",
]
