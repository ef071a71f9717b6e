"""A stand-in for the OPAD API that the web tests serve over real HTTP.

It follows the API contract (same paths, JSON and SSE framing) with scripted jobs whose
state is a function of time since they were created, so tests need no background tasks.
Topics steer it: "fail" makes the job fail, "slow" stretches the steps.

Accounts as the API has them: /auth endpoints, bearer tokens, and with `require_auth`
every article/job call needs one (401 otherwise). Records belong to whoever made them
("local" for anonymous calls); another user gets 404.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

LANGUAGES = [
    {"code": "en", "name": "English", "native": "English", "sources": ["news", "library", "text"]},
    {"code": "de", "name": "German", "native": "Deutsch", "sources": ["library", "text"]},
    {"code": "pt", "name": "Portuguese", "native": "português", "sources": ["text"]},
]
LEVELS = [
    {"code": code, "description": f"description of {code}"}
    for code in ("A1", "A2", "B1", "B2", "C1", "C2")
]
STEPS = [  # (seconds after creation in units of step_seconds, status, progress, message)
    (0, "queued", 0, "Job queued..."),
    (1, "running", 10, "Finding news on the topic"),
    (2, "running", 40, "Picking the best article"),
    (3, "running", 70, "Rewriting at your level"),
    (4, "succeeded", 100, "Completed!"),
]
FAIL_STEPS = [*STEPS[:3], (3, "failed", 40, "Failed")]
TERMINAL = {"succeeded", "failed", "cancelled"}
LOCAL = "local"
PROTECTED = ("/articles", "/jobs", "/generate", "/auth/me", "/auth/tokens")
OWNED = re.compile(r"^/(articles|jobs)/([^/]+)")
ARTICLE_STATUS = {"queued": "queued", "running": "running", "succeeded": "ready"}

VOCABULARY = [
    {"word": "benches", "lemma": "bench", "level": "B1", "definition": "long seats",
     "example": "There are forty benches."},
    {"word": "species", "lemma": "species", "level": "B2", "definition": "kinds of living things",
     "example": "Native species such as oak."},
]  # fmt: skip
CONTENT = """# A New Park Opens

*Source: [Millbrook News](https://example.org/park), 2026-04-18*

The park has forty benches. Workers planted many native species.
Benches are <em>everywhere</em>.

## Vocabulary

- **benches** (bench): long seats
"""


def analyzed(article: dict[str, Any], contents: dict[str, str]) -> str:
    """The typed body of a fake article's text, as a worker would store it."""
    from opad.languages import find_language
    from opad.reading.analyze import analyze
    from opad.reading.model import VocabularyItem

    language = find_language(article["language"])
    code = language.code if language else "en"
    vocabulary = [VocabularyItem.model_validate(v) for v in article.get("vocabulary") or []]
    return analyze(contents[article["id"]], code, vocabulary).to_json()


def error(status: int, detail: str, **extra: Any) -> JSONResponse:
    """An error body as the API sends it."""
    return JSONResponse({"error": f"error {status}", "detail": detail, **extra}, status)


@dataclass
class FakeApi:
    """The fake's state; tests may edit it between requests (same process)."""

    step_seconds: float = 0.05
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)  # reading.json by article id
    analyze_later: bool = False  # as for a reading stored before typed bodies: 202
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    down: bool = False  # answer 503 as when Redis or the database is down
    requests: list[tuple[str, str]] = field(default_factory=list)
    clock: int = 0
    require_auth: bool = False  # as OPAD_ENV=production: no token, no articles
    registration_open: bool = True
    limited: str | None = None  # the detail of a 429 that generation answers with
    users: dict[str, dict[str, str]] = field(default_factory=dict)  # by email
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)  # by secret
    owners: dict[str, str] = field(default_factory=dict)  # article id -> user id
    login_failures: dict[str, int] = field(default_factory=dict)
    authorizations: list[tuple[str, str | None]] = field(default_factory=list)  # (path, header)
    # GET /meta's answer (None: an API from before /meta, which answers 404).
    meta: dict[str, Any] | None = field(
        default_factory=lambda: {"engine": "offline", "uses_llm": False, "finds_news": False}
    )

    def add_user(self, email: str, password: str = "correct horse battery") -> dict[str, str]:
        """An account that can sign in."""
        user = {"id": uuid.uuid4().hex, "email": email, "password": password}
        self.users[email] = user
        return user

    def issue_token(self, user_id: str) -> tuple[str, str]:
        """(token id, secret) of a new token of the user."""
        token_id, secret = uuid.uuid4().hex, f"opad_{secrets.token_urlsafe(24)}"
        self.tokens[secret] = {"id": token_id, "user_id": user_id, "revoked": False}
        return token_id, secret

    def caller(self, header: str | None) -> str | None:
        """The user id behind an Authorization header, LOCAL without one, None if refused."""
        if not header:
            return None if self.require_auth else LOCAL
        token = self.tokens.get(header.removeprefix("Bearer "))
        return token["user_id"] if token and not token["revoked"] else None

    def owner_of(self, kind: str, ident: str) -> str | None:
        """Who owns an article or job (None when it does not exist)."""
        if kind == "jobs":
            job = self.jobs.get(ident)
            return job.get("owner", LOCAL) if job else None
        return self.owners.get(ident, LOCAL) if ident in self.articles else None

    def add_article(
        self, content: str | None = CONTENT, owner: str = LOCAL, **fields: Any
    ) -> dict[str, Any]:
        """A finished article (ready, with content), fields overriding the defaults."""
        self.clock += 1
        created = datetime(2026, 4, 18, 9, 0, tzinfo=UTC) + timedelta(minutes=self.clock)
        article = {
            "id": uuid.uuid4().hex, "language": "English", "level": "B1", "length": 300,
            "topic": "city parks", "status": "ready", "title": "A New Park Opens",
            "word_count": 17, "created_at": created.isoformat(), "updated_at": created.isoformat(),
            "latest_job_id": None, "source_url": None, "has_source_text": False,
            "latest_job": None, "source": None, "vocabulary": list(VOCABULARY),
            "usage": {"model": "offline", "prompt_tokens": 0, "completion_tokens": 0,
                      "total_tokens": 0, "by_step": {}},
            "warnings": [],
        } | fields  # fmt: skip
        self.articles[article["id"]] = article
        self.owners[article["id"]] = owner
        if content is not None:
            self.contents[article["id"]] = content
        return article

    def start_job(self, article_id: str, steps: list[tuple[float, str, int, str]]) -> str:
        """A new scripted job for the article."""
        job_id = uuid.uuid4().hex
        self.jobs[job_id] = {"article_id": article_id, "steps": steps, "t0": time.monotonic(),
                             "created_at": datetime.now(UTC).isoformat(),
                             "owner": self.owners.get(article_id, LOCAL)}  # fmt: skip
        self.articles[article_id]["latest_job_id"] = job_id
        return job_id

    def job(self, job_id: str) -> dict[str, Any]:
        """The job's JobOut now."""
        job = self.jobs[job_id]
        elapsed = (time.monotonic() - job["t0"]) / self.step_seconds
        _, status, progress, message = [s for s in job["steps"] if s[0] <= elapsed][-1]
        return {
            "id": job_id, "article_id": job["article_id"], "status": status,
            "progress": progress, "message": message, "created_at": job["created_at"],
            "started_at": None, "finished_at": None, "attempts": 1,
            "error": "The news source could not be reached" if status == "failed" else None,
        }  # fmt: skip

    def article(self, article_id: str) -> dict[str, Any]:
        """The article's detail, its status following its latest job."""
        article = self.articles[article_id]
        job_id = article.get("latest_job_id")
        if job_id in self.jobs:
            job = self.job(job_id)
            article["status"] = ARTICLE_STATUS.get(job["status"], job["status"])
            article["latest_job"] = job
        return article


def create_fake_api(state: FakeApi) -> FastAPI:
    """The fake API app serving `state`."""
    app = FastAPI()

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        path, header = request.url.path, request.headers.get("authorization")
        state.requests.append((request.method, path))
        state.authorizations.append((path, header))
        if state.down:
            return error(503, "Redis is not reachable")
        caller = state.caller(header)
        if caller is None and path.startswith(PROTECTED):
            detail = "the token is invalid or was revoked" if header else "sign in first"
            return JSONResponse({"error": "unauthorized", "detail": detail}, 401)
        request.state.caller = caller or LOCAL
        owned = OWNED.match(path)
        if owned and state.owner_of(*owned.groups()) not in (None, request.state.caller):
            return error(404, "no such thing")  # someone else's: as if it did not exist
        return await call_next(request)

    @app.post("/auth/register")
    async def register(request: Request) -> Response:
        body = await request.json()
        email, password = str(body.get("email", "")), str(body.get("password", ""))
        if not state.registration_open:
            return JSONResponse({"error": "registration closed", "detail": "registration is "
                                 "closed: ask an administrator for an account"}, 403)  # fmt: skip
        if "@" not in email:
            return error(422, "email: is not an email address")
        if len(password) < 10:
            return error(422, "password: must be at least 10 characters")
        if email in state.users:
            return error(409, f"a user with email {email} exists already")
        user = state.add_user(email, password)
        return JSONResponse({"id": user["id"], "email": email, "is_admin": False,
                             "created_at": datetime.now(UTC).isoformat()}, 201)  # fmt: skip

    @app.post("/auth/login")
    async def login(request: Request) -> Response:
        body = await request.json()
        email, password = str(body.get("email", "")), str(body.get("password", ""))
        if state.login_failures.get(email, 0) >= 5:
            return JSONResponse(
                {"error": "too many requests", "detail": "too many failed logins: try again later"},
                429, headers={"Retry-After": "900"},
            )  # fmt: skip
        user = state.users.get(email)
        if user is None or user["password"] != password:
            state.login_failures[email] = state.login_failures.get(email, 0) + 1
            return JSONResponse({"error": "unauthorized", "detail": "wrong email or password"}, 401)
        token_id, secret = state.issue_token(user["id"])
        return JSONResponse({"token": secret, "id": token_id, "name": body.get("token_name"),
                             "prefix": secret[:12], "created_at": datetime.now(UTC).isoformat(),
                             "user": {"id": user["id"], "email": email, "is_admin": False,
                                      "created_at": None}})  # fmt: skip

    @app.get("/usage")
    def usage(request: Request) -> dict[str, Any]:
        # The same sums as services/usage.py, over the fake's articles of this caller.
        rows = [
            a["usage"] for i, a in state.articles.items()
            if state.owners.get(i, LOCAL) == request.state.caller
            and (a.get("usage") or {}).get("prompt_tokens")
        ]  # fmt: skip
        priced = [u for u in rows if u.get("cost_usd") is not None]
        totals = {
            "readings": len(rows),
            "prompt_tokens": sum(u["prompt_tokens"] for u in rows),
            "completion_tokens": sum(u["completion_tokens"] for u in rows),
            "cost_usd": sum(u["cost_usd"] for u in priced),
        }
        month = {"month": "2026-04", **totals}
        models = {"model": "openai/gpt-4.1-mini", **totals}
        by_month, by_model = ([month], [models]) if rows else ([], [])
        unpriced = len(rows) - len(priced)
        return totals | {"unpriced": unpriced, "by_month": by_month, "by_model": by_model}

    @app.get("/auth/me")
    def me(request: Request) -> dict[str, Any]:
        caller = request.state.caller
        email = next((u["email"] for u in state.users.values() if u["id"] == caller), "local")
        return {"id": caller, "email": email, "is_admin": caller == LOCAL, "created_at": None}

    @app.delete("/auth/tokens/{token_id}")
    def revoke(token_id: str, request: Request) -> Response:
        for token in state.tokens.values():
            if token["id"] == token_id and token["user_id"] == request.state.caller:
                token["revoked"] = True
                return Response(status_code=204)
        return error(404, "no such token")

    @app.get("/languages")
    def languages() -> list[dict[str, Any]]:
        return LANGUAGES

    @app.get("/meta")
    def meta() -> Response:
        if state.meta is None:
            return error(404, "Not Found")
        return JSONResponse(state.meta)

    @app.get("/levels")
    def levels() -> list[dict[str, str]]:
        return LEVELS

    @app.post("/generate")
    async def generate(request: Request) -> Response:
        body = await request.json()
        if state.limited:
            return JSONResponse({"error": "too many requests", "detail": state.limited}, 429,
                                headers={"Retry-After": "120"})  # fmt: skip
        fields = []
        if body.get("language") not in {lang["name"] for lang in LANGUAGES}:
            fields.append({"field": "language", "message": "unsupported language"})
        length = body.get("length")
        if not isinstance(length, int) or not 50 <= length <= 2000:
            fields.append({"field": "length", "message": "must be between 50 and 2000 words"})
        if "127.0.0.1" in str(body.get("source_url", "")):
            fields.append({"field": "source_url", "message": "127.0.0.1 resolves to 127.0.0.1, "
                           "a loopback address: only public addresses are fetched"})  # fmt: skip
        if not (body.get("topic") or body.get("source_text") or body.get("source_url")):
            fields.append({"field": "body", "message": "a topic or a source is required"})
        elif not (body.get("source_text") or body.get("source_url")) and body.get("language") in {
            lang["name"] for lang in LANGUAGES if lang["sources"] == ["text"]
        }:
            # As the real API: a topic alone in a language with no texts to choose from.
            fields.append({"field": "topic", "message": f"there are no {body['language']} "
                           "texts to choose from yet — paste a text of your own"})  # fmt: skip
        if fields:
            return error(422, "invalid input", fields=fields)
        topic = body.get("topic") or "your text"
        article = state.add_article(
            content=None, status="queued", title=None, word_count=None, topic=topic,
            language=body["language"], level=body.get("level", "B1"), length=length,
            owner=request.state.caller,
        )  # fmt: skip
        if "slow" in topic:
            steps = [(t * 10, *rest) for t, *rest in STEPS]
        else:
            steps = FAIL_STEPS if "fail" in topic else STEPS
        state.contents[article["id"]] = body.get("source_text") or CONTENT
        job_id = state.start_job(article["id"], steps)  # type: ignore[arg-type]
        accepted = {"job_id": job_id, "article_id": article["id"], "message": "queued"}
        return JSONResponse(accepted, 202)

    @app.post("/articles/{article_id}/generate")
    def regenerate(article_id: str) -> Response:
        if article_id not in state.articles:
            return error(404, "no such article")
        if state.limited:
            return JSONResponse({"error": "too many requests", "detail": state.limited}, 429,
                                headers={"Retry-After": "120"})  # fmt: skip
        if state.articles[article_id].get("language") == "Portuguese":
            # As the real API: nothing to choose a Portuguese text from (no source given).
            return error(422, "invalid input", fields=[{"field": "topic", "message": "there "
                         "are no Portuguese texts to choose from yet"}])  # fmt: skip
        job_id = state.start_job(article_id, STEPS)
        return JSONResponse({"job_id": job_id, "article_id": article_id, "message": "queued"}, 202)

    @app.get("/jobs/{job_id}")
    def job(job_id: str) -> Response:
        if job_id not in state.jobs:
            return error(404, "no such job")
        return JSONResponse(state.job(job_id))

    @app.get("/jobs/{job_id}/events")
    def events(job_id: str) -> Response:
        if job_id not in state.jobs:
            return error(404, "no such job")

        async def stream() -> Any:
            last, ticks = None, 0
            while True:
                current = state.job(job_id)
                if current != last:
                    yield f"event: status\ndata: {json.dumps(current)}\n\n".encode()
                    last = current
                if current["status"] in TERMINAL:
                    return
                ticks += 1
                if ticks % 20 == 1:  # one early, so short jobs carry a heartbeat too
                    yield b": ping\n\n"
                await asyncio.sleep(0.01)

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.get("/articles")
    def articles(
        request: Request,
        limit: int = 20, offset: int = 0, language: str = "", level: str = "",
        status: Annotated[list[str] | None, Query()] = None,
    ) -> dict[str, Any]:  # fmt: skip
        mine = [
            a for a in list(state.articles) if state.owners.get(a, LOCAL) == request.state.caller
        ]
        items = [state.article(a) for a in mine]
        items = [
            a for a in items
            if (not language or a["language"] == language) and (not level or a["level"] == level)
            and (not status or a["status"] in status)
        ]  # fmt: skip
        items.sort(key=lambda a: a["created_at"], reverse=True)
        return {"items": items[offset : offset + limit], "total": len(items), "limit": limit,
                "offset": offset}  # fmt: skip

    @app.get("/articles/{article_id}")
    def article(article_id: str) -> Response:
        if article_id not in state.articles:
            return error(404, "no such article")
        return JSONResponse(state.article(article_id))

    @app.get("/articles/{article_id}/content")
    def content(article_id: str) -> Response:
        if article_id not in state.articles or state.article(article_id)["status"] != "ready":
            return error(404, "no content")
        return PlainTextResponse(state.contents[article_id], media_type="text/markdown")

    @app.get("/articles/{article_id}/reading")
    def reading(article_id: str) -> Response:
        # What the real API serves from the store: the worker's analysis of the text. Here
        # the test process stands in for the worker (analyzers load here, never in the web).
        if article_id not in state.articles or state.article(article_id)["status"] != "ready":
            return error(404, "no content")
        if article_id not in state.readings:
            if state.analyze_later:
                return JSONResponse({"status": "analyzing"}, status_code=202)
            state.readings[article_id] = analyzed(state.article(article_id), state.contents)
        return Response(state.readings[article_id], media_type="application/json")

    @app.get("/articles/{article_id}/questions")
    def questions(article_id: str) -> Response:
        # The real API's shape; these fake readings have no questions (the quiz's own tests
        # run against the real API: tests/web/test_browser_quiz.py).
        if article_id not in state.articles or state.article(article_id)["status"] != "ready":
            return error(404, "no content")
        return JSONResponse({"questions": [], "latest": None})

    @app.delete("/articles/{article_id}")
    def delete(article_id: str) -> Response:
        if state.articles.pop(article_id, None) is None:
            return error(404, "no such article")
        return Response(status_code=204)

    return app
