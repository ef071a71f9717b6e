"""Comprehension questions through the API, made by the real worker (offline engine),
on SQLite and PostgreSQL: no answers leaked, answers graded and kept per learner,
others' readings 404, bad answers 422 naming the field, older readings get questions."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from opad.bootstrap import Services
from opad.db.models import QuizAttempt
from opad.engines.leveler import LevelerEngine
from opad.worker.runner import Worker
from tests.integration.test_words import Clients, _serve
from tests.processes import wait_until

TEXT = (
    "Die Stadt hat am Samstag einen großen neuen Park eröffnet. Hunderte Familien "
    "versammelten sich am Brunnen, um zu feiern. Die Bürgermeisterin lobte die Freiwilligen, "
    "die tausende Bäume gepflanzt haben. Sie sagte, der Park werde Überschwemmungen "
    "verringern und das Viertel verbessern.\n\n"
    "Ingenieure haben Feuchtgebiete entworfen, die starken Regen aufnehmen. Die Bewohner "
    "hoffen, dass das Projekt Besucher anzieht und lokale Geschäfte unterstützt. Kinder "
    "spielten auf der Wiese, während ihre Eltern Musik hörten. Der Gemeinderat versprach, "
    "im nächsten Jahr zwei weitere Parks zu eröffnen."
)
BODY = {"language": "German", "level": "A2", "length": 80, "topic": "Park", "source_text": TEXT}


@pytest.fixture
def api(services: Services) -> Iterator[Clients]:
    worker = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    worker.start()
    yield from _serve(services)
    worker.stop()


@pytest.fixture
def a(api: Clients) -> Iterator[httpx.Client]:
    with api.as_("a") as client:
        yield client


@pytest.fixture
def b(api: Clients) -> Iterator[httpx.Client]:
    with api.as_("b") as client:
        yield client


def make_reading(client: httpx.Client) -> str:
    resp = client.post("/generate", json=BODY)
    assert resp.status_code == 202, resp.text
    accepted = resp.json()

    def done() -> bool:
        return client.get(f"/jobs/{accepted['job_id']}").json()["status"] == "succeeded"

    wait_until(done, 90, "the reading to be made")
    return str(accepted["article_id"])


def test_questions_answers_and_results(
    a: httpx.Client, b: httpx.Client, services: Services
) -> None:
    article_id = make_reading(a)

    got = a.get(f"/articles/{article_id}/questions")
    assert got.status_code == 200, got.text
    body = got.json()
    questions = body["questions"]
    assert 4 <= len(questions) <= 6 and body["latest"] is None
    assert "answer" not in got.text and "support" not in got.text  # nothing given away
    assert "questions" not in a.get(f"/articles/{article_id}").json()
    for q in questions:
        if q["kind"] == "true_false":  # a statement from the reading: true or false?
            assert q["options"] == ["True", "False"] and "____" not in q["prompt"]
            continue
        assert q["kind"] in ("cloze", "matching") and len(q["options"]) >= 3
        assert q["prompt"].count("____") == (q["kind"] == "cloze")
    # With the installed German-English dictionary: "which word means …" too, and
    # statements to judge true or false.
    assert {"matching", "true_false"} <= {q["kind"] for q in questions}
    # The answers are stored with the reading (result.json), the same at every request.
    stored = json.loads(services.store.get_result(article_id) or "{}")["questions"]
    assert [q["id"] for q in stored] == [q["id"] for q in questions]
    assert a.get(f"/articles/{article_id}/questions").json()["questions"] == questions

    # Someone else's reading is not there for them.
    assert b.get(f"/articles/{article_id}/questions").status_code == 404
    answers = [{"question_id": q["id"], "choice": q["options"][0]} for q in questions]
    assert b.post(f"/articles/{article_id}/answers", json={"answers": answers}).status_code == 404

    # All right but the last, which is left out (counts as wrong).
    right = {q["id"]: q["answer"] for q in stored}
    mine = [{"question_id": q["id"], "choice": right[q["id"]].upper()} for q in questions[:-1]]
    resp = a.post(f"/articles/{article_id}/answers", json={"answers": mine})
    assert resp.status_code == 200, resp.text
    scored = resp.json()
    assert (scored["score"], scored["total"]) == (len(questions) - 1, len(questions))
    last = scored["results"][-1]
    assert last["correct"] is False and last["choice"] is None
    kinds = {q["id"]: q["kind"] for q in questions}
    for result in scored["results"]:
        assert result["answer"] == right[result["question_id"]]
        assert result["support"] in TEXT.replace("\n\n", " ")
        if kinds[result["question_id"]] != "true_false":
            assert result["answer"] in result["support"]

    # Kept for this learner only; the library reads the latest result per reading.
    latest = a.get(f"/articles/{article_id}/questions").json()["latest"]
    assert (latest["score"], latest["total"]) == (len(questions) - 1, len(questions))
    items = a.get("/quiz-results").json()["items"]
    assert [(i["article_id"], i["score"]) for i in items] == [(article_id, len(questions) - 1)]
    assert b.get("/quiz-results").json()["items"] == []

    again = [{"question_id": q["id"], "choice": right[q["id"]]} for q in questions]
    assert a.post(f"/articles/{article_id}/answers", json={"answers": again}).json()["score"] == (
        len(questions)
    )
    assert a.get("/quiz-results").json()["items"][0]["score"] == len(questions)

    # Deleting the reading deletes its results.
    assert a.delete(f"/articles/{article_id}").status_code == 204
    with services.db.session() as session:
        assert session.query(QuizAttempt).count() == 0
    assert a.get("/quiz-results").json()["items"] == []


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([{"question_id": "q99", "choice": "x"}], "answers.0.question_id"),
        ([{"question_id": "q1", "choice": "not an option"}], "answers.0.choice"),
        ([{"question_id": "q1"}], "answers.0.choice"),
        ([{"question_id": "q1", "choice": "x" * 501}], "answers.0.choice"),
        ("q1", "answers"),
    ],
)
def test_bad_answers_are_422_naming_the_field(
    a: httpx.Client, answers: object, field: str, services: Services
) -> None:
    article_id = make_reading(a)
    resp = a.post(f"/articles/{article_id}/answers", json={"answers": answers})
    assert resp.status_code == 422, resp.text
    assert field in [f["field"] for f in resp.json()["fields"]]
    with services.db.session() as session:
        assert session.query(QuizAttempt).count() == 0


def test_an_older_reading_gets_questions_on_request(a: httpx.Client, services: Services) -> None:
    article_id = make_reading(a)
    # As stored before questions existed: the result without them.
    result = json.loads(services.store.get_result(article_id) or "{}")
    made = result.pop("questions")
    markdown = services.store.get_markdown(article_id) or ""
    services.store.put(article_id, markdown, json.dumps(result))

    questions = a.get(f"/articles/{article_id}/questions").json()["questions"]
    assert [q["prompt"] for q in questions] == [q["prompt"] for q in made]
    choice = [{"question_id": q["id"], "choice": q["answer"]} for q in made]
    scored = a.post(f"/articles/{article_id}/answers", json={"answers": choice}).json()
    assert scored["score"] == scored["total"] == len(made)


def test_no_questions_before_the_text_exists(a: httpx.Client) -> None:
    draft = a.post("/articles", json=BODY).json()
    resp = a.get(f"/articles/{draft['id']}/questions")
    assert resp.status_code == 404 and "no text yet" in resp.json()["detail"]
