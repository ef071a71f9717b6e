"""The crew engine: CrewAI agents find news, pick the best, adapt it and list its vocabulary.

This package is the only place that imports CrewAI (an optional dependency: `--extra crew`).
Importing it turns CrewAI's telemetry, tracing and version checks off before CrewAI loads,
so a worker never contacts anything but the configured LLM and news search.
"""

from __future__ import annotations

import os

# setdefault: an operator who explicitly opts in keeps their choice.
OFFLINE_ENV = {
    "CREWAI_DISABLE_TELEMETRY": "true",
    "OTEL_SDK_DISABLED": "true",
    "CREWAI_TRACING_ENABLED": "false",
    "CREWAI_DISABLE_VERSION_CHECK": "true",
}
for _key, _value in OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)
