"""The writer's streamed JSON → the growing reading a job page shows."""

from __future__ import annotations

import json

from opad.engines.crew.reading import THROTTLE_SECONDS, GrowingReading, body_so_far, plain_text

ANSWER = json.dumps(
    {
        "title": "Parks. Today",
        "body": 'The park is "new".\n\nIt has a café — and trees \\ \U0001f333 too. The end.',
    }
)


def test_the_body_decodes_at_every_cut_of_the_stream() -> None:
    whole = json.loads(ANSWER)["body"]
    seen = [body_so_far(ANSWER[:cut]) for cut in range(len(ANSWER) + 1)]
    assert seen[0] is None and seen[ANSWER.index('"body"')] is None
    texts = [s for s in seen if s is not None]
    # Every cut gives a prefix of the body (never a broken escape), growing to the whole.
    assert all(whole.startswith(t) for t in texts)
    assert texts[-1] == whole
    assert [len(t) for t in texts] == sorted(len(t) for t in texts)


def test_a_key_named_body_inside_the_title_is_not_the_body() -> None:
    raw = json.dumps({"title": 'The "body": "x" trick', "body": "Real text."})
    assert body_so_far(raw) == "Real text."


def test_plain_text_drops_markdown_markers_and_keeps_paragraphs() -> None:
    assert plain_text("## Head\n\nA **bold** and *soft* word.\n\n- item") == (
        "Head\n\nA bold and soft word.\n\nitem"
    )
    # Markup is not removed as a safety measure (the page only sets textContent): it stays text.
    assert plain_text("<b>x</b>") == "<b>x</b>"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_sends_at_each_sentence_or_after_the_throttle() -> None:
    sent: list[str] = []
    clock = Clock()
    reading = GrowingReading(sent.append, clock)
    pieces = [ANSWER[i : i + 4] for i in range(0, len(ANSWER), 4)]
    for piece in pieces:
        clock.now += 0.01  # 100 chunks a second: far faster than the throttle
        reading.feed("call-1", piece)
    reading.flush()
    whole = json.loads(ANSWER)["body"]
    assert sent[-1] == plain_text(whole)
    # The first send comes with the body's first words; after that one per sentence or
    # per 250 ms, never twice the same text.
    assert sent[0] and len(sent) < len(pieces) / 3
    assert len(set(sent)) == len(sent)
    # The first sentence is sent once it ended (at the latest with the next chunk).
    first = 'The park is "new".'
    assert any(s.startswith(first) and len(s) <= len(first) + 4 for s in sent)
    assert THROTTLE_SECONDS == 0.25


def test_a_new_completion_starts_the_text_again_and_a_failing_sink_is_left_alone() -> None:
    sent: list[str] = []
    reading = GrowingReading(sent.append, Clock())
    reading.feed("first", '{"title": "T", "body": "Too short. ')
    reading.feed("second", '{"title": "T", "body": "Longer now. ')
    assert sent == ["Too short.", "Longer now."]

    calls: list[str] = []

    def broken(text: str) -> None:
        calls.append(text)
        raise ConnectionError("redis down")

    failing = GrowingReading(broken, Clock())
    failing.feed("c", '{"body": "One. ')
    failing.feed("c", "Two. ")
    assert calls == ["One."] and failing.failed
