"""Text as it is read aloud: dates, numbers and abbreviations in words of the language.

Engines read what they get: espeak-ng says "2026-04-18" as "two thousand and twenty-six
dash zero four dash eighteen", "z. B." as "zett be", and given Japanese in kana (the
espeak-ng fallback) loses the digits altogether. So before any engine speaks:

- an ISO date (2026-04-18) becomes the date as the language says it, the month's name from
  the CLDR data in Babel ("April eighteenth, twenty twenty-six"; "18 de abril de …");
- a number, parsed with the language's separators by Babel ("1.500,5" in German, "1,500.5"
  in English), becomes words by num2words (cardinal; an English year-like number as a
  year). Chinese keeps its digits: num2words has no Chinese, and both Chinese voices
  read digits as Mandarin numbers. A number that is part of a word (COVID-19, A4) is kept;
- the common abbreviations engines spell out are written in full (`_ABBREVIATIONS`).

The page keeps the text as written; only what is spoken changes.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from babel.dates import get_month_names
from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal
from num2words import CONVERTER_CLASSES, num2words

_CJK = ("ja", "ko", "zh")
# What may not touch a date or a number: a letter (COVID-19, A4, 3D stay as written) —
# only a Latin one in Korean, Japanese and Chinese, written without spaces (1,500人).
_GLUE = {"latin": r"\w", "cjk": r"A-Za-z0-9_"}
_ISO_DATE = {
    kind: re.compile(rf"(?<![{glue}-])(\d{{4}})-(\d{{2}})-(\d{{2}})(?![{glue}-])")
    for kind, glue in _GLUE.items()
}
# A number with optional thousands groups and decimals.
_NUMBER = {
    kind: re.compile(
        rf"(?<![{glue}.,\u00a0-])\d+(?:[.,\u00a0\u202f ]\d{{3}})*(?:[.,]\d+)?(?![{glue}]|-\d)"
    )
    for kind, glue in _GLUE.items()
}
# Beyond this num2words is correct but no learner wants it spoken (telephone numbers).
_LARGEST = 10**12

# Abbreviations that espeak-ng spells letter by letter (checked with espeak-ng 1.51, `-x`),
# written in full; those it already expands (e.g., Dr., etc.) are left to it.
_ABBREVIATIONS: dict[str, dict[str, str]] = {
    "de": {
        "z. B.": "zum Beispiel",
        "z.B.": "zum Beispiel",
        "d. h.": "das heißt",
        "d.h.": "das heißt",
        "u. a.": "unter anderem",
        "u.a.": "unter anderem",
        "bzw.": "beziehungsweise",
        "usw.": "und so weiter",
        "ca.": "circa",
    },
    "es": {"p. ej.": "por ejemplo", "etc.": "etcétera"},
    "fr": {"p. ex.": "par exemple", "c.-à-d.": "c'est-à-dire"},
    "it": {"ecc.": "eccetera", "ad es.": "ad esempio"},
    "pt": {"p. ex.": "por exemplo", "etc.": "etcétera"},
}


def _words(value: Decimal, code: str, *, year: bool = False) -> str | None:
    """`value` in words of `code`, or None where num2words has no such language."""
    if code not in CONVERTER_CLASSES or abs(value) >= _LARGEST:
        return None
    number: int | Decimal = int(value) if value == value.to_integral_value() else value
    try:
        words = str(num2words(number, lang=code, to="year" if year else "cardinal"))
    except (NotImplementedError, OverflowError, ValueError, TypeError):
        return None
    # "one thousand, five hundred": a comma would make the voice pause inside the number.
    return words.replace(",", "")


def _day(day: int, code: str) -> str:
    """The day of the month as the language says it in a date."""
    if code in ("en", "de") or (code in ("fr", "it") and day == 1):
        # "eighteenth", "achtzehnten"; French and Italian say only the first as ordinal.
        word = str(num2words(day, lang=code, to="ordinal"))
        return word + "n" if code == "de" else word  # "am achtzehnten April"
    return _words(Decimal(day), code) or str(day)


def date_words(date: dt.date, code: str) -> str:
    """A date in words of `code` ("April eighteenth, twenty twenty-six"); CJK languages
    get their own order (2026年4月18日: Japanese and Chinese voices read the digits, and
    Japanese numbers become words later; Korean in words, 이천이십육년 사월 십팔일)."""
    if code in ("ja", "zh"):
        return f"{date.year}年{date.month}月{date.day}日"
    if code == "ko":  # dates in Sino-Korean numbers, in words: 사월 십팔일
        y, m, d = (_words(Decimal(n), "ko") or str(n) for n in (date.year, date.month, date.day))
        return f"{y}년 {m}월 {d}일"
    try:
        month = get_month_names("wide", locale=code)[date.month]
    except (ValueError, LookupError):
        return date.isoformat()
    year = _words(Decimal(date.year), code, year=code == "en") or str(date.year)
    day = _day(date.day, code)
    if code == "en":
        return f"{month} {day}, {year}"
    if code in ("es", "pt"):
        return f"{day} de {month} de {year}"
    return f"{day} {month} {year}"


def _iso_dates(text: str, code: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            date = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]  # not a date (2026-13-45): left as written
        return date_words(date, code)

    return _ISO_DATE["cjk" if code in _CJK else "latin"].sub(one, text)


def _numbers(text: str, code: str) -> str:
    if code == "zh" or code not in CONVERTER_CLASSES:
        return text

    def one(match: re.Match[str]) -> str:
        raw = match[0]
        # Babel wants the locale's own group symbol (French: a narrow no-break space).
        grouped = re.sub(r"[\u00a0\u202f ]", get_group_symbol(locale=code), raw)
        try:
            value = parse_decimal(grouped, locale=code, strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            return raw
        if code == "ko" and value < 100:
            # Below 100 Korean counts people and things in native numbers (세 명, not 삼
            # 명), which num2words does not know: the voice reads the digits.
            return raw
        year = code == "en" and raw.isdigit() and len(raw) == 4 and 1100 <= int(raw) <= 2099
        words = _words(value, code, year=year)
        return raw if words is None else words

    return _NUMBER["cjk" if code in _CJK else "latin"].sub(one, text)


def _abbreviations(text: str, code: str) -> str:
    for short, full in _ABBREVIATIONS.get(code, {}).items():
        text = re.sub(rf"(?<!\w){re.escape(short)}(?=\W|$)", full, text)
    return text


def speakable(text: str, code: str) -> str:
    """`text` (one sentence in the language `code`, ISO 639-1) as an engine should say it."""
    return _numbers(_iso_dates(_abbreviations(text, code), code), code)
