"""Daily plans: what a learner asks to get every day, validated, stored and listed.

One plan per learner and language (a learner of two languages has two plans). A plan is
kept when turned off (`active` false), so turning it on again keeps its settings; its
readings stay with the learner's other readings when it is deleted.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from opad.bootstrap import Services
from opad.daily.schedule import parse_time
from opad.db.models import DailyPlan, User, utcnow
from opad.engines.catalog import language_sources, takes_topic
from opad.errors import NotFound, OpadError
from opad.inputs import MAX_TOPIC, LevelIn, WordCount
from opad.languages import find_language
from opad.learner_time import check_zone

MAX_TOPICS = 20
DEFAULT_COVERAGE = 0.95  # Hu & Nation (2000): ~95–98% of running words known for ease
MIN_COVERAGE, MAX_COVERAGE = 0.5, 1.0


class PlanIn(BaseModel):
    """A plan as a learner sends it (PUT /daily/plans/{language}, the form, the CLI)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "level": "B1",
                    "length": 150,
                    "topics": ["city life", "science"],
                    "at_time": "07:00",
                    "time_zone": "Europe/Berlin",
                    "coverage": 0.95,
                    "active": True,
                }
            ]
        }
    )

    level: LevelIn = Field(description="CEFR level A1…C2")
    length: WordCount = Field(description="Target length in words")
    topics: list[str] = Field(
        min_length=1, max_length=MAX_TOPICS, description="Topics, one a day in turn"
    )
    at_time: str = Field("07:00", description="Ready by this local time, HH:MM (24-hour)")
    time_zone: str | None = Field(
        None, description="IANA time zone (Europe/Berlin); default: the account's, else UTC"
    )
    coverage: float | None = Field(
        DEFAULT_COVERAGE,
        description=f"Share of running words you know to aim at, {MIN_COVERAGE}–{MAX_COVERAGE};"
        " null: by level only",
    )
    active: bool = Field(True, description="False pauses the plan")

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: list[str]) -> list[str]:
        cleaned: list[str] = []
        for topic in value:
            topic = " ".join(str(topic).split()) if isinstance(topic, str) else ""
            if not topic or "\x00" in topic:
                raise ValueError("each topic must be non-empty text")
            if len(topic) > MAX_TOPIC:
                raise ValueError(f"each topic must be at most {MAX_TOPIC} characters")
            if topic.casefold() not in (t.casefold() for t in cleaned):
                cleaned.append(topic)
        return cleaned

    @field_validator("at_time")
    @classmethod
    def _at_time(cls, value: str) -> str:
        return parse_time(value).strftime("%H:%M")

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else check_zone(value)

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, value: float | None) -> float | None:
        if value is None:
            return None
        if value > 1.0 and value <= 100:
            value = value / 100  # "95" meant as a percentage
        if not MIN_COVERAGE <= value <= MAX_COVERAGE:
            raise ValueError(f"must be between {MIN_COVERAGE} and {MAX_COVERAGE} (or 50–100 %)")
        return round(value, 3)


def plan_out(plan: DailyPlan) -> dict[str, Any]:
    """A plan as the API answers it."""
    return {
        "id": plan.id,
        "language": plan.language,
        "level": plan.level,
        "length": plan.length,
        "topics": list(plan.topics),
        "at_time": plan.at_time,
        "time_zone": plan.time_zone,
        "coverage": plan.coverage,
        "active": plan.active,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
    }


def canonical_language(value: str) -> str:
    """The language's canonical name ("de" → "German"); NotFound naming it otherwise."""
    lang = find_language(value)
    if lang is None:
        raise NotFound(f"language {value!r} is not supported; GET /languages lists them")
    return lang.name


class NoTextsInLanguage(OpadError):
    """A plan in a language OPAD has no texts in: its readings, made on a topic, could
    only fail every day. A 422 naming the language field."""

    status_code = 422
    error = "invalid input"
    field = "language"


def vet_language(services: Services, name: str) -> None:
    """Refuse a plan whose readings could not be made: no news and no library texts in
    `name` (a daily reading is always made on a topic, never from a learner's own text)."""
    lang = find_language(name)
    if lang is not None and not takes_topic(language_sources(services.settings)[lang.code]):
        raise NoTextsInLanguage(
            f"language: there are no texts in {lang.name} for OPAD to choose from yet, so it "
            f"cannot make a daily reading in {lang.name} — choose another language (you can "
            f"still paste your own {lang.name} text on the home page)"
        )


def list_plans(services: Services, user_id: str) -> list[dict[str, Any]]:
    """The learner's plans, by language."""
    with services.db.session() as session:
        rows = session.scalars(
            select(DailyPlan).where(DailyPlan.user_id == user_id).order_by(DailyPlan.language)
        ).all()
        return [plan_out(p) for p in rows]


def put_plan(services: Services, user_id: str, language: str, data: PlanIn) -> dict[str, Any]:
    """Create or replace the learner's plan for `language`; the zone defaults to the
    account's (else UTC). Refused (422, the language field) in a language with no texts."""
    name = canonical_language(language)
    vet_language(services, name)
    with services.db.session() as session:
        zone_name = data.time_zone
        if zone_name is None:
            user = session.get(User, user_id)
            zone_name = (user.time_zone if user is not None else None) or "UTC"
        plan = session.scalar(
            select(DailyPlan).where(DailyPlan.user_id == user_id, DailyPlan.language == name)
        )
        if plan is None:
            plan = DailyPlan(id=str(uuid.uuid4()), user_id=user_id, language=name)
            session.add(plan)
        plan.level = data.level
        plan.length = data.length
        plan.topics = list(data.topics)
        plan.at_time = data.at_time
        plan.time_zone = zone_name
        plan.coverage = data.coverage
        plan.active = data.active
        plan.updated_at = utcnow()
        session.flush()
        return plan_out(plan)


def set_active(services: Services, user_id: str, language: str, active: bool) -> dict[str, Any]:
    """Turn the learner's plan for `language` on or off; NotFound without one. Turning on
    a plan in a language with no texts (any more) is refused as saving one is."""
    name = canonical_language(language)
    if active:
        vet_language(services, name)
    with services.db.session() as session:
        plan = session.scalar(
            select(DailyPlan).where(DailyPlan.user_id == user_id, DailyPlan.language == name)
        )
        if plan is None:
            raise NotFound(f"no daily plan in {name}")
        plan.active = active
        plan.updated_at = utcnow()
        session.flush()
        return plan_out(plan)


def delete_plan(services: Services, user_id: str, language: str) -> None:
    """Delete the learner's plan for `language` (its readings stay in the library)."""
    name = canonical_language(language)
    with services.db.session() as session:
        plan = session.scalar(
            select(DailyPlan).where(DailyPlan.user_id == user_id, DailyPlan.language == name)
        )
        if plan is None:
            raise NotFound(f"no daily plan in {name}")
        session.delete(plan)
