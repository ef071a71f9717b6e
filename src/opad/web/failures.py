"""A failed job in the learner's words: one plain reason and what to try.

The job's error is written for the operator ("adapt_news_article: the LLM's answer was not
valid structured output after retries (…)"); the page leads with what it means for the
learner and keeps that text one click away. The patterns follow the messages the engines
raise (engines/crew/errors.py, calls.py, editor.py; engines/news.py, sources.py) and the
queue's "gave up after N attempts: …" prefix.
"""

from __future__ import annotations

import re

# (pattern in the error, reason, what to try); the first match wins.
_EXPLAINED: tuple[tuple[str, str, str], ...] = (
    (
        r"wrote in .+ instead of",
        "The language model wrote the reading in another language than the one you chose.",
        "Try again; if it happens again, the model may not write this language well: ask "
        "whoever runs OPAD about a stronger model.",
    ),
    (
        r"longer than the language model can read",
        "The text was too long for the language model to read at once.",
        "Try a shorter text, or a shorter reading.",
    ),
    (
        r"rate limited|HTTP 429",
        "The language model was too busy to answer.",
        "Wait a few minutes, then try again.",
    ),
    (
        r"did not answer within|could not reach the LLM|server failed \(HTTP",
        "The language model did not answer.",
        "Try again in a few minutes.",
    ),
    (
        r"rejected the API key|does not know the model",
        "OPAD could not use its language model (it is not set up right).",
        "Tell whoever runs OPAD; trying again will not help until it is fixed.",
    ),
    (
        r"not valid structured output|answer was rejected|malformed response",
        "The language model's answer could not be used to make a reading.",
        "Try again; a different topic or level sometimes helps.",
    ),
    (
        r"could not be reached|news search \(\w+\) failed",
        "The news source could not be reached.",
        "Try again in a few minutes, or paste a text to read instead.",
    ),
    (
        r"news search|found nothing about|news source",
        "No news article could be found for this topic.",
        "Try another topic, or fewer or more common words.",
    ),
    (
        r"no readable article text|fetching .+ (failed|timed out)|refused to fetch|larger than",
        "The page at the address you gave could not be read.",
        "Check the address, or paste the text itself instead.",
    ),
    (
        r"has no words",
        "The text had no words to make a reading from.",
        "Paste a text with a few sentences.",
    ),
    (
        r"timed out",
        "Making the reading took too long.",
        "Try again, perhaps with a shorter reading.",
    ),
)
_FALLBACK = (
    "Something went wrong while making the reading.",
    "Try again; if it keeps failing, tell whoever runs OPAD (the details below help them).",
)


def explain(error: str | None) -> tuple[str, str]:
    """(reason, what to try) for a failed job's error text, in the learner's words."""
    text = error or ""
    for pattern, reason, advice in _EXPLAINED:
        if re.search(pattern, text, re.I):
            return reason, advice
    return _FALLBACK
