"""LLM objects that are new per agent and per crew, over HTTP clients shared by all crews.

A new LLM per agent keeps each crew's token counters its own, but CrewAI's OpenAI
provider builds two SDK clients per LLM object, each loading the CA bundle into a new SSL
context: about 60 ms of CPU and a few MB each, six per crew. With 50 crews at once on two
cores that alone took seconds. The SDK clients hold no per-call state and are thread-safe,
so OpenAI-route LLMs get process-wide ones, one per client configuration.
"""

from __future__ import annotations

import threading
from typing import Any

from crewai import LLM
from crewai.llms.base_llm import BaseLLM
from crewai.llms.providers.openai.completion import OpenAICompletion
from openai import AsyncOpenAI, OpenAI
from openai.types.chat import ParsedChatCompletion, ParsedChatCompletionMessage, ParsedChoice
from pydantic import BaseModel, PrivateAttr

_clients: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()
_pinned: list[Any] = []
_generic_cache: Any = None


def _shared(kind: str, params: dict[str, Any], factory: type[Any]) -> Any:
    key = (kind, repr(sorted(params.items())))
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = factory(**params)
        return client


_last = threading.local()  # the finish_reason of this thread's latest answer


class SharedClientOpenAI(OpenAICompletion):
    """CrewAI's OpenAI provider, with SDK clients shared per configuration, and each call
    going through the job's `CallPolicy` (calls.py) when it has one: lenient structured
    answers with the task's retries, fallbacks, the shared provider budget."""

    _policy: Any = PrivateAttr(default=None)

    def set_policy(self, policy: Any) -> None:
        """Route this LLM's calls through `policy` (one task's, never shared)."""
        self._policy = policy

    @staticmethod
    def _extract_chat_finish_reason_and_id(response: Any) -> tuple[str | None, str | None]:
        reason, response_id = OpenAICompletion._extract_chat_finish_reason_and_id(response)
        _last.finish_reason = reason
        return reason, response_id

    def _finalize_streaming_response(self, *args: Any, **kwargs: Any) -> Any:
        _last.finish_reason = kwargs.get("finish_reason")
        return super()._finalize_streaming_response(*args, **kwargs)

    def send(
        self, messages: Any, response_format: dict[str, Any] | None, **kwargs: Any
    ) -> tuple[Any, str | None]:
        """One plain request (`response_format` sent as is; the answer comes back as text,
        never parsed by the SDK) and its finish_reason."""
        _last.finish_reason = None
        self.response_format = response_format  # type: ignore[assignment]
        try:
            answer = super().call(messages, response_model=None, **kwargs)
        finally:
            self.response_format = None
        return answer, getattr(_last, "finish_reason", None)

    def call(
        self,
        messages: Any,
        tools: Any = None,
        callbacks: Any = None,
        available_functions: Any = None,
        from_task: Any = None,
        from_agent: Any = None,
        response_model: type[BaseModel] | None = None,
    ) -> Any:
        """CrewAI's call, through the policy when there is one."""
        kwargs = {
            "tools": tools,
            "callbacks": callbacks,
            "available_functions": available_functions,
            "from_task": from_task,
            "from_agent": from_agent,
        }
        if self._policy is None:
            return super().call(messages, response_model=response_model, **kwargs)
        return self._policy.call(self, messages, response_model, kwargs)

    def _build_sync_client(self) -> Any:
        if self.interceptor:
            return super()._build_sync_client()
        return _shared("sync", self._get_client_params(), OpenAI)

    def _build_async_client(self) -> Any:
        if self.interceptor:
            return super()._build_async_client()
        return _shared("async", self._get_client_params(), AsyncOpenAI)


def new_llm(model: str, **kwargs: Any) -> BaseLLM:
    """What `LLM(model, **kwargs)` builds, on shared clients when it takes the OpenAI route."""
    route = LLM._resolve_route(model, kwargs)
    if route.native_class is OpenAICompletion:
        extra = {"custom_openai": True} if route.custom_openai else {}
        return SharedClientOpenAI(model=route.model, provider=route.provider, **kwargs, **extra)
    return LLM(model=model, **kwargs)


def pin_parsed_types(models: list[type[BaseModel]]) -> None:
    """Build the SDK's ParsedChatCompletion[...] classes once and keep them for the process.

    For every structured-output answer the SDK builds `ParsedChoice[ResponseFormatT]` and
    friends; pydantic keeps parametrized generics only weakly and leaves these ones with a
    placeholder schema, so each answer rebuilt three full schemas: milliseconds of CPU
    per call, under the GIL that every crew of the worker shares. Built with force and
    held here, they are reused.
    """
    global _generic_cache
    # The SDK imports its resource modules on first use (about a second of CPU): pay that
    # at start-up rather than in the first job.
    import openai.resources.chat  # noqa: F401

    try:
        from openai.lib._parsing._completions import ResponseFormatT
        from pydantic._internal._generics import _GENERIC_TYPES_CACHE
    except ImportError:  # another SDK or pydantic layout: nothing to pin, only slower
        return
    for generic in (ParsedChatCompletion, ParsedChoice, ParsedChatCompletionMessage):
        for argument in (ResponseFormatT, *models):
            pinned = generic[argument]
            pinned.model_rebuild(force=True)
            _pinned.append(pinned)
    _generic_cache = _GENERIC_TYPES_CACHE.get()


def share_generic_cache() -> None:
    """Give this thread pydantic's generic-class cache of the thread that pinned them.

    Pydantic (2.11+) keeps that cache in a ContextVar, so every new job thread, and every
    context CrewAI copies from it, would start empty and rebuild the classes above.
    """
    if _generic_cache is None:
        return
    from pydantic._internal._generics import _GENERIC_TYPES_CACHE

    if _GENERIC_TYPES_CACHE.get() is None:
        _GENERIC_TYPES_CACHE.set(_generic_cache)
