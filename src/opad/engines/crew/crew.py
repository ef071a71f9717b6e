"""Building one job's crew: agents and tasks from the YAML files, a new LLM per agent.

Everything here is built per job: LLM objects keep lifetime token counters and tasks keep
their outputs, so sharing any of them between concurrent jobs would mix their results
(only the LLMs' stateless HTTP clients are shared: see clients.py).
"""

from __future__ import annotations

import os
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from crewai import Agent, Crew, Process, Task
from crewai.llms.base_llm import BaseLLM
from pydantic import PrivateAttr

from opad.engines.crew import fallbacks, guardrails
from opad.engines.crew.answers import LenientConverter
from opad.engines.crew.calls import CallPolicy
from opad.engines.crew.clients import SharedClientOpenAI, new_llm
from opad.engines.crew.models import (
    AdaptedArticle,
    ArticleChoice,
    FoundArticles,
    QuizList,
    VocabularyList,
)
from opad.engines.crew.search import NewsSearch
from opad.engines.crew.state import GUARDRAIL_RETRIES, JobState
from opad.engines.crew.tools import NewsSearchTool
from opad.languages import language_by_name
from opad.levels import DESCRIPTIONS
from opad.settings import Settings
from opad.text import length_unit

CONFIG_DIR = Path(__file__).with_name("config")
FIND, PICK, ADAPT, VOCABULARY, QUESTIONS = (
    "find_news_articles",
    "pick_best_article",
    "adapt_news_article",
    "add_vocabulary",
    "add_questions",
)
SEARCH_STEPS = [FIND, PICK, ADAPT, VOCABULARY, QUESTIONS]
GIVEN_SOURCE_STEPS = [ADAPT, VOCABULARY, QUESTIONS]
STEP_AGENTS = {
    FIND: "news_finder",
    PICK: "article_picker",
    ADAPT: "writer",
    VOCABULARY: "writer",
    QUESTIONS: "writer",
}
FROM_CONTEXT = "(the article chosen in the previous step: see the context below)"


@lru_cache(maxsize=1)
def load_config() -> tuple[dict[str, Any], dict[str, Any]]:
    """agents.yaml and tasks.yaml (read once; never mutated)."""
    agents = yaml.safe_load((CONFIG_DIR / "agents.yaml").read_text(encoding="utf-8"))
    tasks = yaml.safe_load((CONFIG_DIR / "tasks.yaml").read_text(encoding="utf-8"))
    return agents, tasks


def model_name(settings: Settings, agent: str) -> str:
    """The model an agent uses: its own OPAD_LLM_<AGENT>_MODEL, else OPAD_LLM_MODEL."""
    own = {
        "news_finder": settings.llm_finder_model,
        "article_picker": settings.llm_picker_model,
        "writer": settings.llm_writer_model,
    }[agent]
    model = own or settings.llm_model
    # A bare name on an OpenAI-compatible server (Ollama, vLLM…) goes through the OpenAI
    # client; without the prefix CrewAI would look for litellm.
    if settings.llm_base_url and "/" not in model:
        model = f"openai/{model}"
    return model


def step_models(settings: Settings) -> dict[str, str]:
    """The model each step runs on ("other": calls outside the four steps, on the writer's)."""
    models = {step: model_name(settings, agent) for step, agent in STEP_AGENTS.items()}
    models["other"] = model_name(settings, "writer")
    return models


def make_llm(settings: Settings, model: str, *, stream: bool | None = None) -> BaseLLM:
    """A new LLM client with explicit timeout and retries (never shared between jobs)."""
    kwargs: dict[str, Any] = {
        "model": model,
        "timeout": settings.llm_timeout_seconds,
        "max_retries": settings.llm_max_retries,
        "stream": settings.llm_stream if stream is None else stream,
    }
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
        # Local servers usually need no key, but the OpenAI client insists on one.
        api_key = api_key or os.environ.get("OPENAI_API_KEY") or "not-needed"
    if api_key:
        kwargs["api_key"] = api_key
    return new_llm(**kwargs)


def _agent(
    settings: Settings,
    key: str,
    policy: CallPolicy | None = None,
    tools: list[Any] | None = None,
) -> Agent:
    config = load_config()[0][key]
    policy = policy or CallPolicy(step=key, retries=settings.crew_task_retries)
    # The writer streams (by default) so the job page can show the reading growing.
    llm = make_llm(
        settings,
        model_name(settings, key),
        stream=settings.llm_stream or (key == "writer" and settings.llm_stream_writer),
    )
    if isinstance(llm, SharedClientOpenAI):
        policy.model = model_name(settings, key)
        llm.set_policy(policy)
    return Agent(
        role=config["role"],
        goal=config["goal"],
        backstory=config["backstory"],
        llm=llm,
        tools=tools or [],
        allow_delegation=False,
        # The finder may search twice before answering; the others answer at once.
        max_iter=5 if tools else 3,
        # The task's CallPolicy retries (per task); CrewAI's own retry counts per agent
        # over its whole life, and would re-run a task after the policy gave up.
        max_retry_limit=0 if isinstance(llm, SharedClientOpenAI) else settings.crew_task_retries,
        verbose=False,
        cache=False,
        # Else a large tool result is parked in a file under /tmp for the LLM to page
        # through; the search tool's answers are small by design.
        use_better_compaction=False,
    )


def _task(key: str, agent: Agent, **kwargs: Any) -> Task:
    config = load_config()[1][key]
    return Task(
        name=key,
        description=config["description"],
        expected_output=config["expected_output"],
        agent=agent,
        guardrail_max_retries=GUARDRAIL_RETRIES,
        # Reads the finder's text answer leniently, without the extra LLM call CrewAI's
        # own converter makes for JSON it cannot parse.
        converter_cls=LenientConverter,
        **kwargs,
    )


class _NoOutputLog:
    """Stands in for CrewAI's replay log of task outputs, which OPAD does not use.

    That log is one SQLite table per process behind a file lock: every crew wipes it at
    kickoff and rewrites it after each task, so concurrent crews queue on the lock, clobber
    each other's rows and put learners' texts on disk.
    """

    def update(self, task_index: int, log: dict[str, Any]) -> None:
        """Keep nothing."""

    def add(self, *args: Any, **kwargs: Any) -> None:
        """Keep nothing."""

    def reset(self) -> None:
        """Nothing to clear."""

    def load(self) -> list[dict[str, Any]] | None:
        """Nothing to replay."""
        return None


class OpadCrew(Crew):
    """A Crew without the replay log."""

    _task_output_handler: Any = PrivateAttr(default_factory=_NoOutputLog)


def build_crew(
    settings: Settings, state: JobState, search: NewsSearch | None
) -> tuple[Crew, list[Task]]:
    """The crew for one job: all five tasks, or adapt + vocabulary + questions for a given
    source. Each task has its own agent (the writer's three share a role) so that retries
    are counted per task, and its own CallPolicy with the fallback built from what the
    tools returned."""

    def policy(step: str, fallback: Any = None) -> CallPolicy:
        return CallPolicy(
            step=step,
            retries=settings.crew_task_retries,
            fallback=fallback,
            budget=state.budget,
            notify=state.note,
        )

    adapt_kwargs: dict[str, Any] = {}
    tasks: list[Task] = []
    agents: list[Agent] = []
    if search is not None:
        finder = _agent(settings, "news_finder", policy(FIND), [NewsSearchTool(search, state)])
        picker = _agent(settings, "article_picker", policy(PICK, fallbacks.pick(state)))
        agents = [finder, picker]
        find = _task(
            FIND, finder, output_pydantic=FoundArticles, guardrail=guardrails.find_guardrail(state)
        )
        pick = _task(
            PICK,
            picker,
            output_pydantic=ArticleChoice,
            guardrail=guardrails.pick_guardrail(state),
            context=[find],
        )
        tasks = [find, pick]
        adapt_kwargs["context"] = [pick]
    else:
        adapt_kwargs["context"] = []  # the text comes in the description
    writer = _agent(settings, "writer", policy(ADAPT, fallbacks.adapt(state)))
    lister = _agent(settings, "writer", policy(VOCABULARY, fallbacks.vocabulary(state)))
    asker = _agent(settings, "writer", policy(QUESTIONS, fallbacks.questions(state)))
    agents += [writer, lister, asker]
    adapt = _task(
        ADAPT,
        writer,
        output_pydantic=AdaptedArticle,
        guardrail=guardrails.adapt_guardrail(state),
        **adapt_kwargs,
    )
    vocabulary = _task(
        VOCABULARY,
        lister,
        output_pydantic=VocabularyList,
        guardrail=guardrails.vocabulary_guardrail(state),
        context=[adapt],
    )
    # Questions about the final text; each answer is checked against it afterwards
    # (engines/crew/questions.py), once the text can no longer change.
    questions = _task(
        QUESTIONS,
        asker,
        output_pydantic=QuizList,
        guardrail=guardrails.questions_guardrail(state),
        context=[adapt],
    )
    tasks += [adapt, vocabulary, questions]
    crew = OpadCrew(
        agents=agents,
        tasks=tasks,
        process=Process.sequential,
        memory=False,  # CrewAI's memory needs an embedder (OpenAI by default): off
        cache=False,
        verbose=False,
        tracing=False,
        share_crew=False,
    )
    return crew, tasks


def _no_placeholders(text: str) -> str:
    # CrewAI fills {name} placeholders in the prompts; a learner's text must not have any.
    return text.replace("{", "(").replace("}", ")")


def crew_inputs(state: JobState, topic: str, article: str | None) -> dict[str, Any]:
    """The values of the YAML prompts' {placeholders} for one job."""
    request = state.request
    low, high = guardrails.length_bounds(request.length)
    return {
        "language": request.language,
        "level": request.level.value,
        "level_description": DESCRIPTIONS[request.level],
        "length": request.length,
        # Korean, Japanese and Chinese lengths count characters (opad.text.count_units).
        "length_unit": length_unit(language_by_name(request.language).code),
        "min_length": low,
        "max_length": high,
        "topic": _no_placeholders(topic),
        "today": date.today().isoformat(),
        "article": _no_placeholders(article) if article else FROM_CONTEXT,
        "reuse": _reuse_line(request.reuse_words),
    }


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def writer_instructions(inputs: dict[str, Any]) -> str:
    """What the writer is told besides the article: its role, goal and backstory and the
    adapt task's instructions, as sent (editor.py looks for them in the reading)."""
    agents, tasks = load_config()
    writer, adapt = agents["writer"], tasks[ADAPT]
    description = adapt["description"].split("Article to rewrite:")[0]
    text = "\n".join(
        [writer["role"], writer["goal"], writer["backstory"], description, adapt["expected_output"]]
    )
    return _PLACEHOLDER.sub(lambda m: str(inputs.get(m.group(1), "")), text)


REUSE_MAX = 30  # enough to reinforce; more would crowd the prompt


def _reuse_line(words: list[str]) -> str:
    """The prompt's line asking to reuse the learner's words (empty when there are none)."""
    if not words:
        return ""
    listed = ", ".join(_no_placeholders(w) for w in words[:REUSE_MAX])
    return (
        "The learner is learning these words; where one fits the facts naturally, use it "
        f"(never force one in or change a fact for it): {listed}"
    )
