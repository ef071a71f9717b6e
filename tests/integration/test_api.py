"""The API against a real Redis and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.queue.protocol import QUEUE_KEY, status_key
from tests.processes import ServerThread

BODY = {"language": "German", "level": "B1", "length": 300, "topic": "Stadtpark"}


@pytest.fixture
def client(services: Services) -> Iterator[httpx.Client]:
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=10) as c,
    ):
        yield c


def test_create_then_generate(client: httpx.Client, services: Services) -> None:
    resp = client.post("/articles", json={**BODY, "level": "b1", "language": "de", "length": "300"})
    assert resp.status_code == 201, resp.text
    article = resp.json()
    assert (article["language"], article["level"], article["length"]) == ("German", "B1", 300)
    assert article["status"] == "draft"

    resp = client.post(f"/articles/{article['id']}/generate")
    assert resp.status_code == 202
    accepted = resp.json()
    assert accepted["article_id"] == article["id"] and accepted["message"] == "Job queued..."

    # The protocol: LPUSHed payload and a status key with a 24 h TTL.
    payload = json.loads(services.queue.redis.lindex(QUEUE_KEY, 0) or "{}")
    assert payload["job_id"] == accepted["job_id"]
    assert payload["inputs"] == {
        "language": "German",
        "level": "B1",
        "length": 300,
        "topic": "Stadtpark",
    }
    assert payload["created_at"].endswith("Z")
    assert services.queue.redis.ttl(status_key(accepted["job_id"])) > 24 * 3600 - 10

    job = client.get(f"/jobs/{accepted['job_id']}").json()
    assert job["status"] == "queued" and job["progress"] == 0
    assert set(job) >= {
        "id",
        "article_id",
        "status",
        "progress",
        "message",
        "created_at",
        "started_at",
        "finished_at",
        "error",
    }

    # A job in progress cannot be doubled.
    again = client.post(f"/articles/{article['id']}/generate")
    assert again.status_code == 409 and again.json()["error"] == "conflict"

    detail = client.get(f"/articles/{article['id']}").json()
    assert detail["status"] == "queued" and detail["latest_job"]["id"] == accepted["job_id"]


def test_generate_in_one_call_and_job_falls_back_to_the_database(
    client: httpx.Client, services: Services
) -> None:
    resp = client.post("/generate", json=BODY)
    assert resp.status_code == 202
    job_id = resp.json()["job_id"]
    services.queue.redis.delete(status_key(job_id))  # as if the 24 h TTL had passed
    job = client.get(f"/jobs/{job_id}").json()
    assert job["status"] == "queued" and job["id"] == job_id


def test_validation_errors_name_the_field(client: httpx.Client, services: Services) -> None:
    resp = client.post("/generate", json={**BODY, "level": "Z9", "length": 10, "language": "xx"})
    assert resp.status_code == 422
    body = resp.json()
    fields = {f["field"]: f["message"] for f in body["fields"]}
    assert set(fields) == {"level", "length", "language"}
    assert "A1" in fields["level"] and "50" in fields["length"]
    assert body["error"] == "invalid input" and "level" in body["detail"]
    resp = client.post("/generate", json={"language": "German", "level": "B1", "length": 100})
    assert {f["field"] for f in resp.json()["fields"]} == {"topic"}
    assert (
        client.post(
            "/generate", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    assert services.queue.depth() == 0  # nothing enqueued by a bad request


def test_unknown_ids_are_404(client: httpx.Client) -> None:
    for method, path in [
        ("GET", "/jobs/nope"),
        ("GET", "/articles/nope"),
        ("GET", "/articles/nope/content"),
        ("DELETE", "/articles/nope"),
        ("POST", "/articles/nope/generate"),
    ]:
        resp = client.request(method, path)
        assert resp.status_code == 404, path
        assert resp.json()["error"] == "not found"


def test_list_filters_pagination_and_delete(client: httpx.Client, services: Services) -> None:
    ids = []
    for language, level in [("English", "A2"), ("German", "B1"), ("German", "C1")]:
        ids.append(
            client.post("/articles", json={**BODY, "language": language, "level": level}).json()[
                "id"
            ]
        )
    page = client.get("/articles", params={"limit": 2}).json()
    assert page["total"] == 3 and [a["id"] for a in page["items"]] == ids[::-1][:2]
    assert (
        client.get("/articles", params={"limit": 2, "offset": 2}).json()["items"][0]["id"] == ids[0]
    )
    german = client.get("/articles", params={"language": "de"}).json()
    assert german["total"] == 2
    assert client.get("/articles", params={"level": "c1"}).json()["items"][0]["id"] == ids[2]
    assert client.get("/articles", params={"status": "draft"}).json()["total"] == 3
    assert client.get("/articles", params={"status": "bogus"}).status_code == 422
    # Several statuses: any of them (the web's "in progress" is queued or running).
    assert client.get("/articles", params={"status": ["queued", "running"]}).json()["total"] == 0
    assert client.get("/articles", params={"status": ["ready", "draft"]}).json()["total"] == 3
    assert client.get("/articles", params={"status": ["draft", "bogus"]}).status_code == 422
    assert client.get("/articles", params={"language": "Klingon"}).status_code == 422
    assert client.get(f"/articles/{ids[0]}/content").status_code == 404

    services.store.put(ids[0], "# x\n", "{}")
    assert client.delete(f"/articles/{ids[0]}").status_code == 204
    assert client.get(f"/articles/{ids[0]}").status_code == 404
    assert services.store.get_markdown(ids[0]) is None


def test_meta_endpoints(client: httpx.Client) -> None:
    languages = client.get("/languages").json()
    assert {
        "code": "de",
        "name": "German",
        "native": "Deutsch",
        "sources": ["library", "text"],
        "direction": "ltr",
        "length_unit": "words",
    } in languages
    assert [lvl["code"] for lvl in client.get("/levels").json()] == [
        "A1",
        "A2",
        "B1",
        "B2",
        "C1",
        "C2",
    ]
    ready = client.get("/health/ready").json()
    assert ready["status"] == "ok" and set(ready["checks"]) == {"redis", "database", "store"}


def test_every_response_has_a_schema(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            for code, response in op["responses"].items():
                if code == "204":
                    continue
                content = response.get("content")
                assert content, (method, path, code)
                assert all("schema" in c for c in content.values()), (method, path, code)
    assert client.get("/docs").status_code == 200


def test_a_405_allows_what_the_schema_documents_for_that_path(client: httpx.Client) -> None:
    # /words/known and /words/export.csv are also matched by /words/{word} (DELETE,
    # PATCH): the literal path's own methods are the ones to name.
    schema = client.get("/openapi.json").json()["paths"]
    for path in ("/words/known", "/words/export.csv", "/words/export.apkg", "/articles"):
        refused = client.request("PUT", path)
        assert refused.status_code == 405, (path, refused.text)
        documented = sorted(m.upper() for m in schema[path])
        assert refused.headers["allow"].split(", ") == documented, path
    # A parameter route keeps all of its own.
    word = client.request("PUT", "/words/Haus")
    assert word.status_code == 405 and word.headers["allow"] == "DELETE, GET, PATCH"


def test_a_stored_japanese_word_list_has_no_reading_over_kana(
    client: httpx.Client, services: Services
) -> None:
    """Readings made before the rule gave ケーキ the reading けーき: the article's word
    list is shown without it; kanji words keep theirs, other languages are untouched."""
    import json

    from opad.db.models import Article

    vocabulary = [
        {"word": "ケーキ", "lemma": "ケーキ", "reading": "けーき", "level": "A2"},
        {"word": "おいしい", "lemma": "おいしい", "reading": "おいしい", "level": "A1"},
        {"word": "喫茶店", "lemma": "喫茶店", "reading": "きっさてん", "level": "B1"},
        {"word": "食べました", "lemma": "食べる", "reading": "たべる", "level": "A1"},
    ]
    made = {}
    for language in ("Japanese", "Korean"):
        article_id = client.post("/articles", json={**BODY, "language": language}).json()["id"]
        with services.db.session() as session:
            stored = session.get(Article, article_id)
            assert stored is not None
            stored.content_key = article_id
        services.store.put(article_id, "# x\n", json.dumps({"vocabulary": vocabulary}))
        made[language] = client.get(f"/articles/{article_id}").json()["vocabulary"]
    readings = {item["word"]: item["reading"] for item in made["Japanese"]}
    assert readings == {
        "ケーキ": "", "おいしい": "", "喫茶店": "きっさてん", "食べました": "たべる"
    }  # fmt: skip
    assert [i["reading"] for i in made["Korean"]] == [v["reading"] for v in vocabulary]
