"""A scripted OpenAI-compatible chat server: real HTTP, so CrewAI's real client code runs.

It answers `POST /v1/chat/completions` (plain and streaming) for the crew's four tasks,
recognised from the request (the search tool, the JSON schema name, or the task's own
words), for the job whose "Topic:" line the prompt carries. Every answer reports `usage`
and is logged, so a test can add up what each job should have been charged.

Rules inject delays and failures per topic and step: HTTP 401/403/429/500, a hang,
answers that are not JSON, invented URLs, texts of the wrong length — and what small local
models do (see MODES): JSON in prose or fences, JSON cut off at the token limit
(`finish_reason: "length"`), empty answers, the wrong language, the prompt's own
instructions echoed in the text, 429 with Retry-After, a context-length error.

An Italian request (its "Language: Italian" line) gets an Italian reading.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STEPS = ("find", "pick", "adapt", "vocabulary", "questions")
SCHEMA_STEPS = {
    "FoundArticles": "find",
    "ArticleChoice": "pick",
    "AdaptedArticle": "adapt",
    "VocabularyList": "vocabulary",
    "QuizList": "questions",
}
TEXT_MARKERS = (
    ("Find 2 or 3 recent news articles", "find"),
    ("choose the single best one", "pick"),
    ("Rewrite the article below", "adapt"),
    ("List the words of the rewritten text", "vocabulary"),
    ("Write comprehension questions", "questions"),
)
INVENTED_URL = "https://invented.example/story"
# What a small model does, as Rule.fail values (besides 401 403 429 500 hang invalid_json
# bad_url short hard):
MODES = {
    "prose": "the JSON inside a sentence of prose and ``` fences",
    "fenced": "the JSON inside ``` fences",
    "truncated": 'the JSON cut in half, finish_reason "length"',
    "empty": "an empty answer",
    "english": "the reading in English (and its title) whatever language was asked",
    "echo": "the reading starts with the prompt's own instructions",
    "context": "HTTP 400 context_length_exceeded",
    "no_tool": "the finder answers without calling the search tool",
}
ECHOED = (
    "Keep every fact; leave out details rather than invent any. "
    "Give the reading a short title in {language}."
)
# The same story in Italian, for Italian requests.
ITALIAN_SENTENCES = (
    "In città la gente parla ogni giorno di {topic}.",
    "Il consiglio comunale ha pubblicato un nuovo progetto per il quartiere.",
    "Gli esperti dicono che le infrastrutture hanno bisogno di una manutenzione attenta.",
    "Gli abitanti hanno piantato alberi per proteggere la biodiversità vicino al fiume.",
    "Molte famiglie vengono qui nel fine settimana perché è tranquillo e verde.",
    "I lavori finiranno il prossimo anno, ha detto il consiglio.",
)
ITALIAN_VOCABULARY = (
    ("infrastrutture", "infrastruttura", "B2", "Le strutture di base di un luogo."),
    ("manutenzione", "manutenzione", "B2", "Il lavoro per tenere in buono stato qualcosa."),
    ("biodiversità", "biodiversità", "C1", "La varietà di piante e animali di un luogo."),
    ("comunale", "comunale", "B1", "Del comune, della città."),
)

# The adapted text: hard words the vocabulary step lists, easy words around them.
SENTENCES = (
    "People in the town talk about {topic} every day.",
    "The municipal council published a new plan for the neighbourhood.",
    "Experts say the infrastructure needs careful maintenance.",
    "Local people planted trees to protect biodiversity near the river.",
    "Many families come here at the weekend because it is quiet and green.",
    "The work will be finished next year, the council said.",
)
# What a writer asked for A1/A2 writes: the same story in everyday words (a real model
# adapts to the level it is given; the level check would otherwise ask for a rewrite).
EASY_SENTENCES = (
    "People in the town talk about {topic} every day.",
    "The town has a new plan for the streets near the river.",
    "Many people like the new trees and the small green places.",
    "Children can play there after school and in the summer.",
    "Many families come here at the weekend because it is quiet and green.",
    "The work will be finished next year, the town said.",
)
# A text far above B1, for the level check ("hard"): words a B1 reader does not know.
HARD_SENTENCES = (
    "The municipality's unprecedented fiscal consolidation necessitated deliberation.",
    "Consequently, stakeholders scrutinised the ostensibly benign amendments.",
    "Notwithstanding vociferous objections, the ordinance was promulgated.",
)
VOCABULARY = (
    ("municipal", "municipal", "C1", "Belonging to a town or city government."),
    ("infrastructure", "infrastructure", "B2", "The basic systems a place needs to work."),
    ("biodiversity", "biodiversity", "C2", "The variety of plants and animals in a place."),
    ("maintenance", "maintenance", "B2", "The work of keeping something in good condition."),
    ("people", "people", "B2", "Men, women and children."),  # really A1: must be dropped
    ("zeppelin", "zeppelin", "C2", "A large airship."),  # not in the text: must be dropped
)


# What an LLM may write that the text does not support: each must be dropped.
UNSUPPORTED_QUESTIONS = (
    "Who opened the new museum?",  # its sentence is not in the text
    "What do the children play?",  # its answer is not in its sentence
    "The town closed the park for ever.",  # true/false on an invented sentence
    "When did the council meet?",  # its answer is not one of its options
)


def quiz(topic: str, prompt: str) -> list[dict[str, Any]]:
    """Two questions the adapted text (in the prompt) supports, and the unsupported ones."""
    texts = (*SENTENCES, *EASY_SENTENCES, *HARD_SENTENCES)
    present = [s.format(topic=topic or "the town") for s in texts]
    present = [s for s in present if s in prompt] or [present[-1]]
    finished = next((s for s in present if "next year" in s), present[0])
    families = next((s for s in present if s.startswith("Many families")), present[0])
    tf = ("True", "False")
    return [
        {"kind": "multiple_choice", "question": "When will the work be finished?",
         "options": ["Last week", "Next year", "Today", "In ten years"], "answer": "Next year",
         "support": finished},
        {"kind": "true_false", "question": "Many families come here at the weekend.",
         "options": tf, "answer": "True", "support": f"“{families.upper()}”"},
        {"kind": "multiple_choice", "question": UNSUPPORTED_QUESTIONS[0],
         "options": ["The mayor", "A teacher", "The king"], "answer": "The mayor",
         "support": "The mayor opened the new museum on Monday."},
        {"kind": "multiple_choice", "question": UNSUPPORTED_QUESTIONS[1],
         "options": ["Football", "Chess", "Cards"], "answer": "Football", "support": families},
        {"kind": "true_false", "question": UNSUPPORTED_QUESTIONS[2], "options": tf,
         "answer": "False", "support": "The town closed the park for ever."},
        {"kind": "multiple_choice", "question": UNSUPPORTED_QUESTIONS[3],
         "options": ["Next year", "Soon"], "answer": "Yesterday", "support": finished},
    ]  # fmt: skip


@dataclass
class Rule:
    """What to do for requests of jobs whose topic contains `topic` (and of `step`)."""

    topic: str
    step: str | None = None
    fail: str | None = None  # 401 403 429 500 hang invalid_json bad_url short hard, MODES
    retry_after: float | None = None  # 429: send Retry-After (seconds) instead of 10 ms
    delay: float = 0.0  # seconds before answering: the first token's latency when streaming
    times: int | None = None  # None: every matching request
    rate: float = 0.0  # streamed answers: tokens per second (0: all at once)


@dataclass
class Served:
    step: str
    topic: str
    status: int
    stream: bool
    usage: dict[str, int] = field(default_factory=dict)
    prompt: str = ""  # the request's messages, joined
    started_at: float = 0.0  # time.time() when the request arrived
    first_sentence_at: float | None = None  # streamed adapt: the body's first sentence sent
    done_at: float | None = None  # the last byte sent


def _text_of(messages: list[dict[str, Any]]) -> str:
    parts = []
    for m in messages:
        content = m.get("content")
        if isinstance(content, list):
            content = " ".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
        parts.append(str(content or ""))
    return "\n".join(parts)


def classify(body: dict[str, Any]) -> str:
    """Which task a request belongs to."""
    fmt = body.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name", "")
    for schema, step in SCHEMA_STEPS.items():
        if schema.lower() in str(name).lower():
            return step
    tools = body.get("tools") or []
    if any("search" in str(t.get("function", {}).get("name", "")) for t in tools):
        return "find"
    text = _text_of(body.get("messages", []))
    for marker, step in TEXT_MARKERS:
        if marker in text:
            return step
    return "other"


def topic_of(body: dict[str, Any]) -> str:
    """The job's topic, from the task prompt's "Topic:" line."""
    found = re.findall(r"^\s*Topic: ?(.*)$", _text_of(body.get("messages", [])), re.M)
    return found[-1].strip() if found else ""


def language_of(body: dict[str, Any]) -> str:
    """The job's language, from the prompt's "Language:" line."""
    found = re.findall(r"^\s*Language: ?(.*)$", _text_of(body.get("messages", [])), re.M)
    return found[-1].strip() if found else "English"


def italian(body: dict[str, Any]) -> bool:
    return language_of(body) == "Italian"


def misbehave(message: str, fail: str | None) -> tuple[str, str]:
    """A text answer as a small model in mode `fail` writes it, and its finish_reason."""
    if fail == "prose":
        return (
            f"Sure! Here is the JSON you asked for:\n```json\n{message}\n```\nHope it helps.",
            "stop",
        )
    if fail == "fenced":
        return f"```\n{message}\n```", "stop"
    if fail == "truncated":
        return message[: max(1, len(message) // 2)], "length"
    if fail == "empty":
        return "", "stop"
    return message, "stop"


def target_length(body: dict[str, Any]) -> int:
    found = re.findall(
        r"Target length: about (\d+) (?:words|characters)", _text_of(body.get("messages", []))
    )
    return int(found[-1]) if found else 120


def adapted_body(topic: str, words: int, sentences: tuple[str, ...] = SENTENCES) -> str:
    """About `words` words of graded text that mentions `topic`."""
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        sentence = sentences[i % len(sentences)].format(topic=topic or "the town")
        out.append(sentence)
        count += len(sentence.split())
        i += 1
    paragraphs = [" ".join(out[j : j + 4]) for j in range(0, len(out), 4)]
    return "\n\n".join(paragraphs)


def _first_json_after(text: str, key: str) -> Any:
    start = text.find("{" + f'"{key}"')
    if start < 0:
        start = text.find("{" + f'\n  "{key}"')
    if start < 0:
        return None
    try:
        return json.JSONDecoder().raw_decode(text[start:])[0]
    except json.JSONDecodeError:
        return None


def _first_sentence_done(sent: str) -> bool:
    """Whether the streamed JSON so far holds the end of the body's first sentence."""
    start = sent.find('"body": "')
    return start >= 0 and re.search(r"[.!?](\s|$)", sent[start:]) is not None


class QuietServer(ThreadingHTTPServer):
    """A threaded HTTP server with a backlog deep enough for 50 clients connecting at once."""

    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout test) is expected, not news


class FakeLLM:
    """The scripted server; use as a context manager or start()/stop()."""

    def __init__(self, delay: float = 0.0, hang_seconds: float = 30.0, per_minute: int = 0) -> None:
        self.delay = delay
        # A provider's limit: over `per_minute` arrivals in any 60 s → 429 (0: none).
        self.per_minute = per_minute
        self.arrivals: list[float] = []  # time.monotonic() of every request
        self.over_limit = 0  # requests refused for the limit
        self.hang_seconds = hang_seconds
        self.rules: list[Rule] = []
        self.served: list[Served] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = QuietServer(("127.0.0.1", 0), self._handler_class())
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- control ---------------------------------------------------------------------------

    def start(self) -> FakeLLM:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (hung requests are released)."""
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_rule(self, topic: str, step: str | None = None, **kw: Any) -> Rule:
        """Add a delay or failure for one topic (and step)."""
        rule = Rule(topic, step, **kw)
        with self.lock:
            self.rules.append(rule)
        return rule

    def requests_for(self, topic: str) -> list[Served]:
        """What was served for jobs with exactly this topic."""
        with self.lock:
            return [s for s in self.served if s.topic == topic]

    def usage_for(self, topic: str) -> dict[str, dict[str, int]]:
        """Tokens reported per step for one topic, as the job should count them."""
        out: dict[str, dict[str, int]] = defaultdict(
            lambda: {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        )
        for s in self.requests_for(topic):
            for key, value in s.usage.items():
                out[s.step][key] += value
        return dict(out)

    def _over_limit(self) -> bool:
        """Record an arrival; True (and counted) when it is over the per-minute limit."""
        now = time.monotonic()
        with self.lock:
            self.arrivals.append(now)
            recent = sum(1 for t in self.arrivals if now - t < 60.0)
            if recent > self.per_minute:
                self.over_limit += 1
                return True
        return False

    def _rule_for(self, topic: str, step: str) -> Rule | None:
        with self.lock:
            for rule in self.rules:
                if rule.topic and rule.topic not in topic:
                    continue
                if rule.step and rule.step != step:
                    continue
                if rule.times is not None:
                    if rule.times <= 0:
                        continue
                    rule.times -= 1
                return rule
        return None

    # -- answers ---------------------------------------------------------------------------

    def answer(self, step: str, topic: str, body: dict[str, Any], rule: Rule | None) -> Any:
        """The assistant message for one request: text content or a tool call."""
        fail = rule.fail if rule else None
        messages = body.get("messages", [])
        tool_results = [m for m in messages if m.get("role") == "tool"]
        if step == "find" and not tool_results and body.get("tools") and fail != "no_tool":
            name = body["tools"][0]["function"]["name"]
            return {"tool": name, "arguments": json.dumps({"query": topic})}
        if fail == "invalid_json":
            return "Sorry, I cannot format this as JSON. The words are: municipal, green."
        if step == "find":
            results = []
            for m in tool_results:
                try:
                    results.extend(json.loads(m.get("content") or "[]"))
                except (json.JSONDecodeError, TypeError):
                    continue
            articles = [
                {
                    "title": r.get("title"),
                    "source": r.get("source"),
                    "url": r.get("url"),
                    "date": r.get("date"),
                    "author": r.get("author") or "A. Invented",  # the engine must not trust this
                    "text": r.get("text", "")[:400],
                }
                for r in results[:3]
                if isinstance(r, dict)
            ]
            if fail == "bad_url" and articles:
                articles[0]["url"] = INVENTED_URL
            return json.dumps({"articles": articles})
        if step == "pick":
            text = _text_of(messages)
            found = _first_json_after(text, "articles") or {}
            # On a retry CrewAI shows only the rejection, which lists the valid URLs.
            listed = [u for u in re.findall(r"https?://[^\s,\"']+", text) if u != INVENTED_URL]
            articles = found.get("articles") or [{"url": u} for u in listed[:1]] or [{}]
            best = dict(articles[0])
            url = INVENTED_URL if fail == "bad_url" else best.get("url", INVENTED_URL)
            return json.dumps(
                {
                    "url": url,
                    "title": best.get("title", topic),
                    "source": best.get("source", "Unknown"),
                    "date": best.get("date"),
                    "author": "A. Invented",
                    "rationale": "Closest to the topic and the level.",
                }
            )
        if step == "adapt":
            words = target_length(body)
            if fail == "short":
                words = max(10, words // 3)
            easy = re.search(r"CEFR level (A1|A2)\b", _text_of(body.get("messages", [])))
            chosen = HARD_SENTENCES if fail == "hard" else EASY_SENTENCES if easy else SENTENCES
            title = f"{topic or 'Your text'} today"
            if italian(body) and fail != "english":
                chosen, title = ITALIAN_SENTENCES, f"{topic or 'Il tuo testo'} oggi"
            text = adapted_body(topic, words, chosen)
            if fail == "echo":
                text = ECHOED.format(language=language_of(body)) + "\n\n" + text
            return json.dumps({"title": title, "body": text}, ensure_ascii=False)
        if step == "vocabulary" and italian(body):
            items = [
                {"word": w, "lemma": lemma, "level": lv, "definition": d, "example": ""}
                for w, lemma, lv, d in ITALIAN_VOCABULARY
            ]
            return json.dumps({"items": items}, ensure_ascii=False)
        if step == "vocabulary":
            items = [
                {
                    "word": word,
                    "lemma": lemma,
                    "level": level,
                    "definition": definition,
                    "example": next(
                        (s for s in SENTENCES if word in s), f"The {word} is here."
                    ).format(topic=topic),
                }
                for word, lemma, level, definition in VOCABULARY
            ]
            return json.dumps({"items": items})
        if step == "questions":
            return json.dumps({"questions": quiz(topic, _text_of(messages))})
        return "ok"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                body = json.loads(raw or b"{}")
                fake.handle(self, body, len(raw))

            def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def handle(self, h: Any, body: dict[str, Any], size: int) -> None:
        """Answer one chat completion request."""
        arrived = time.time()
        if self.per_minute and self._over_limit():
            h._json(
                429,
                {"error": {"message": "over the limit", "type": "rate_limit_exceeded"}},
                {"retry-after": "1"},
            )
            return
        step = classify(body)
        topic = topic_of(body)
        rule = self._rule_for(topic, step)
        stream = bool(body.get("stream"))
        delay = rule.delay if rule and rule.delay else self.delay
        if delay:
            time.sleep(delay)
        fail = rule.fail if rule else None
        if fail == "hang":
            with self.lock:
                self.served.append(Served(step, topic, 0, stream))
            self.stopping.wait(self.hang_seconds)
            h.close_connection = True
            return
        if fail == "context":
            with self.lock:
                self.served.append(Served(step, topic, 400, stream))
            h._json(
                400,
                {
                    "error": {
                        "message": "This model's maximum context length is 4096 tokens. "
                        "However, your messages resulted in 9000 tokens.",
                        "type": "invalid_request_error",
                        "code": "context_length_exceeded",
                    }
                },
            )
            return
        if fail in ("401", "403", "429", "500"):
            status = int(fail)
            kinds = {401: "invalid_api_key", 403: "permission_denied", 429: "rate_limit_exceeded"}
            with self.lock:
                self.served.append(Served(step, topic, status, stream))
            h._json(
                status,
                {"error": {"message": f"scripted {status}", "type": kinds.get(status, "server")}},
                {"retry-after": f"{rule.retry_after:g}"}
                if rule and rule.retry_after is not None
                else {"retry-after-ms": "10"},
            )
            return
        message = self.answer(step, topic, body, rule)
        finish = "stop"
        if isinstance(message, str):
            message, finish = misbehave(message, fail)
        text = json.dumps(message) if isinstance(message, dict) else message
        usage = {
            "prompt_tokens": max(1, size // 4),
            "completion_tokens": max(1, len(text) // 4),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        served = Served(step, topic, 200, stream, dict(usage), _text_of(body.get("messages", [])))
        served.started_at = arrived
        with self.lock:
            self.served.append(served)
        model = body.get("model", "fake")
        if stream:
            rate = rule.rate if rule else 0.0
            self._stream(h, model, message, usage, body, served, rate, finish)
        else:
            h._json(200, self._completion(model, message, usage, finish))
        served.done_at = time.time()

    @staticmethod
    def _completion(
        model: str, message: Any, usage: dict[str, int], finish_text: str = "stop"
    ) -> dict[str, Any]:
        if isinstance(message, dict):
            msg: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{uuid.uuid4().hex[:8]}",
                        "type": "function",
                        "function": {"name": message["tool"], "arguments": message["arguments"]},
                    }
                ],
            }
            finish = "tool_calls"
        else:
            msg, finish = {"role": "assistant", "content": message}, finish_text
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": msg, "finish_reason": finish}],
            "usage": usage,
        }

    def _stream(
        self,
        h: Any,
        model: str,
        message: Any,
        usage: dict[str, int],
        body: dict[str, Any],
        served: Served,
        rate: float,
        finish: str = "stop",
    ) -> None:
        base = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
        }

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        events = [chunk({"role": "assistant", "content": ""})]
        if isinstance(message, dict):
            call_id = f"call_{uuid.uuid4().hex[:8]}"
            events.append(
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": call_id,
                                "type": "function",
                                "function": {"name": message["tool"], "arguments": ""},
                            }
                        ]
                    }
                )
            )
            events.append(
                chunk(
                    {"tool_calls": [{"index": 0, "function": {"arguments": message["arguments"]}}]}
                )
            )
            events.append(chunk({}, "tool_calls"))
        elif rate:
            # About four characters a token, as English text averages with GPT tokenizers.
            for piece in re.findall(r".{1,4}", message, re.S):
                events.append(chunk({"content": piece}))
            events.append(chunk({}, finish))
        else:
            third = max(1, len(message) // 3)
            for i in range(0, len(message), third):
                events.append(chunk({"content": message[i : i + third]}))
            events.append(chunk({}, finish))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append({**base, "choices": [], "usage": usage})
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        sent = ""
        for event in events:
            h.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            delta = (event["choices"] or [{}])[0].get("delta", {}).get("content")
            if rate and delta:
                h.wfile.flush()
                sent += delta
                if served.first_sentence_at is None and _first_sentence_done(sent):
                    served.first_sentence_at = time.time()
                if self.stopping.wait(1 / rate):
                    return
        h.wfile.write(b"data: [DONE]\n\n")
        h.wfile.flush()
