"""CrewAI's agent executor without a new pydantic class per executor.

CrewAI's `AgentExecutor` is a Flow whose state starts as
`class StateWithId(FlowState, AgentExecutorState)`, a class defined anew inside every
executor's `__init__` (crewai 1.15, flow/runtime `_create_initial_state`). Defining a
pydantic model class builds its whole validation schema: in a profile of one worker
process running 50 crews at once (py-spy, only the thread holding the GIL) that was 14%
of all CPU, about 10 ms per executor and 3–8 executors per crew. The class is the same
every time, so it is built once per process here; each executor still gets its own
state object (new messages, iterations, a new id).

A subclass passed as `Agent(executor_class=...)` would not do: CrewAI reads a Flow's
methods from its class's own source, so a subclass loses the executor's flow (its error
routes among them). `install()` replaces the one method on CrewAI's class instead.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_state_class: type | None = None
_installed = False


def _executor_state_class() -> type:
    global _state_class
    from crewai.agents.agent_executor import AgentExecutorState
    from crewai.flow.runtime import FlowState

    with _lock:
        if _state_class is None:

            class StateWithId(FlowState, AgentExecutorState):  # CrewAI's own name and bases
                pass

            _state_class = StateWithId
        return _state_class


def install() -> None:
    """Make every `AgentExecutor` of this process start from the one state class."""
    global _installed
    from crewai.agents.agent_executor import AgentExecutor

    with _lock:
        if _installed:
            return
        original = AgentExecutor._create_initial_state

        def _create_initial_state(self: Any) -> Any:
            # CrewAI's own path whenever the executor was given a state or an extension
            # supplies one; only the default case (every crew task) is served here.
            if self.initial_state is None and self._create_default_extension_state() is None:
                return _executor_state_class()()
            return original(self)

        AgentExecutor._create_initial_state = _create_initial_state  # type: ignore[method-assign]
        _installed = True
