"""Protocol fuzz: random messages pushed onto opad:jobs of real API + worker processes.

Whatever arrives, every message with a usable job_id ends in exactly one terminal status
(counted on the job's events channel), every message that cannot run is dead-lettered
once, and afterwards nothing is queued, delayed or held: no message loops.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.queue_stack import TERMINAL, QueueStack
from tests.processes import wait_until

MISSING = object()
_counter = iter(range(10**9))

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
odd_text = st.text(max_size=30) | st.sampled_from(["", "  ", "a\u0000b", "\ud800", "x" * 300])
inputs = st.fixed_dictionaries(
    {
        "language": st.sampled_from(["German", "de", "english", "Klingon", "Ger\u0000man"])
        | json_leaf,
        "level": st.sampled_from(["B1", "a2", "Q7", "C2 "]) | json_leaf,
        "length": st.integers(-10, 3000) | st.sampled_from(["100", "abc", 10.5, True]),
    },
    optional={
        "topic": odd_text | json_leaf,
        "source_text": odd_text,
        "extra": json_value,
    },
)
messages = st.fixed_dictionaries(
    {},
    optional={
        "job_id": st.sampled_from(["uuid", "text", "long", "nul", "empty"]) | json_leaf,
        "article_id": st.sampled_from(["uuid", "uuid", "not a uuid", "../../etc/passwd"])
        | json_leaf,
        "inputs": inputs | json_value,
        "created_at": st.sampled_from(["2026-11-27T10:00:00Z", "9999-12-31T23:59:59-05:00"])
        | json_leaf,
        "user_id": json_leaf,
    },
)


def _job_id(kind: Any) -> Any:
    """Unique ids of each kind, so examples (and Hypothesis' replays) never share a job."""
    n = next(_counter)
    if not isinstance(kind, str):
        return kind
    named = {
        "uuid": str(uuid.uuid4()),
        "long": f"{n:040d}",
        "nul": f"job\u0000{n}",
        "empty": "",
    }
    return named.get(kind, f"{kind}-{n}")


def _usable(job_id: Any) -> bool:
    if not isinstance(job_id, str) or not job_id.strip() or "\x00" in job_id:
        return False
    try:
        job_id.encode()
    except UnicodeEncodeError:
        return False
    return True


class Terminals:
    """Counts terminal status writes per job, from every job's events channel."""

    def __init__(self, qs: QueueStack) -> None:
        self.counts: Counter[str] = Counter()
        self.pubsub = qs.redis.pubsub()
        self.pubsub.psubscribe("opad:job:*:events")
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.running = True
        self.thread.start()

    def _listen(self) -> None:
        while self.running:
            message = self.pubsub.get_message(timeout=0.2)
            if message and message["type"] == "pmessage":
                status = json.loads(message["data"])
                if status.get("status") in TERMINAL:
                    self.counts[status["id"]] += 1

    def close(self) -> None:
        self.running = False
        self.thread.join(5)
        self.pubsub.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[QueueStack, Terminals]]:
    pg_url = request.getfixturevalue("pg_url") if request.param == "postgresql" else ""
    qs = QueueStack(tmp_path_factory.mktemp(f"fuzz-{request.param}"), request.param, pg_url, "0")
    terminals = Terminals(qs)
    time.sleep(0.5)  # the subscription is live before the first push
    yield qs, terminals
    terminals.close()
    qs.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(message=messages, raw_text=st.none() | st.text(max_size=40))
def test_every_message_ends_once(
    fuzz: tuple[QueueStack, Terminals], message: dict[str, Any], raw_text: str | None
) -> None:
    qs, terminals = fuzz
    if "job_id" in message:
        message["job_id"] = _job_id(message["job_id"])
    if message.get("article_id") == "uuid":
        message["article_id"] = str(uuid.uuid4())
    raw: Any = raw_text if raw_text is not None and not message else json.dumps(message)
    job_id = message.get("job_id")

    def dead_copies() -> int:
        # The same id-less message may come up in several examples: count this one's.
        return sum(e["payload"] == raw for e in qs.dead())

    before = dead_copies()
    qs.push(raw)
    if _usable(job_id):
        wait_until(lambda: terminals.counts[job_id] >= 1, 30, f"a terminal status for {raw!r}")
    else:
        wait_until(lambda: dead_copies() > before, 30, f"a dead letter for {raw!r}")
    wait_until(qs.idle, 10, "the queue to be idle")
    time.sleep(0.3)  # a looping message would be back on the queue or rewritten by now
    assert qs.idle(), raw
    if _usable(job_id):
        assert terminals.counts[job_id] == 1, raw
        status = qs.status(job_id) or {}
        assert status.get("status") in TERMINAL
        dead = qs.dead_for(job_id)
        assert len(dead) == (0 if status["status"] == "succeeded" else 1), (raw, dead)
    else:
        assert dead_copies() == before + 1, raw
