"""Turning whatever a crew raised into an EngineError a learner (and the queue) understands.

CrewAI wraps provider errors (an openai.APITimeoutError becomes a builtin ConnectionError,
a 404 a ValueError), so the cause chain is searched, with a guard against loops. Errors
are recognised by their HTTP status where they carry one, so providers other than OpenAI
map the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import openai
from pydantic import ValidationError

from opad.engines.base import EngineError, JobStopped
from opad.engines.crew.answers import StructuredAnswerError

GUARDRAIL_FAILED = "guardrail validation after"


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and its causes/contexts, each once (CrewAI's chains can loop)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


# A streamed structured answer is parsed by the OpenAI SDK with jiter, whose errors are
# plain ValueErrors ("expected value at line 1 column 1").
_JITER_ERROR = re.compile(r" at line \d+ column \d+$")


def _is_structure_error(exc: BaseException) -> bool:
    name = type(exc).__name__
    if type(exc) is ValueError and _JITER_ERROR.search(str(exc)):
        return True
    structured = (ValidationError, json.JSONDecodeError, StructuredAnswerError)
    return isinstance(exc, structured) or name in (
        "ConverterError",
        "OutputParserError",
    )


def _short(exc: BaseException, limit: int = 200) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{exc.title}{' ' + where if where else ''}: {first['msg']}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_engine_error(
    exc: BaseException,
    *,
    step: str | None,
    model: str,
    timeout: float,
    expected: str | None = None,
) -> BaseException:
    """The EngineError (or JobStopped) to raise for a failed crew run; `expected` names the
    structured output the failed step asked for (a streamed answer's parse error does not)."""
    chain = list(causes(exc))
    for e in chain:
        if isinstance(e, EngineError | JobStopped):
            return e
    where = f"{step}: " if step else ""
    for e in chain:
        status = _status(e)
        if status in (401, 403):
            return EngineError(f"LLM rejected the API key for {model}")
        if status == 429:
            return EngineError(f"the LLM is rate limited (HTTP 429) for {model}", transient=True)
        if status == 404:
            return EngineError(f"the LLM server does not know the model {model} (HTTP 404)")
        if status is not None and (status >= 500 or status == 408):
            return EngineError(f"the LLM server failed (HTTP {status}) for {model}", transient=True)
    for e in chain:
        if isinstance(e, openai.APITimeoutError | TimeoutError):
            return EngineError(f"the LLM did not answer within {timeout:g} s", transient=True)
    for e in chain:
        if isinstance(e, openai.APIConnectionError | ConnectionError):
            return EngineError(f"could not reach the LLM: {_short(e)}", transient=True)
    for e in chain:
        if _is_structure_error(e):
            detail = _short(e)
            if expected and expected not in detail:
                detail = f"{expected}: {detail}"
            return EngineError(
                f"{where}the LLM's answer was not valid structured output after retries ({detail})"
            )
    for e in chain:
        if GUARDRAIL_FAILED in str(e):
            reason = str(e).split("Last error:", 1)[-1].strip()
            return EngineError(f"{where}the LLM's answer was rejected after retries: {reason}")
    for e in chain:
        if isinstance(e, openai.APIResponseValidationError):
            return EngineError(f"{where}the LLM sent a malformed response ({_short(e)})")
    return EngineError(f"{where}{type(exc).__name__}: {_short(exc)}")
