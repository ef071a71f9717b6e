"""The Range header of GET /articles/{id}/audio (RFC 9110 §14): one range served, the rest
answered whole, a start past the end refused."""

from __future__ import annotations

import pytest

from opad.api.routes.audio import MAX_CHUNK, parse_range

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=990-2000", (990, 999)),  # past the end: cut to the last byte
        ("bytes=-50", (950, 999)),  # the last 50 bytes
        ("bytes=-5000", (0, 999)),  # more than there is: all of it
        ("bytes=500-", (500, 999)),
        ("bytes=1000-", "unsatisfiable"),
        ("bytes=-0", "unsatisfiable"),
        ("bytes=5-1", None),  # invalid: ignored, the whole file
        ("bytes=0-1,5-9", None),  # several ranges: the whole file, as a server may
        ("items=0-1", None),
        ("bytes=-", None),
        ("bytes = 0 - 9", (0, 9)),
    ],
)
def test_one_range(header: str | None, expected: object) -> None:
    assert parse_range(header, SIZE) == expected


def test_open_ended_range_is_capped() -> None:
    size = 5 * MAX_CHUNK
    assert parse_range("bytes=0-", size) == (0, MAX_CHUNK - 1)
