"""A job's life in one folder.

- `status`: the live status document (`LiveStatus`): Redis, the API, the web and the CLI.
- `records`: the job's database row: `create_job`, the one `transition`, its status.
- `outcomes`: what a run came to and the pure rule (`decide`) for what happens next.

The job and article states themselves (the enums, the terminal set, the allowed
transitions) are in `opad/states.py`, below the database and the queue, which both use
them; this package sits above the database (`records` writes the job's row).

Where the rest of a job's life is carried out: services/jobs.py (read, cancel, the
operator's retry), services/outbox.py (jobs recorded `queued` whose message is missing
from Redis), worker/handler.py (one claimed message, start to end).
"""
