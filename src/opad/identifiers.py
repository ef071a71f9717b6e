"""Identifiers compared one way: emails in one canonical form, invisible characters refused.

Two spellings a person cannot tell apart must be one account: full-width `ａlice`, a
zero-width space, a trailing dot after the domain, `İ` against `i`, `josé` in NFD against
NFC. The form kept and compared is:

- local part: Unicode NFKC of the case-folded NFKC text ("NFKC_Casefold", as UTS #31
  recommends for identifiers), with `i` + COMBINING DOT ABOVE (what `İ` folds to) read
  as `i`;
- domain: IDNA 2008 with UTS #46 mapping (the `idna` package), kept as ASCII
  (`bücher.de` → `xn--bcher-kva.de`), without a trailing root dot.

Python's own `encodings.idna` was the other candidate: it implements IDNA 2003 (it maps
ß to ss and refuses newer characters), which registrars no longer use.

Invisible characters (Unicode format characters: zero-width space and joiners, bidi
controls, soft hyphen, BOM) and control characters are refused, not stripped: an address
that carries one was not typed by its owner.
"""

from __future__ import annotations

import unicodedata

import idna

MAX_EMAIL = 254  # RFC 5321's path limit


class InvalidIdentifier(ValueError):
    """An identifier that cannot be used; the message starts with the field's name."""


def invisible_character(value: str) -> str | None:
    """The first invisible (format) or control character of `value`, as "U+200B", or None."""
    for char in value:
        if unicodedata.category(char) in ("Cf", "Cc") and char not in "\t":
            return f"U+{ord(char):04X}"
    return None


def refuse_invisible(field: str, value: str) -> None:
    """Raise InvalidIdentifier naming `field` if `value` holds an invisible character."""
    found = invisible_character(value)
    if found is not None:
        raise InvalidIdentifier(f"{field}: contains an invisible character ({found})")


def fold(text: str) -> str:
    """NFKC_Casefold of `text`, with the dotted capital I read as a plain i."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    # "İ".casefold() is "i̇" (i + U+0307): the same letter to a reader of an address.
    return folded.replace("i\u0307", "i")


def canonical_email(email: str, field: str = "email") -> str:
    """The one form of an email address that is stored and compared.

    Raises InvalidIdentifier ("email: …") for an invisible character, a shape that is not
    an address (one @, a dot in the domain, no spaces), or a domain IDNA refuses.
    """
    refuse_invisible(field, email)
    value = fold(email.strip())
    local, at, domain = value.rpartition("@")
    domain = domain.rstrip(".")
    if not at or not local or "@" in local or any(c.isspace() for c in value):
        raise InvalidIdentifier(f"{field}: is not an email address")
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as exc:
        raise InvalidIdentifier(f"{field}: the domain {domain!r} is not valid ({exc})") from None
    if "." not in ascii_domain:
        raise InvalidIdentifier(f"{field}: is not an email address")
    address = f"{local}@{ascii_domain}"
    if len(address) > MAX_EMAIL:
        raise InvalidIdentifier(f"{field}: is longer than {MAX_EMAIL} characters")
    return address
