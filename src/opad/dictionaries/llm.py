"""A short definition of a word *in its sentence*, from an OpenAI-compatible chat endpoint.

The sentence goes with the word so that "bank" by a river is not a money bank. The model
answers JSON: the sense in a few words of the explanation language (the cache key, so
the same sense read in another sentence is not asked for again) and a one-line
definition. Plain httpx: the API must not import the crew's LLM stack.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from opad.dictionaries.entry import PART_OF_SPEECH, Entry

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("opad.dictionaries")

PROMPT = (
    "You explain words to a language learner. The word is {word!r} (dictionary form "
    "{lemma!r}) in {language}, as used in this sentence:\n{sentence}\n\n"
    'Answer with JSON only: {{"sense": "<two to four words naming this sense, in '
    '{explain_in}>", "definition": "<one short sentence in {explain_in} saying what the '
    'word means in this sentence>", "part_of_speech": "<noun|verb|adjective|adverb|'
    'other>"}}'
)


class LLMUnavailable(Exception):
    """The endpoint did not answer usably (down, refused, timed out, not JSON)."""


@dataclass(frozen=True)
class LLMDefiner:
    """One OpenAI-compatible endpoint: `base_url` ends before `/chat/completions`."""

    base_url: str
    model: str
    api_key: str | None
    timeout: float

    def define(
        self, language: str, explain_in: str, word: str, lemma: str, sentence: str
    ) -> tuple[str, Entry]:
        """(sense key, entry) for `word` in `sentence`; raises LLMUnavailable."""
        prompt = PROMPT.format(
            word=word, lemma=lemma, language=language, sentence=sentence, explain_in=explain_in
        )
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
            "response_format": {"type": "json_object"},
        }
        # Imported on the first lookup, not with the module: the API loads this module with
        # its routes, and an API with no LLM for definitions never needs httpx (~3 MB).
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        url = self.base_url.rstrip("/") + "/chat/completions"
        try:
            response = _client().post(url, json=body, headers=headers, timeout=self.timeout)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
            data = json.loads(_strip_fence(content))
            definition = str(data["definition"]).strip()
            sense = str(data.get("sense") or definition).strip().casefold()[:200]
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            log.warning("LLM lookup failed for %r: %s", word, exc)
            raise LLMUnavailable(str(exc)) from exc
        if not definition:
            raise LLMUnavailable("empty definition")
        pos = str(data.get("part_of_speech") or "").strip().lower()
        return sense, Entry(
            headword=lemma,
            meaning=definition[:500],
            source="LLM in context",
            part_of_speech=pos if pos in PART_OF_SPEECH.values() else None,
            senses=[sense],
        )


@lru_cache(maxsize=1)
def _client() -> httpx.Client:
    # One pooled client per process: a new one per call costs ~50 ms of TLS set-up.
    import httpx

    return httpx.Client()


def _strip_fence(content: str) -> str:
    # Some models wrap JSON in a ```json fence even when asked not to.
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    return text
