"""A job's life in one folder.

- `records`: the job's database row: `create_job`, the one `transition`, its status.
- `outcomes`: what a run came to and the pure rule (`decide`) for what happens next.

The job and article states themselves (the enums, the terminal set, the allowed
transitions) are in `opad/states.py`, below the database and the queue, which both use
them; the live status document (`LiveStatus`, Redis's `opad:job:{id}`) is the queue's
(`queue/status.py`). This package sits above the database and the engines (`records`
writes the job's row; `outcomes` reads an engine's result).

Where the rest of a job's life is carried out: services/jobs.py (read, cancel, the
operator's retry), services/outbox.py (jobs recorded `queued` whose message is missing
from Redis), worker/handler.py (one claimed message, start to end).
"""
