"""Every LLM call of one task: lenient answers, the task's own retries, fallbacks, waits.

CrewAI's own retry (`Agent.max_retry_limit`) counts per agent for its whole life, so a
writer that used its retry on the rewrite had none left for the vocabulary; and its
structured answers go through the OpenAI SDK's strict parser, which fails on JSON in
prose or fences, on an empty answer and on an answer cut off at the token limit. Here each
task has a `CallPolicy` (its LLM is its own, see crew.py) that:

- sends the JSON schema as `response_format` but reads the answer itself (answers.py);
- asks again — naming what was wrong — or sends again after a server error or timeout,
  at most `retries` times for the whole task (OPAD_CREW_TASK_RETRIES);
- when still unusable, returns the task's fallback (built from what the tools returned),
  or raises StructuredAnswerError;
- waits for the shared provider budget before each request (budget.py), and on HTTP 429
  waits as long as the server's Retry-After says, telling the job's progress why;
- turns a context-window overflow into a plain EngineError (CrewAI would otherwise
  summarise the conversation with more calls, or raise SystemExit in the worker).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai
from crewai.utilities.agent_utils import is_context_length_exceeded
from crewai.utilities.exceptions.context_window_exceeding_exception import (
    LLMContextLengthExceededError,
)
from openai.lib._parsing._completions import type_to_response_format_param
from pydantic import BaseModel

from opad.engines.base import EngineError
from opad.engines.crew.answers import StructuredAnswerError, read_answer, retry_request

log = logging.getLogger("opad.engines.crew")

RATE_LIMIT_MESSAGE = "Waiting for the language model (rate limit)…"
MAX_RATE_LIMIT_WAIT = 300.0  # seconds one call may wait on 429s before the job gives up
MAX_RATE_LIMIT_WAITS = 20  # 429s one call may wait on (a server that always refuses)
DEFAULT_RETRY_AFTER = 2.0  # seconds, when a 429 names no Retry-After
EMPTY_AGAIN = "Your answer was empty. Do the task now and give your answer."


class TooLongForModel(EngineError):
    """The request did not fit the model's context window (permanent for this text)."""


def _completion_tokens(llm: Any) -> int:
    """The LLM object's completion tokens so far (CrewAI's lifetime counter; 0 if none)."""
    usage = getattr(llm, "_token_usage", None)
    return int(usage.get("completion_tokens", 0)) if isinstance(usage, dict) else 0


def _too_long(exc: BaseException) -> bool:
    """A context-window overflow, however the provider and CrewAI reported it."""
    if isinstance(exc, LLMContextLengthExceededError):
        return True
    body = getattr(exc, "body", None)
    code = body.get("code") if isinstance(body, dict) else None
    return code == "context_length_exceeded" or is_context_length_exceeded(exc)  # type: ignore[arg-type]


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError | ConnectionError):
        return True
    status = getattr(exc, "status_code", None)
    return isinstance(status, int) and (status >= 500 or status == 408)


def retry_after_seconds(exc: BaseException) -> float | None:
    """Seconds a 429 asks to wait (Retry-After or retry-after-ms headers), if it says."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except ValueError:
        return None  # an HTTP date: rare for LLM servers, the default wait applies
    return None


def estimate_tokens(messages: list[dict[str, Any]]) -> int:
    """A request's prompt tokens, estimated as characters / 4 (the usual English average
    of GPT tokenizers; the budget only needs the order of magnitude)."""
    return max(1, len(json.dumps(messages, ensure_ascii=False, default=str)) // 4)


@dataclass
class CallPolicy:
    """One task's calls (never shared between tasks or jobs)."""

    step: str
    retries: int
    fallback: Callable[[str], BaseModel | None] | None = None
    budget: Any = None  # budget.ProviderBudget | None
    model: str = ""
    notify: Callable[[str], None] | None = None
    used: int = 0  # retries spent by this task

    def call(
        self,
        llm: Any,
        messages: Any,
        response_model: type[BaseModel] | None,
        kwargs: dict[str, Any],
    ) -> Any:
        """The task's answer: a `response_model` instance when one is asked for."""
        history: list[dict[str, Any]] = (
            [{"role": "user", "content": messages}] if isinstance(messages, str) else list(messages)
        )
        if response_model is None:
            answer, _ = self._send(llm, history, None, kwargs)
            while (answer is None or answer == "") and self.used < self.retries:
                # An empty final answer (small models do this) would end the task with
                # "None or empty"; one more turn usually gets the answer.
                self.used += 1
                history = [*history, {"role": "user", "content": EMPTY_AGAIN}]
                answer, _ = self._send(llm, history, None, kwargs)
            return answer
        schema: dict[str, Any] = dict(type_to_response_format_param(response_model))  # type: ignore[arg-type]
        while True:
            answer, finish = self._send(llm, history, schema, kwargs)
            if isinstance(answer, response_model):
                return answer
            text = answer if isinstance(answer, str) else None
            value = read_answer(text, response_model, finish)
            if not isinstance(value, str):
                return value
            reason = value
            log.info("%s: unusable answer (%s)", self.step, reason)
            if self.used >= self.retries:
                break
            self.used += 1
            said = [{"role": "assistant", "content": text[:4000]}] if text else []
            history = [*history, *said, {"role": "user", "content": retry_request(reason)}]
        if self.fallback is not None:
            fallback = self.fallback(reason)
            if fallback is not None:
                log.info("%s: using the fallback (%s)", self.step, reason)
                return fallback
        raise StructuredAnswerError(response_model.__name__, reason)

    def _send(
        self,
        llm: Any,
        history: list[dict[str, Any]],
        response_format: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> tuple[Any, str | None]:
        waited, waits = 0.0, 0
        while True:
            if self.budget is not None:
                self.budget.acquire(self.model, estimate_tokens(history), self._waiting)
            before = _completion_tokens(llm)
            try:
                answer, finish = llm.send(history, response_format, **kwargs)
            except openai.RateLimitError as exc:
                wait = retry_after_seconds(exc) or DEFAULT_RETRY_AFTER
                waits += 1
                if waited + wait > MAX_RATE_LIMIT_WAIT or waits > MAX_RATE_LIMIT_WAITS:
                    raise
                if self.budget is not None:
                    self.budget.pause(self.model, wait)
                self._waiting()
                time.sleep(wait)
                waited += wait
                continue
            except Exception as exc:
                if _too_long(exc):
                    raise TooLongForModel(
                        "the text is longer than the language model can read at once"
                    ) from exc
                # A server error or a timeout: one of the task's retries, if it has any
                # left (CrewAI's own per-agent retry is off: see crew.py).
                if not _transient(exc) or self.used >= self.retries:
                    raise
                self.used += 1
                log.info("%s: retrying after %r", self.step, exc)
                continue
            if self.budget is not None:
                self.budget.spent(self.model, _completion_tokens(llm) - before)
            return answer, finish

    def _waiting(self) -> None:
        if self.notify is not None:
            self.notify(RATE_LIMIT_MESSAGE)
