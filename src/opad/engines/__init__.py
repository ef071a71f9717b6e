"""Engines turn a request into a leveled article. Only `crew` may import CrewAI."""

from __future__ import annotations

from opad.engines.base import Engine
from opad.settings import Settings


def build_engine(settings: Settings) -> Engine:
    """The engine OPAD_ENGINE names; heavy dependencies load only here, on demand."""
    if settings.engine == "leveler":
        from opad.engines.leveler import LevelerEngine

        return LevelerEngine(settings)
    if settings.engine == "noop":
        from opad.engines.noop import NoopEngine

        return NoopEngine(settings.noop_seconds)
    if settings.engine == "crew":
        from opad.engines.crew.engine import CrewEngine

        try:
            return CrewEngine(settings)
        except ModuleNotFoundError as exc:
            if exc.name not in ("crewai", "feedparser"):
                raise
            raise ValueError(
                "OPAD_ENGINE=crew needs the crew extra: `make install-crew` "
                f"(or `pip install 'opad[crew]'`): {exc}"
            ) from exc
    raise ValueError(f"engine {settings.engine!r} is not available in this version of OPAD")
