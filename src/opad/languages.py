"""Languages OPAD can level: those covered by both wordfreq and simplemma, and Korean,
Japanese and Chinese (analyzed by Kiwi, SudachiPy and jieba: `opad.text.cjk`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    name: str  # canonical English name, what the API returns
    native: str
    # "rtl" for scripts written right to left (Arabic, Hebrew, Persian), else "ltr".
    direction: str = "ltr"
    # What a reading's requested `length` counts: "words", or "characters" for languages
    # written without spaces between words (see opad.text.cjk.units for why Korean too).
    length_unit: str = "words"


_RTL = frozenset({"ar", "fa", "he"})
_CHARACTERS = frozenset({"ja", "ko", "zh"})

LANGUAGES: tuple[Language, ...] = tuple(
    Language(
        code,
        name,
        native,
        "rtl" if code in _RTL else "ltr",
        "characters" if code in _CHARACTERS else "words",
    )
    for code, name, native in [
        ("ar", "Arabic", "العربية"),
        ("bg", "Bulgarian", "български"),
        ("ca", "Catalan", "català"),
        ("cs", "Czech", "čeština"),
        ("da", "Danish", "dansk"),
        ("de", "German", "Deutsch"),
        ("el", "Greek", "Ελληνικά"),
        ("en", "English", "English"),
        ("es", "Spanish", "español"),
        ("fa", "Persian", "فارسی"),
        ("fi", "Finnish", "suomi"),
        ("fr", "French", "français"),
        ("he", "Hebrew", "עברית"),
        ("hi", "Hindi", "हिन्दी"),
        ("hu", "Hungarian", "magyar"),
        ("id", "Indonesian", "Bahasa Indonesia"),
        ("is", "Icelandic", "íslenska"),
        ("it", "Italian", "italiano"),
        ("ja", "Japanese", "日本語"),
        ("ko", "Korean", "한국어"),
        ("lt", "Lithuanian", "lietuvių"),
        ("lv", "Latvian", "latviešu"),
        ("mk", "Macedonian", "македонски"),
        ("ms", "Malay", "Bahasa Melayu"),
        ("nb", "Norwegian", "norsk bokmål"),
        ("nl", "Dutch", "Nederlands"),
        ("pl", "Polish", "polski"),
        ("pt", "Portuguese", "português"),
        ("ro", "Romanian", "română"),
        ("ru", "Russian", "русский"),
        ("sk", "Slovak", "slovenčina"),
        ("sl", "Slovenian", "slovenščina"),
        ("sv", "Swedish", "svenska"),
        ("tr", "Turkish", "Türkçe"),
        ("uk", "Ukrainian", "українська"),
        ("zh", "Chinese", "中文"),
    ]
)

_BY_KEY: dict[str, Language] = {}
for _lang in LANGUAGES:
    for _key in (_lang.code, _lang.name, _lang.native):
        _BY_KEY[_key.casefold()] = _lang
_BY_KEY["norwegian bokmål"] = _BY_KEY["nb"]
# Chinese is written in simplified characters here; the usual longer names find it too.
for _alias in ("zh-cn", "zh-hans", "mandarin", "chinese (simplified)", "简体中文", "汉语"):
    _BY_KEY[_alias] = _BY_KEY["zh"]


def find_language(value: str) -> Language | None:
    """The language named by an ISO code, English name or native name (any case)."""
    return _BY_KEY.get(value.strip().casefold())


def language_by_name(name: str) -> Language:
    """The language for a canonical name already validated."""
    lang = find_language(name)
    if lang is None:
        raise KeyError(name)
    return lang
