"""Reading queue messages and recognising consent notices, without Redis or a database."""

from __future__ import annotations

import json
import uuid

import pytest

from opad.engines.webpage import is_consent_text, without_title
from opad.worker.messages import BadMessage, read_message

INPUTS = {"language": "German", "level": "B1", "length": 100, "topic": "Parks"}


def message(**fields: object) -> str:
    base = {"job_id": str(uuid.uuid4()), "article_id": str(uuid.uuid4()), "inputs": INPUTS}
    return json.dumps({**base, **fields})


def test_a_valid_message_reads_with_its_inputs() -> None:
    payload, inputs = read_message(message(created_at="2026-01-01T00:00:00Z", extra=[1]))
    assert inputs.language == "German" and payload.model_extra == {"extra": [1]}


@pytest.mark.parametrize(
    ("fields", "job_id_kept", "fragments"),
    [
        ({"article_id": "not a uuid"}, True, ["article_id: must be a UUID"]),
        ({"article_id": "../../etc/passwd"}, True, ["article_id: must be a UUID"]),
        ({"article_id": "{" + str(uuid.uuid4()) + "}"}, True, ["article_id"]),
        ({"inputs": None}, True, ["inputs: Input should be a valid dictionary"]),
        ({"job_id": "j" * 37}, True, ["job_id: must be at most 36 characters"]),
        ({"job_id": "a\u0000b"}, False, ["job_id: must not contain the NUL"]),
        ({"job_id": 7}, False, ["job_id: Input should be a valid string"]),
        ({"inputs": {**INPUTS, "topic": "x\u0000"}}, True, ["invalid inputs: topic: must not"]),
        ({"inputs": {**INPUTS, "level": "Q7"}, "article_id": 5}, True, ["article_id", "level"]),
    ],
)
def test_every_problem_is_named_at_once(
    fields: dict[str, object], job_id_kept: bool, fragments: list[str]
) -> None:
    raw = message(**fields)
    with pytest.raises(BadMessage) as err:
        read_message(raw)
    for fragment in fragments:
        assert fragment in str(err.value)
    assert (err.value.job_id == json.loads(raw)["job_id"]) is job_id_kept


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", "[" * 100_000])
def test_what_is_not_a_json_object_has_no_job(raw: str) -> None:
    with pytest.raises(BadMessage, match="malformed job payload") as err:
        read_message(raw)
    assert err.value.job_id is None


@pytest.mark.parametrize(
    "text",
    [
        "We use cookies to improve your experience. By clicking Accept all you agree.",
        "Wir verwenden Cookies. Mit Klick auf Akzeptieren stimmen Sie zu.",
        "Nous et nos partenaires utilisons des cookies. Accepter et fermer.",
        "Utilizamos cookies propias y de terceros. Acepta nuestra política de privacidad.",
        "Мы используем файлы cookie. Продолжая, вы соглашаетесь с политикой.",
        "We and our partners process personal data for advertising. Do you consent?",
    ],
)
def test_consent_notices_in_several_languages(text: str) -> None:
    assert is_consent_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt pflanzt in diesem Jahr zweitausend neue Bäume.",
        "The council agreed to accept the new budget for the parks.",
        "Grandma's cookies are famous in the whole village.",
        "x " * 1000 + "We use cookies. Accept all.",  # longer than any notice
    ],
)
def test_reading_matter_is_not_a_consent_notice(text: str) -> None:
    assert not is_consent_text(text)


def test_a_title_repeated_as_the_first_paragraph_is_dropped() -> None:
    assert without_title(["Grüne Städte!", "Text."], "grüne städte") == ["Text."]
    assert without_title(["Grüne Städte für alle", "Text."], "Grüne Städte") == [
        "Grüne Städte für alle",
        "Text.",
    ]
