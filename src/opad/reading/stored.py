"""A reading's stored typed body (`reading.json` in the content store), read back.

Pure parsing: the API and the web read typed readings with it and load no analyzer.
"""

from __future__ import annotations

import json
import logging

from pydantic import ValidationError

from opad.reading.model import BODY_VERSION, ReadingBody

log = logging.getLogger("opad.reading")


def current(raw: str | None) -> bool:
    """Whether stored `reading.json` text is there and of the current analysis version."""
    if not raw:
        return False
    if raw.endswith(f',"version":{BODY_VERSION}}}'):
        return True  # as ReadingBody.to_json writes it: no need to parse it all
    try:
        return int(json.loads(raw).get("version", 0)) == BODY_VERSION
    except (ValueError, AttributeError, TypeError):
        return False


def parse_body(raw: str | None) -> ReadingBody | None:
    """The typed body of stored `reading.json` text; None when there is none, or it is of
    an older analysis version, or broken (then the reading is analyzed again)."""
    if not raw:
        return None
    try:
        body = ReadingBody.model_validate_json(raw)
    except ValidationError as exc:
        log.warning("a stored reading.json could not be read (%s): analyzed again", exc)
        return None
    return body if body.version == BODY_VERSION else None
