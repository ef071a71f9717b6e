"""A lookup that names where the word was clicked (the reading and the sentence's number)
answers from the worker's stored analysis: the same level, frequency, scale and reading as
computing them in the API, and only for the caller's own readings (issue 32: the API's
first lookup in a language loaded its word data and analyzer, seconds and hundreds of MB).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.engines.leveler import LevelerEngine
from opad.inputs import ArticleCreate
from opad.reading.model import TokenKind
from opad.services.accounts import create_user
from opad.services.articles import create_and_enqueue
from opad.services.readings import typed_body
from opad.users import SYSTEM_USER_ID
from opad.worker.runner import Worker
from tests.processes import ServerThread, wait_until

PASSWORD = "correct horse battery"
TEXTS = {
    "German": "Die Kinder haben am Brunnen gespielt. Am Abend tranken alle Tee im Garten.",
    "Spanish": "Los niños jugaban en el parque. Después comieron pan con queso.",
    "Japanese": "昨日、図書館に行きました。子どもたちは公園で遊んでいました。",
    "Chinese": "我昨天去了图书馆。孩子们在公园里玩。",
    "Korean": "어제 시장에 갔어요. 아이들이 공원에서 놀았어요.",
}
FACTS = ("lemma", "level", "zipf", "frequency_band", "scale", "reading")


def _readings(services: Services, owner: str) -> dict[str, str]:
    """One reading per language, made by a worker (the leveler): language → article id."""
    worker = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    worker.start()
    try:
        made = {
            language: create_and_enqueue(
                services,
                ArticleCreate(language=language, level="B1", length=60, source_text=text),
                owner,
            )  # fmt: skip
            for language, text in TEXTS.items()
        }

        def done() -> bool:
            states = [(services.queue.read_status(a["job_id"]) or {}).get("status")
                      for a in made.values()]  # fmt: skip
            assert "failed" not in states, states
            return all(s == "succeeded" for s in states)

        wait_until(done, 240, "the readings to be made")
    finally:
        worker.stop()
    return {language: accepted["article_id"] for language, accepted in made.items()}


@pytest.fixture
def clients(services: Services) -> Iterator[tuple[httpx.Client, httpx.Client, dict[str, str]]]:
    users = [create_user(services, f"{who}@example.org", PASSWORD) for who in ("a", "b")]
    articles = _readings(services, users[0].id)
    with ServerThread(create_app(services.settings, services)) as server:
        made = []
        for who in ("a", "b"):
            body = {"email": f"{who}@example.org", "password": PASSWORD}
            token = httpx.post(f"{server.url}/auth/login", json=body).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            made.append(httpx.Client(base_url=server.url, headers=headers, timeout=60))
        try:
            yield made[0], made[1], articles
        finally:
            for client in made:
                client.close()


def test_the_stored_analysis_answers_as_the_computation_does(
    services: Services, clients: tuple[httpx.Client, httpx.Client, dict[str, str]]
) -> None:
    mine, _, articles = clients
    compared = 0
    for language, article in articles.items():
        body = typed_body(services, article)
        assert body is not None
        for sentence in (s for p in body.paragraphs for s in p.sentences):
            for token in sentence.tokens:
                if not token.is_word or token.kind == TokenKind.PUNCTUATION:
                    continue
                # What the reader sends; with, then without, where the word was clicked.
                asked = {"language": language, "word": token.surface, "sentence": sentence.text,
                         "lemma": token.lemma or token.surface, "pos": token.pos}  # fmt: skip
                where = {"article_id": article, "sentence_index": sentence.index}
                stored = mine.get("/lookup", params={**asked, **where})
                computed = mine.get("/lookup", params=asked)
                assert stored.status_code == computed.status_code == 200, stored.text
                a, b = stored.json(), computed.json()
                assert {k: a[k] for k in FACTS} == {k: b[k] for k in FACTS}, (language, token)
                assert token.zipf is not None and a["zipf"] == token.zipf
                compared += 1
    assert compared >= 30, compared


def test_only_the_callers_own_reading_is_read(
    clients: tuple[httpx.Client, httpx.Client, dict[str, str]],
) -> None:
    mine, theirs, articles = clients
    params = {"language": "German", "word": "Kinder", "lemma": "Kind",
              "article_id": articles["German"], "sentence_index": 0}  # fmt: skip
    assert mine.get("/lookup", params=params).json()["level"] == "A1"
    refused = theirs.get("/lookup", params=params)
    assert refused.status_code == 404, refused.text
    assert [f["field"] for f in refused.json()["fields"]] == ["article_id"]
    unknown = {**params, "article_id": "00000000-0000-4000-8000-000000000000"}
    assert mine.get("/lookup", params=unknown).status_code == 404
    # A word that sentence does not have (a stale page) is computed, not refused.
    elsewhere = {**params, "word": "Garten", "lemma": "Garten", "sentence_index": 0}
    found = mine.get("/lookup", params=elsewhere)
    assert found.status_code == 200 and found.json()["lemma"] == "Garten"
    bad = mine.get("/lookup", params={**params, "sentence_index": -1})
    assert bad.status_code == 422 and "sentence_index" in bad.text
    # Half a location is refused, naming the half that is missing.
    for missing in ("article_id", "sentence_index"):
        half = mine.get("/lookup", params={k: v for k, v in params.items() if k != missing})
        assert half.status_code == 422, half.text
        assert [f["field"] for f in half.json()["fields"]] == [missing]


def test_a_location_in_another_language_or_lemma_is_not_used(
    clients: tuple[httpx.Client, httpx.Client, dict[str, str]],
) -> None:
    mine, _, articles = clients
    # "Kinder" asked as a Dutch word, pointing at the German reading: Dutch facts.
    asked = {"language": "Dutch", "word": "Kinder", "lemma": "Kinder"}
    dutch = mine.get("/lookup", params=asked).json()
    where = {"article_id": articles["German"], "sentence_index": 0}
    pointed = mine.get("/lookup", params={**asked, **where}).json()
    assert {k: pointed[k] for k in FACTS} == {k: dutch[k] for k in FACTS}
    # A lemma the sentence's word does not have: that lemma's facts, not the token's.
    other = {"language": "German", "word": "Kinder", "lemma": "Kinderei"}
    computed = mine.get("/lookup", params=other).json()
    stored = mine.get("/lookup", params={**other, **where}).json()
    assert {k: stored[k] for k in FACTS} == {k: computed[k] for k in FACTS}


def test_without_sign_in_every_reading_is_the_learners(services: Services) -> None:
    # A reading pushed on the public protocol belongs to the system user; the one learner
    # of an install without sign-in reads it, and its words' lookups use its analysis.
    articles = _readings(services, SYSTEM_USER_ID)
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        params = {"language": "German", "word": "Kinder", "lemma": "Kind",
                  "article_id": articles["German"], "sentence_index": 0}  # fmt: skip
        found = client.get("/lookup", params=params)
        assert found.status_code == 200, found.text
        assert found.json()["level"] == "A1"
