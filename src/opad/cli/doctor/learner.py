"""The learner's side of `opad doctor`: what a learner gets per language beyond the text.

Each entry of LEARNER_CHECKS is a function `(settings) -> list[Check]`, one Check per
language or per concern, e.g. `Check("dictionaries de", True, "FreeDict deu-eng")` or
`Check("voices ja", False, "no voice: install …")`. The room that owns the concern writes
the function next to its code and adds it here:

- meanings (`opad.dictionaries`): the dictionaries installed per language;
- audio (`opad.speech`): the voices per language;
- the crew (`opad.engines.crew`): its checks are part of the setup, not of this list.

A check is informational unless it sets `required=True` (then the verdict waits for it).
Each function must answer within seconds and never raise: a failure is a Check with
`ok=False` saying what to do.
"""

from __future__ import annotations

from collections.abc import Callable

from opad.cli.doctor.checks import Check
from opad.settings import Settings

LearnerCheck = Callable[[Settings], list[Check]]

LEARNER_CHECKS: list[LearnerCheck] = []
