"""The library's "known words" filter and column, against the fake API."""

from __future__ import annotations

import httpx

from .fake_api import FakeApi


def test_the_known_words_filter_is_kept_and_a_bad_one_explained(
    client: httpx.Client, fake: FakeApi
) -> None:
    fake.add_article(title="Some reading")
    html = client.get("/library", params={"known_min": "80"}).text
    assert '<option value="80" selected>at least 80%</option>' in html
    assert "Some reading" in html
    for bad in ("lots", "180"):
        html = client.get("/library", params={"known_min": bad}).text
        assert "is not a share of known words (0 to 100%)" in html and "Some reading" in html
        assert "selected>at least" not in html
    # An API without the figure (an older one): the list still renders, without a share.
    assert "% known" not in client.get("/library").text
