"""The API's input errors retold in learner terms for the web and the CLI."""

from __future__ import annotations

from opad.wording import WEB, Terms, for_learner

CLI = Terms(topic="--topic", text="--source-file", url="--source-url", languages="it can level X")


def test_topic_required_names_the_interfaces_controls() -> None:
    message = "is required unless source_text or source_url is given"
    assert for_learner("topic", message, WEB) == (
        "Give a topic, or paste a text or give the address of a page to adapt."
    )
    assert for_learner("topic", message, CLI) == (
        "Give --topic, or --source-file or --source-url to adapt."
    )


def test_unsupported_language_points_to_the_list_not_the_endpoint() -> None:
    message = "unsupported language 'Klingon'; GET /languages lists the supported ones"
    assert for_learner("language", message, WEB) == (
        "OPAD cannot level 'Klingon': pick one from the list."
    )
    assert "GET /languages" not in for_learner("language", message, CLI)


def test_other_messages_pass_unchanged() -> None:
    for field, message in [
        ("level", "must be a CEFR level: A1, A2, B1, B2, C1 or C2"),
        ("length", "must be between 50 and 2000 words"),
        ("topic", "must be at most 200 characters"),
    ]:
        assert for_learner(field, message, WEB) == message
