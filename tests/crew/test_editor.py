"""The editor's checks on a rewrite (engines/crew/editor.py), on plain strings."""

from __future__ import annotations

import pytest

from opad.engines.crew.editor import WrongLanguage, review, settle

ENGLISH = (
    "People in the town talk about the new park every day. The council published a plan "
    "for the streets near the river."
)
ITALIAN = (
    "In città la gente parla ogni giorno del nuovo parco. Il consiglio comunale ha "
    "pubblicato un progetto per le strade vicino al fiume."
)
PROMPT = (
    "Rewrite the article below in Italian. Keep every fact; leave out details rather "
    "than invent any. Give the reading a short title in Italian."
)
SOURCE = "The council of Ostia published a plan for 3 streets near the river and a new park."


def test_a_clean_rewrite_passes() -> None:
    found = review("it", "Italian", "Il nuovo parco", ITALIAN, PROMPT, SOURCE, "parks")
    assert found.fine, found


def test_each_finding_is_named_in_the_rewrite_request() -> None:
    echoed = "Keep every fact; leave out details rather than invent any."
    body = f"{echoed} {ITALIAN}\n\n{ENGLISH}\n\nIl sindaco Rossi ha detto che costa 1200 euro."
    found = review("it", "Italian", "The new park today", body, PROMPT, SOURCE, "parks")
    assert found.wrong_language == {1: "en"}
    assert found.echoed == [echoed]
    assert found.title_language == "en"
    assert "Rossi" in found.unknown_names and found.unknown_numbers == ["1200"]
    asks = " ".join(found.requests("Italian"))
    assert "1 paragraph(s) are written in English" in asks
    assert "The text repeats your instructions" in asks and "Rossi" in asks
    title, text, notices = settle(found, "Italian", "The new park today", body, "Il parco")
    assert title == "Il parco" and ENGLISH not in text and echoed not in text
    assert ITALIAN in text and len(notices) == 4


def test_nothing_left_in_the_language_asked_is_a_failure() -> None:
    found = review("it", "Italian", "Parks", ENGLISH, PROMPT, SOURCE, "parks")
    with pytest.raises(WrongLanguage, match="wrote in English instead of Italian"):
        settle(found, "Italian", "Parks", ENGLISH, "")
