"""Known words % in the library and the reader, and words by state over time, through the
API on SQLite and PostgreSQL; two users never see each other's figures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select, update

from opad.bootstrap import Services
from opad.db.models import Article, User, WordStateChange, utcnow
from opad.learning.reading_words import known_share
from opad.reading.requests import AnalysisRequests
from opad.services.known_share import index_readings
from opad.worker.convert import convert
from tests.integration.test_words import Clients, _serve
from tests.readings import body_of


def lemma_counts(code: str, markdown: str) -> dict[str, int]:
    """{lemma: running words} of a reading, from its typed body (as the worker stores it)."""
    return body_of(code, markdown).lemma_counts()


CAT = "# Cats\n\nThe cat sleeps on the mat. The cat is warm and happy.\n"
DOG = "# Dogs\n\nA dog runs in the park. The dog barks at a bird.\n"
BIRD = "# Birds\n\nBirds sing songs in the morning before the sun rises over the hills.\n"


@pytest.fixture
def api(services: Services) -> Iterator[Clients]:
    yield from _serve(services)


@pytest.fixture(autouse=True, scope="module")
def warm_tokenizer() -> None:
    """Load the lemmatizer's English data once: a cold load takes longer than the 2 s a
    listing may spend indexing (the worker indexes with warm tokenizers)."""
    lemma_counts("en", "The cats were warm.")


@pytest.fixture
def ab(api: Clients) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """API clients signed in as users a and b."""
    with api.as_("a") as a, api.as_("b") as b:
        yield a, b


def user_id(services: Services, email: str) -> str:
    with services.db.session() as session:
        return session.scalars(select(User.id).where(User.email == email)).one()


def ready(
    services: Services,
    owner: str,
    markdown: str,
    language: str = "English",
    *,
    analyzed: bool = True,
) -> str:
    """A reading as a worker leaves it: the text (and, unless `analyzed` is False as for a
    reading stored before typed bodies, its typed body) in the store, the record ready."""
    article_id = str(uuid.uuid4())
    with services.db.session() as session:
        session.add(
            Article(id=article_id, owner_id=owner, language=language, level="A2", length=100,
                    topic="animals", status="draft")
        )  # fmt: skip
    if analyzed:
        services.store.put_reading(article_id, body_of(language, markdown).to_json())
    key = services.store.put(article_id, markdown, "{}")
    with services.db.session() as session:
        article = session.get(Article, article_id)
        assert article is not None
        article.status, article.content_key = "ready", key
    return article_id


def shares(client: Any, **params: Any) -> dict[str, float | None]:
    response = client.get("/articles", params=params)
    assert response.status_code == 200, response.text
    return {item["id"]: item["known_share"] for item in response.json()["items"]}


def test_known_share_in_the_library_and_the_reader(ab: Any, services: Services) -> None:
    a, b = ab
    a_id, b_id = user_id(services, "a@example.org"), user_id(services, "b@example.org")
    cat, dog, bird = (ready(services, a_id, text) for text in (CAT, DOG, BIRD))
    draft = str(uuid.uuid4())
    with services.db.session() as session:
        session.add(Article(id=draft, owner_id=a_id, language="English", level="A2",
                            length=100, topic="not made yet", status="draft"))  # fmt: skip
    theirs = ready(services, b_id, CAT)

    # Nothing known yet: 0 for every ready reading, none for one not made.
    assert shares(a) == {cat: 0.0, dog: 0.0, bird: 0.0, draft: None}
    # a knows the cat words; "the" is ignored (it counts as known, as names do).
    known = ["the", "cat", "sleep", "on", "mat", "be", "warm", "and", "happy"]
    assert a.post("/words/known", json={"language": "en", "lemmas": known}).status_code == 200
    states = {lemma: "known" for lemma in known}
    expected = {
        article: known_share(lemma_counts("en", text), states)
        for article, text in ((cat, CAT), (dog, DOG), (bird, BIRD))
    }
    assert expected[cat] == 1.0 and 0 < expected[dog] < 0.5
    got = shares(a)
    assert got[cat] == pytest.approx(1.0) and got[draft] is None
    assert got[dog] == pytest.approx(expected[dog]) and got[bird] == pytest.approx(expected[bird])
    # The reader's figure is the same one.
    assert a.get(f"/articles/{dog}").json()["known_share"] == pytest.approx(expected[dog])

    # The filter: at least N% known, paged after filtering.
    page = a.get("/articles", params={"known_min": 80}).json()
    assert page["total"] == 1 and [i["id"] for i in page["items"]] == [cat]
    low = round(expected[dog] * 100) - 1
    assert set(shares(a, known_min=low)) == {cat, dog} | (
        {bird} if expected[bird] * 100 >= low else set()
    )
    assert shares(a, known_min=0).keys() == {cat, dog, bird}  # a reading not made has no share
    bad = a.get("/articles", params={"known_min": 101})
    assert bad.status_code == 422 and "known_min" in bad.text

    # Another user: their own readings, their own (empty) knowledge.
    assert shares(b) == {theirs: 0.0}
    assert b.get("/articles", params={"known_min": 1}).json()["total"] == 0
    assert b.get(f"/articles/{cat}").status_code == 404
    # A word turned learning again is no longer known; the share follows at once.
    word = a.get("/words", params={"q": "cat"}).json()["items"][0]
    a.patch(f"/words/{word['id']}", json={"state": "learning"})
    assert shares(a)[cat] == pytest.approx(1 - 2 / sum(lemma_counts("en", CAT).values()))


def test_a_regenerated_reading_is_indexed_again(ab: Any, services: Services) -> None:
    a, _ = ab
    article = ready(services, user_id(services, "a@example.org"), CAT)
    a.post("/words/known", json={"language": "en", "lemmas": ["cat"]})
    assert 0 < shares(a)[article] < 1
    services.store.put_reading(article, body_of("en", DOG).to_json())
    services.store.put(article, DOG, "{}")
    with services.db.session() as session:
        session.execute(
            update(Article)
            .where(Article.id == article)
            .values(updated_at=utcnow() + timedelta(seconds=1))
        )
    assert shares(a)[article] == 0.0  # no cat in the new text


def test_a_library_page_costs_the_same_queries_for_5_or_50_readings(
    ab: Any, services: Services
) -> None:
    a, _ = ab
    owner = user_id(services, "a@example.org")
    a.post("/words/known", json={"language": "en", "lemmas": ["the", "cat", "dog"]})

    def statements(limit: int) -> int:
        shares(a, limit=limit)  # indexes what is new; then count a page's queries
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        event.listen(services.db.engine, "before_cursor_execute", count)
        try:
            result = shares(a, limit=limit)
        finally:
            event.remove(services.db.engine, "before_cursor_execute", count)
        assert len(result) == limit
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    for n in range(50):
        ready(services, owner, CAT if n % 2 else DOG)
    # A listing catches up on readings no worker indexed within a budget (2 s): the rest
    # wait for the next one. Workers index each reading they make.
    assert index_readings(services, None, budget=0) == 0
    assert index_readings(services, None) == 50
    few, many = statements(5), statements(50)
    assert few == many, (few, many)
    assert a.get("/articles", params={"known_min": 30, "limit": 50}).json()["total"] == 50


def test_words_by_state_over_time(ab: Any, services: Services) -> None:
    a, b = ab
    saved = a.post(
        "/words",
        json={"language": "en", "word": "lake", "sentence": "A lake.", "state": "learning"},
    ).json()
    # Saved three days ago as learning (moved back in time here), known today.
    with services.db.session() as session:
        session.execute(
            update(WordStateChange)
            .where(WordStateChange.word_id == saved["id"])
            .values(changed_at=utcnow() - timedelta(days=3))
        )
    a.patch(f"/words/{saved['id']}", json={"state": "known"})
    a.post("/words", json={"language": "en", "word": "hill", "state": "new"})
    days = a.get("/stats/words", params={"days": 5}).json()["days"]
    assert [d["words"]["learning"] for d in days] == [0, 1, 1, 1, 0]
    assert [d["words"]["known"] for d in days] == [0, 0, 0, 0, 1]
    assert [d["words"]["new"] for d in days] == [0, 0, 0, 0, 1]
    # Reviewing a new word makes it learning: recorded too.
    hill = a.get("/words", params={"q": "hill"}).json()["items"][0]
    assert a.post(f"/review/{hill['id']}", json={"rating": "good"}).status_code == 200
    today = a.get("/stats/words", params={"days": 1}).json()["days"][0]["words"]
    assert today == {"new": 0, "learning": 1, "known": 1, "ignored": 0}
    # b has none of it.
    other = b.get("/stats/words", params={"days": 5}).json()
    assert all(sum(d["words"].values()) == 0 for d in other["days"])
    # A deleted word leaves the history with it.
    assert a.delete(f"/words/{hill['id']}").status_code == 204
    today = a.get("/stats/words", params={"days": 1}).json()["days"][0]["words"]
    assert today == {"new": 0, "learning": 0, "known": 1, "ignored": 0}


def test_the_worker_gives_the_engine_the_owners_learning_words(ab: Any, services: Services) -> None:
    from opad.worker.records import reuse_words

    a, b = ab
    a_id = user_id(services, "a@example.org")
    for word, state in (("lake", "learning"), ("hill", "new"), ("sun", "known")):
        a.post("/words", json={"language": "en", "word": word, "state": state})
    a.post("/words", json={"language": "de", "word": "Haus", "state": "learning"})
    b.post("/words", json={"language": "en", "word": "river", "state": "learning"})
    english = ready(services, a_id, CAT)
    german = ready(services, a_id, "# Haus\n\nDas Haus ist alt.\n", language="German")
    with services.db.session() as session:
        # Learning and new words of the reading's language, the newest first; never
        # known ones, another language's, or another user's.
        assert reuse_words(session, english) == ["hill", "lake"]
        assert reuse_words(session, german) == ["Haus"]
        assert reuse_words(session, str(uuid.uuid4())) == []


def test_a_reading_stored_before_typed_bodies_is_analyzed_once_by_a_worker(
    ab: Any, services: Services
) -> None:
    """The API analyzes nothing: it asks, a worker converts, the listing then counts; the
    stored text and result are left exactly as they were."""
    a, _ = ab
    owner = user_id(services, "a@example.org")
    old = "# Cats\n\n**Source:** OPAD starter library · 2026-04-18\n\nThe cat sleeps.\n"
    article = ready(services, owner, old, analyzed=False)
    requests = AnalysisRequests(services.queue.redis)
    services.queue.redis.delete("opad:reading:requests")
    a.post("/words/known", json={"language": "en", "lemmas": ["cat", "source", "library"]})
    assert shares(a)[article] is None  # not counted yet: its analysis was asked for
    assert a.get(f"/articles/{article}/reading").status_code == 202
    assert requests.pending() == 1  # asked twice, one request
    claimed = requests.claim(60)
    assert claimed is not None and claimed[0] == article
    body = convert(services, article)
    assert body is not None and body.source is not None
    assert body.source.name == "OPAD starter library"
    # Indexed from the typed body: "The cat sleeps." — the source line is not counted.
    assert shares(a)[article] == pytest.approx(1 / 3)
    stored = a.get(f"/articles/{article}/reading")
    assert stored.status_code == 200 and stored.json()["title"] == "Cats"
    assert services.store.get_markdown(article) == old
    assert services.store.get_result(article) == "{}"
    # Converted once: a second conversion reads the stored body back.
    assert convert(services, article) == body
