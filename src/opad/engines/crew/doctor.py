"""`opad doctor`: which engine is active, does the LLM answer, does the news search work."""

from __future__ import annotations

import contextlib
import io
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from opad.engines.base import EngineError
from opad.settings import Settings

PING = "Reply with the single word: ok"
DOCTOR_TIMEOUT = 20.0  # a check, not a job: do not wait a whole request timeout


def check_llm(settings: Settings) -> tuple[bool, str]:
    """One tiny request to each configured model."""
    from opad.engines.crew.crew import make_llm, model_name
    from opad.engines.crew.errors import to_engine_error

    quick = settings.model_copy(
        update={
            "llm_timeout_seconds": min(settings.llm_timeout_seconds, DOCTOR_TIMEOUT),
            "llm_max_retries": 0,
            "llm_stream": False,
        }
    )
    models = dict.fromkeys(
        model_name(quick, a) for a in ("news_finder", "article_picker", "writer")
    )
    where = settings.llm_base_url or "the provider's default endpoint"
    notes, ok = [], True
    for model in models:
        started = time.monotonic()
        try:
            answer = str(make_llm(quick, model).call(PING)).strip()
        except Exception as exc:
            error = to_engine_error(exc, step=None, model=model, timeout=quick.llm_timeout_seconds)
            ok = False
            notes.append(f"{model} at {where}: FAILED — {error}")
            continue
        took = time.monotonic() - started
        can, said = check_abilities(quick, model)
        ok = ok and can
        notes.append(f"{model} at {where}: answered {answer[:40]!r} in {took:.1f} s; {said}")
    return ok, "; ".join(notes)


DOCTOR_TOPIC = "city parks"
STRUCTURED_PROMPT = (
    "List two words a B1 learner of English should learn from this sentence: 'The "
    "municipal council published a plan to maintain the infrastructure.' For each give "
    "word, lemma, CEFR level, a one-sentence definition and an example. Answer in JSON."
)
TOOL_PROMPT = (
    "Find recent news articles about city parks, in English. Call the search tool; "
    f"do not answer yourself.\n\nTopic: {DOCTOR_TOPIC}\nLanguage: English"
)


def check_abilities(settings: Settings, model: str) -> tuple[bool, str]:
    """What the crew needs beyond a completion: a JSON answer to the schema it sends
    (VocabularyList's, as the vocabulary step does) and a tool call (the finder's search).
    (False, why) only when the model cannot give a usable JSON answer at all: then no
    reading can be made; the rest only makes readings fall back on OPAD's own choices."""
    from openai.lib._parsing._completions import type_to_response_format_param

    from opad.engines.crew.answers import read_answer
    from opad.engines.crew.clients import SharedClientOpenAI
    from opad.engines.crew.crew import make_llm
    from opad.engines.crew.models import VocabularyList
    from opad.engines.crew.tools import SearchArgs

    llm = make_llm(settings, model)
    if not isinstance(llm, SharedClientOpenAI):
        return True, "JSON schema and tool call not checked (not an OpenAI-compatible model)"
    said = []
    schema = dict(type_to_response_format_param(VocabularyList))  # type: ignore[arg-type]
    messages = [{"role": "user", "content": STRUCTURED_PROMPT}]
    try:
        text, finish = llm.send(messages, schema)
    except Exception as exc:
        return False, f"a JSON schema request FAILED ({_short_error(exc, model, settings)})"
    strict = _strictly(text, VocabularyList)
    lenient = read_answer(text if isinstance(text, str) else None, VocabularyList, finish)
    usable = not isinstance(lenient, str)
    if strict:
        said.append("follows a JSON schema")
    elif usable:
        said.append(
            "answers in JSON but not exactly as asked (prose or fences around it): OPAD "
            "reads it, with retries more likely"
        )
    else:
        said.append(
            f"does not answer with JSON to a schema ({lenient}): the rewrite step needs "
            "it, so readings will fail; use a model that follows JSON schemas"
        )
    tool = {
        "type": "function",
        "function": {
            "name": "search_news",
            "description": "Search recent news articles.",
            "parameters": SearchArgs.model_json_schema(),
        },
    }
    try:
        answer, _ = llm.send([{"role": "user", "content": TOOL_PROMPT}], None, tools=[tool])
    except Exception as exc:
        said.append(f"a tool call request FAILED ({_short_error(exc, model, settings)})")
        return usable, "; ".join(said)
    if isinstance(answer, list) and answer:
        said.append("calls tools")
    else:
        said.append(
            "does not call tools: OPAD runs the news search itself and readings use its "
            "best match, so the model cannot refine the search"
        )
    return usable, "; ".join(said)


def _strictly(text: object, model: type[Any]) -> bool:
    try:
        model.model_validate_json(str(text))
    except ValueError:
        return False
    return True


def _short_error(exc: BaseException, model: str, settings: Settings) -> str:
    from opad.engines.crew.errors import to_engine_error

    return str(to_engine_error(exc, step=None, model=model, timeout=settings.llm_timeout_seconds))


def check_search(settings: Settings) -> tuple[bool, str]:
    """One search with the configured backend."""
    from opad.engines.crew.search import RssSearch, build_search

    try:
        backend = build_search(settings)
        if isinstance(backend, RssSearch):
            # Feeds are matched to a topic: any query could miss; count the entries instead.
            counts = backend.entries_per_feed()
            detail = ", ".join(f"{feed}: {n} entries" for feed, n in counts.items())
            return all(counts.values()), f"rss: {detail}"
        results = backend.search("news", "English", 1)
    except EngineError as exc:
        return False, f"FAILED — {exc}"
    if not results:
        return False, f"{backend.name}: no results for a test query"
    return True, f"{backend.name}: found {results[0].title!r} ({results[0].url})"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence CrewAI while a check runs: it draws an error box (on stdout) and logs each
    failed LLM call, burying the one line per check that says the same in plain words."""
    sink = io.StringIO()
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            yield
    finally:
        logging.disable(logging.NOTSET)


def check_redis(settings: Settings) -> tuple[bool, str]:
    """Redis answers and is configured as OPAD needs (queue/checks.py)."""
    if not settings.redis_url:
        return True, "embedded (started by OPAD with the settings it needs)"
    from opad.queue.checks import config_problems, full_problem
    from opad.queue.connection import connect

    client = connect(settings.redis_url, timeout=min(settings.redis_timeout_seconds, 5.0))
    try:
        problems = config_problems(client, production=settings.env == "production")
        full = full_problem(client)
    except Exception as exc:  # down, refused, wrong password: one line saying so
        return False, f"FAILED — {type(exc).__name__}: {exc}"
    finally:
        client.close()
    problems += [full] if full else []
    return not problems, "; ".join(problems) or "answers; maxmemory-policy noeviction"


def run_doctor(settings: Settings, echo: Callable[[str], None]) -> int:
    """Print the checks; 0 when Redis and everything the active engine needs work, else 1."""
    redis_ok, redis_detail = check_redis(settings)
    told = []

    def tell_redis() -> None:
        told.append(True)
        if settings.redis_url:  # the embedded Redis is started with what OPAD needs
            echo(f"redis: {'ok' if redis_ok else 'PROBLEM'} — {redis_detail}")

    def engine_echo(line: str) -> None:
        # Redis is reported last, before the one verdict: a ready engine on a Redis that
        # can lose jobs is not ready.
        if line.startswith("verdict: "):
            tell_redis()
            if not redis_ok:
                line = "verdict: NOT ready — Redis (see above): fix it, then run opad doctor again"
        echo(line)

    code = _engine_checks(settings, engine_echo)
    if not told:
        tell_redis()
    return code if redis_ok else 1


def _engine_checks(settings: Settings, echo: Callable[[str], None]) -> int:
    echo(f"engine: {settings.engine}")
    from opad.speech import speech_status
    from opad.speech.choose import voice_lines

    # Audio is optional (readings never fail for it): reported, never part of the verdict.
    echo(f"audio: {speech_status(settings)[1]}")
    for line in voice_lines(settings):  # "no voice for Japanese on this server — …"
        echo(f"  {line}")
    from opad.dictionaries.install import doctor_line

    # Word meanings are optional too (an LLM or the reading's own list stands in).
    echo(f"meanings: {doctor_line(settings.dictionary_folders)}")
    if settings.engine == "leveler" and settings.news:
        # The leveler needs no LLM, but with OPAD_NEWS=on it reads the news: check that.
        ok, detail = check_search(settings)
        echo(f"news: {'ok' if ok else 'PROBLEM'} — {detail}")
        return 0 if ok else 1
    if settings.engine != "crew":
        echo(
            "  no LLM or news needed (OPAD_NEWS=on reads news; OPAD_ENGINE=crew uses the LLM crew)"
        )
        echo(f"verdict: ready — the {settings.engine} engine needs nothing more")
        return 0
    from opad.engines.crew.runtime import load_crewai

    try:
        load_crewai(settings.data_path)
    except ModuleNotFoundError as exc:
        echo(f"crew: PROBLEM — {exc.name} is not installed: `make install-crew`")
        echo("verdict: NOT ready — the crew engine is not installed")
        return 1
    failed = []
    for name, check in (("llm", check_llm), ("search", check_search)):
        with _quiet():
            ok, detail = check(settings)
        if not ok:
            failed.append(name)
        echo(f"{name}: {'ok' if ok else 'PROBLEM'} — {detail}")
    if failed:
        what = " and ".join({"llm": "the LLM", "search": "the news search"}[n] for n in failed)
        echo(f"verdict: NOT ready — {what} failed (see above); fix it, then run opad doctor again")
        return 1
    echo("verdict: ready — the crew engine can make readings")
    return 0
