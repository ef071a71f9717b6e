"""Which languages an engine can really speak: checked, never taken from its voice list.

espeak-ng lists a Japanese and a Mandarin voice, yet reads every kanji as the English words
"Chinese letter" and, with its `cmn` voice, reads pinyin with the tone digits in English.
So an engine is offered for a language only after it has spoken a probe — a sentence in
the language's own script — and its phonemes were checked (`phoneme_problem`): no switch
to another language's rules (espeak-ng marks them "(en)"), and at least about one
phoneme per letter, so that a script it skips or spells is caught.

A language without a checked voice gets no audio; `no_voice_message` says so in the
learner's terms and how an operator adds one.
"""

from __future__ import annotations

import re
import unicodedata

from opad.languages import LANGUAGES, find_language

# The languages OPAD is tested in (docs/quality.md): each has a probe sentence in its own
# script, with what makes the script hard (kanji and kana, hanzi, hangul, accents).
PROBES: dict[str, str] = {
    "en": "The new library opens on Saturday morning.",
    "de": "Die neue Bibliothek öffnet am Samstagmorgen für alle Bürger.",
    "es": "La nueva biblioteca abre el sábado por la mañana.",
    "fr": "La nouvelle bibliothèque ouvre samedi matin à côté du théâtre.",
    "it": "La nuova biblioteca apre sabato mattina in città.",
    "pt": "A nova biblioteca abre no sábado de manhã, perto da estação.",
    "ko": "새 도서관은 토요일 아침에 문을 엽니다.",
    "ja": "新しい図書館は土曜日の朝に開きます。",
    "zh": "新图书馆星期六早上开门。",
}
SHIPPED = tuple(PROBES)

# espeak-ng's phoneme mnemonics (`-x`) and IPA (`--ipa`) put a language switch in
# brackets: "(en)tS'aIni:z(ja)" is English rules inside a Japanese voice.
_SWITCH = re.compile(r"\(([a-z]{2,3}(?:-[a-z0-9-]+)?)\)", re.IGNORECASE)
# Phoneme letters per letter of the probe, measured with espeak-ng 1.51 on PROBES: 0.75–0.97
# for the alphabetic scripts, 1.7 (kana), 2.3 (hangul), 3.3 (hanzi). A skipped script gives
# about 0; a character read as its name ("Chinese letter", even without a switch marker)
# gives 10 or more.
MIN_PHONEMES_PER_LETTER = 0.5
MAX_PHONEMES_PER_LETTER = 6.0


def probe_text(code: str) -> str:
    """The sentence an engine must speak to be offered for `code`: the shipped languages'
    probe, else the language's own name in its script (languages.py)."""
    if code in PROBES:
        return PROBES[code]
    lang = find_language(code)
    return lang.native if lang else ""


def letters(text: str) -> int:
    """Letters (any script: Latin, kana, hangul, hanzi) in `text`."""
    return sum(1 for c in text if unicodedata.category(c).startswith("L"))


def phoneme_problem(text: str, phonemes: str, own: str) -> str | None:
    """Why `phonemes` (espeak-ng `-x` output for `text`) is not speech of `text`, or None.

    `own` is the voice's language (e.g. "ja", "cmn"): a switch to it is not a problem.
    """
    switched = sorted({m.lower() for m in _SWITCH.findall(phonemes)} - {own.lower()})
    if switched:
        return (
            f"it reads the script by the rules of another language ({', '.join(switched)}): "
            "letter names or spelled-out romanization, not speech"
        )
    wanted = letters(text)
    got = sum(1 for c in _SWITCH.sub("", phonemes) if c.isalpha())
    if wanted and got < MIN_PHONEMES_PER_LETTER * wanted:
        return f"it says {got} sounds for {wanted} letters: most of the text is skipped"
    if wanted and got > MAX_PHONEMES_PER_LETTER * wanted:
        return f"it says {got} sounds for {wanted} letters: it names the characters"
    return None


# Seconds of speech per letter that any voice stays within (measured 0.07–0.10 for the
# alphabetic scripts, 0.21–0.37 per hangul, kana or hanzi, tests/speech/test_voices.py),
# with room for slow voices; outside it the audio is not the text: silence, or the
# characters' names (espeak-ng's "Chinese letter" for each kanji measured 0.64).
PLAUSIBLE_SECONDS_PER_LETTER = {"alphabetic": (0.02, 0.3), "cjk": (0.05, 0.6)}


def duration_problem(code: str, sentences: list[str], seconds: float) -> str | None:
    """Why `seconds` of audio cannot be `sentences` spoken in `code`, or None."""
    n = sum(letters(s) for s in sentences)
    if not n:
        return None
    low, high = PLAUSIBLE_SECONDS_PER_LETTER["cjk" if code in ("ko", "ja", "zh") else "alphabetic"]
    if not low * n <= seconds <= high * n:
        return (
            f"{seconds:.1f} s of audio for {n} letters is not speech of the text "
            f"(expected {low * n:.1f}–{high * n:.1f} s): not kept"
        )
    return None


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 code ("ja" → "Japanese"); the code if unknown."""
    lang = find_language(code)
    return lang.name if lang else code


# How to add a voice, per language where a better one installs with one command.
_HOW: dict[str, str] = {
    "ja": "make install-run (installs the Japanese voice, Open JTalk), or install espeak-ng "
    "and ffmpeg (apt-get install espeak-ng ffmpeg), which read Japanese in kana "
    "(docs/audio.md)",
}
_HOW_ANY = (
    "install espeak-ng and ffmpeg (apt-get install espeak-ng ffmpeg), or set "
    "OPAD_PIPER_VOICES to a folder with a Piper voice for it, or OPAD_SPEECH_URL to an "
    "OpenAI-compatible speech endpoint (docs/audio.md)"
)


def no_voice_message(code: str) -> str:
    """The sentence shown where a language has no voice: learner's words, then the fix."""
    how = _HOW.get(code, _HOW_ANY)
    return f"no voice for {language_name(code)} on this server — how to add one: {how}"


def all_codes() -> list[str]:
    """Every language OPAD offers, shipped ones first (the order reports use)."""
    rest = sorted(lang.code for lang in LANGUAGES if lang.code not in PROBES)
    return [*SHIPPED, *rest]
