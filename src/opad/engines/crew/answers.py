"""Reading a model's structured answer leniently, the way small local models write them.

Small models (through Ollama, llama.cpp, vLLM…) often ignore the JSON schema they are
sent: they wrap the object in a sentence of prose or in ``` fences, leave a trailing
comma, or stop at the token limit. The OpenAI SDK's strict parser rejects all of these;
here the object is taken out of the text first, and json-repair (a maintained repairer of
LLM JSON, already a CrewAI dependency) fixes small syntax slips — but never an answer cut
off at the token limit, whose "repair" would be a silently truncated reading.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import json_repair
from crewai.utilities.converter import Converter, ConverterError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

_FENCE = re.compile(r"```(?:json|JSON)?")


class StructuredAnswerError(ValueError):
    """A structured answer that could not be used after the task's retries.

    A ValueError so CrewAI treats it as any other task error; the message never says
    "context length", which CrewAI would take for a context-window overflow.
    """

    def __init__(self, model: str, reason: str) -> None:
        super().__init__(f"{model}: {reason}")
        self.model = model
        self.reason = reason


def _candidates(text: str) -> list[str]:
    """The JSON object(s) the text may hold: fenced blocks first, then the outermost braces."""
    out: list[str] = []
    parts = _FENCE.split(text)
    if len(parts) >= 3:
        out.extend(p.strip() for p in parts[1::2])  # the insides of ``` … ``` pairs
    start = text.find("{")
    if start >= 0:
        out.append(text[start:].strip())
    return [c for c in out if c.startswith("{")]


def _decode(candidate: str) -> Any:
    """The first JSON value of `candidate` (prose after it is ignored)."""
    try:
        return json.JSONDecoder(strict=False).raw_decode(candidate)[0]
    except json.JSONDecodeError:
        pass
    # Only an answer that looks whole is repaired: one cut off at the token limit would
    # "repair" into a shorter text that nobody asked for.
    end = candidate.rfind("}")
    if end < 0 or candidate[end + 1 :].strip(" \n\r\t`"):
        return None
    repaired = json_repair.loads(candidate[: end + 1])
    return repaired if isinstance(repaired, dict) else None


def read_answer(text: str | None, model: type[M], finish_reason: str | None) -> M | str:
    """`text` as `model`, or a short reason (for the model's retry) why it is not one."""
    if finish_reason == "length":
        return (
            "the answer was cut off at the token limit before the JSON ended; write a "
            "shorter answer that fits"
        )
    if not text or not text.strip():
        return "the answer was empty"
    first_error = ""
    for candidate in _candidates(text):
        value = _decode(candidate)
        if value is None:
            first_error = first_error or "the JSON object is not complete"
            continue
        try:
            return model.model_validate(value)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"]) or model.__name__
            mismatch = f"the JSON does not match the schema ({where}: {error['msg']})"
            first_error = first_error or mismatch
    return first_error or "the answer contains no JSON object"


def retry_request(reason: str) -> str:
    """What the model is told when its answer could not be used."""
    return (
        f"Your answer could not be used: {reason}. Answer again with only the JSON object "
        "that follows the schema: no text before or after it, no ``` fences."
    )


class LenientConverter(Converter):
    """CrewAI's task-output converter without its extra LLM call: the text answer (the
    finder's, which has tools and so no response_format) is read as `read_answer` reads
    it; what cannot be read stays text, for the task's guardrail to name and reject."""

    def to_pydantic(self, current_attempt: int = 1) -> Any:
        """The text as the task's model, or a ConverterError (CrewAI keeps the text)."""
        value = read_answer(self.text, self.model, None)
        return ConverterError(value) if isinstance(value, str) else value

    def to_json(self, current_attempt: int = 1) -> Any:
        """As `to_pydantic`, as JSON text."""
        value = self.to_pydantic(current_attempt)
        return value if not isinstance(value, BaseModel) else value.model_dump_json()
