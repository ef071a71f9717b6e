"""One doctor check's result, as every part of `opad doctor` reports it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """`name`: what was checked ("api", "workers", "dictionaries de"…); `ok`: True, False,
    or None for a fact with no right or wrong; `detail`: what was found, in a learner's or
    an operator's words, with what to do when it is not ok; `required`: whether the verdict
    waits for it (the learner's side: only when a room says so)."""

    name: str
    ok: bool | None
    detail: str
    required: bool = False

    def line(self) -> str:
        """ "name: ok — detail" (PROBLEM when not ok; no mark for a fact)."""
        mark = {True: "ok — ", False: "PROBLEM — ", None: ""}[self.ok]
        return f"{self.name}: {mark}{self.detail}"
