"""Entries of each dictionary format, parsed into `Candidate`s (see `entry.Candidate`).

- FreeDict (dictd, TEI converted): `parse_freedict_entry` (an entry: see `freedict.py`).
- FreeDict jpn-eng, made from JMdict: a head line of every spelling, each with its
  JMdict priority marks (`[ichi1]`, `[news1]`, `[nf07]`: the word is among the most
  common), then numbered senses with the grammar in brackets:

      [ichi1]  食べる /bˈe̞ɽɯᵝ/,  [ichi1] たべる /täbˈe̞ɽɯᵝ/
      1. (Ichidan verb)
       (transitive verb)
      to eat
      2. to live on (e.g. a salary), to live off

- WordNet 3.0 (dictd): one entry holds every part of speech; each becomes a candidate,
  its senses in WordNet's order (most frequent first, from the Brown corpus tags).
- CC-CEDICT: `傳統 传统 [chuan2 tong3] /tradition/traditional/` one entry a line.
"""

from __future__ import annotations

import re

from opad.dictionaries.entry import GENDER, PART_OF_SPEECH, Candidate

# Unmarked JMdict words come after every marked one.
UNMARKED = 99
_PRIORITY = re.compile(r"\[(ichi|news|spec|gai)(\d)\]|\[nf(\d\d)\]")
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^()]*\)|\{[^}]*\}")
_KANA = re.compile(r"^[\u3040-\u30ffー・]+$")
# The JMdict grammar notes that say the part of speech, most specific first ("adverb"
# contains "verb", "pronoun" contains "noun", keiyodoshi are "adjectival nouns").
_JA_POS = (
    ("adverb", "adverb"),
    ("adjectiv", "adjective"),
    ("pronoun", "pronoun"),
    ("noun", "noun"),
    ("verb", "verb"),
    ("particle", "particle"),
    ("conjunction", "conjunction"),
    ("interjection", "interjection"),
    ("counter", "counter"),
    ("expression", "expression"),
    ("prefix", "prefix"),
    ("suffix", "suffix"),
)


_HEAD = re.compile(
    r"^(?P<word>.+?)(?:\s+/(?P<ipa>[^/]*)/)?(?:\s+\(.*\))?(?:\s+<(?P<gram>[^>]*)>)?\s*$"
)
_SKIP = re.compile(r'^\s*(?:Note:|Synonyms?:|see:|Antonyms?:|")')
# Grammar, domain labels, braces, and the pronunciation FreeDict gives abbreviations
# ("street St, /ˌɛstˈeː/").
_TAGS = re.compile(r"<[^>]*>|\[[^\]]*\]|\{|\}|,?\s*/[^/,]*/")
_NUMBER = re.compile(r"^\s*\d+\.\s*")


def parse_freedict_entry(text: str) -> tuple[str, str | None, str | None, str | None, list[str]]:
    """(headword, pronunciation, part of speech, gender, translation lines) of one FreeDict
    entry (see `freedict.py` for what one looks like)."""
    lines = text.strip("\n").split("\n")
    head = _HEAD.match(lines[0].strip()) if lines else None
    word = head.group("word").strip() if head else (lines[0].strip() if lines else "")
    word = word.split(" /")[0].strip()  # a second pronunciation: "bois /bwa/ /bwɑ/"
    ipa = head.group("ipa") if head else None
    pos = gender = None
    for part in (head.group("gram") or "").split(",") if head else []:
        part = part.strip()
        pos = pos or PART_OF_SPEECH.get(part)
        gender = gender or GENDER.get(part)
    senses = []
    for line in lines[1:]:
        if not line.strip() or _SKIP.match(line):
            continue
        clean = _NUMBER.sub("", _TAGS.sub("", line))
        clean = re.sub(r"\s+", " ", clean).strip(" ,;")
        clean = re.sub(r"\s+,", ",", clean)
        if clean:
            senses.append(clean)
    return word, ipa or None, pos, gender, senses


WORDNET_SENSES = 5  # senses kept of a WordNet entry
_SENSE = re.compile(r"^\s*(?:(?P<pos>adj|adv|n|v)\s+)?(?P<num>\d+):\s", re.MULTILINE)


def parse_wordnet_entry(text: str) -> tuple[str, str | None, list[str]]:
    """(headword, part of speech of the first sense, glosses) of a WordNet entry."""
    lines = text.strip("\n").split("\n")
    headword = lines[0].strip() if lines else ""
    body = "\n".join(lines[1:])
    matches = list(_SENSE.finditer(body))
    glosses: list[str] = []
    first_pos = None
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        chunk = re.sub(r"\s+", " ", body[match.end() : end]).strip()
        chunk = re.sub(r"\[(?:syn|ant):.*?\]", "", chunk).strip()
        gloss = chunk.split('; "', 1)[0].split(' "', 1)[0].strip(" ;")
        if match.group("pos") and first_pos is None:
            first_pos = PART_OF_SPEECH.get(match.group("pos"))
        if gloss and gloss not in glosses:
            glosses.append(gloss)
    return headword, first_pos, glosses


def freedict_candidate(text: str) -> Candidate | None:
    """A FreeDict entry, or None when it has no translation line."""
    word, ipa, pos, gender, senses = parse_freedict_entry(text)
    if not word or not senses:
        return None
    return Candidate(word, tuple(senses), pos, gender, ipa)


def _unbracket(text: str) -> str:
    # JMdict nests brackets: "(noun (common) (futsuumeishi))".
    while (plain := _BRACKETS.sub("", text)) != text:
        text = plain
    return text


def _ja_pos(note: str) -> str | None:
    lowered = note.lower()
    return next((name for marker, name in _JA_POS if marker in lowered), None)


# JMdict's usage notes, which FreeDict's conversion glues to the gloss that follows them
# ("Note: polite (teineigo) languagemoney"): cut off to keep the gloss.
_JA_NOTES = sorted(
    [
        "word usually written using kana alone",
        "abbreviation",
        "archaism",
        "obscure term",
        "idiomatic expression",
        "colloquialism",
        "slang",
        "yojijukugo",
        "honorific or respectful (sonkeigo) language",
        "derogatory",
        "obsolete term",
        "proverb",
        "sensitive",
        "polite (teineigo) language",
        "humble (kenjougo) language",
        "vulgar expression or word",
        "familiar language",
        "onomatopoeic or mimetic word",
        "female term or language",
        "male term or language",
        "jocular, humorous term",
        "children's language",
        "rare term",
        "poetical term",
        "dated term",
        "manga slang",
        "internet slang",
        "euphemistic",
        "formal or literary term",
        "literary or formal term",
    ],
    key=len,
    reverse=True,
)


def _after_note(line: str) -> str:
    """The gloss a JMdict note line carries after its note, or ""."""
    rest = line.strip().removeprefix("Note:").strip()
    note = next((n for n in _JA_NOTES if rest.startswith(n)), None)
    if note is None:
        return ""
    rest = rest[len(note) :].strip()
    # What follows the note is a gloss when it reads as English, not a bracketed remark.
    return rest if rest[:1].isascii() and rest[:1].isalpha() else ""


def jmdict_candidate(text: str) -> Candidate | None:
    """A FreeDict jpn-eng (JMdict) entry, or None without a gloss."""
    lines = text.strip("\n").split("\n")
    if not lines:
        return None
    spellings = []
    rank = UNMARKED
    for part in lines[0].split(","):
        for match in _PRIORITY.finditer(part):
            nf = match.group(3)
            rank = min(rank, int(nf) if nf else 50 + int(match.group(2) or 0))
        spelling = _unbracket(part).split("/")[0].strip()
        if spelling:
            spellings.append(spelling)
    if not spellings:
        return None
    reading = next((s for s in spellings if _KANA.match(s)), None)
    pos: str | None = None
    senses: list[str] = []
    for line in lines[1:]:
        stripped = re.sub(r"^\s*\d+\.\s*", "", line).strip()
        if stripped.startswith("Note:"):
            stripped = _after_note(stripped)
        if not stripped or stripped.startswith(("see:", "Synonym", "Antonym")):
            continue
        # Grammar lines are bracketed notes only: "(Ichidan verb)", " (transitive verb)".
        if not _unbracket(stripped).strip():
            pos = pos or _ja_pos(stripped)
            continue
        gloss = re.sub(r"\s+", " ", re.sub(r"\{[^}]*\}", "", stripped)).strip(" ,;")
        if gloss and gloss not in senses:
            senses.append(gloss)
    if not senses:
        return None
    headword = spellings[0]
    return Candidate(
        headword, tuple(senses), pos, None, reading if reading != headword else None, rank
    )


def wordnet_candidates(text: str) -> list[Candidate]:
    """One candidate per part of speech of a WordNet entry, senses in WordNet's order."""
    lines = text.strip("\n").split("\n")
    headword = lines[0].strip() if lines else ""
    body = "\n".join(lines[1:])
    matches = list(_SENSE.finditer(body))
    by_pos: dict[str | None, list[str]] = {}
    pos: str | None = None
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        chunk = re.sub(r"\s+", " ", body[match.end() : end]).strip()
        chunk = re.sub(r"\[(?:syn|ant):.*?\]", "", chunk).strip()
        gloss = chunk.split('; "', 1)[0].split(' "', 1)[0].strip(" ;")
        if match.group("pos"):
            pos = PART_OF_SPEECH.get(match.group("pos"))
        if gloss and gloss not in by_pos.setdefault(pos, []):
            by_pos[pos].append(gloss)
    return [
        Candidate(headword, tuple(glosses[:WORDNET_SENSES]), pos)
        for pos, glosses in by_pos.items()
        if glosses and headword
    ]


_CEDICT = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
# CC-CEDICT senses that are not the everyday meaning of a word: after the others.
_MINOR = ("surname ", "variant of ", "old variant of ", "see ", "used in ", "erhua variant")


def cedict_line(line: str) -> tuple[str, str, Candidate] | None:
    """(traditional, simplified, candidate) of one CC-CEDICT line; None for comments."""
    match = _CEDICT.match(line.strip())
    if match is None or line.startswith("#"):
        return None
    traditional, simplified, pinyin, body = match.groups()
    senses = tuple(s.strip() for s in body.split("/") if s.strip())
    if not senses:
        return None
    proper = pinyin[:1].isupper()  # "Li3": a name; "li3": the word
    minor = all(s.startswith(_MINOR) for s in senses)
    # Of one character's readings, the one with more senses is the everyday word
    # (跑 pǎo "to run", 11 senses, before páo "(of an animal) to paw", 1).
    rank = ((50 if proper else 0) + (20 if minor else 0)) * 100 - min(len(senses), 99)
    return traditional, simplified, Candidate(simplified, senses, None, None, pinyin, rank)
