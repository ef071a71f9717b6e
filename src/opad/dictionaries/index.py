"""A dictionary as one SQLite file, built once when it is installed, read by key.

Why: a dictd file is sorted by dictd's own key (case-insensitive, punctuation ignored), so
"STRASSE" cannot find "Straße" in it and every lookup has to parse whole entries to know
their part of speech. The index stores each entry parsed (headword, part of speech,
senses) under the keys of `opad.dictionaries.folding`, so a lookup is one indexed read
(about a millisecond, no warm-up: the first lookup in a language is as fast as the
next), and the API process keeps nothing in memory but an open file.

Layout (one file per dictionary and version, `<language>-<explain_in>-<source>-<version>.sqlite`):

    meta(name, value)             language, explain_in, source, title, version, licence,
                                  entries, kind ("bilingual" or "definitions")
    entries(id, headword, pos, gender, pronunciation, senses, rank, weights)
                                  senses: JSON list; weights: JSON list, a Zipf frequency
                                  per sense (so a lookup needs no word-frequency data)
    keys(key, form, entry)        key: folded form; form: the spelling as the dictionary has it

Files are written under a temporary name and renamed into place, so a running API never
sees half an index; the file is opened read-only and immutable.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from opad.dictionaries.dictd import decode_number
from opad.dictionaries.entry import Candidate
from opad.dictionaries.folding import fold

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY, headword TEXT NOT NULL, pos TEXT, gender TEXT,
    pronunciation TEXT, senses TEXT NOT NULL, rank INTEGER NOT NULL DEFAULT 0,
    weights TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE keys (
    key TEXT NOT NULL, form TEXT NOT NULL, entry INTEGER NOT NULL,
    PRIMARY KEY (key, entry)
) WITHOUT ROWID;
"""
# Bumped when the layout changes: an index of another layout is passed over (installing
# again rebuilds it) rather than read wrongly.
LAYOUT = "2"
# A key reaches at most this many entries (Japanese いく: 30); a cap keeps one lookup small.
MAX_CANDIDATES = 60


@dataclass(frozen=True)
class IndexInfo:
    """What an index file holds (its `meta` table)."""

    path: Path
    language: str
    explain_in: str
    source: str  # "freedict", "cedict", "wordnet", …
    title: str  # for learners: "FreeDict German–English"
    version: str
    entries: int
    kind: str  # "bilingual" (translations) or "definitions"

    @property
    def bilingual(self) -> bool:
        """Whether the senses are translations (ordered by frequency) or definitions."""
        return self.kind == "bilingual"


def index_name(language: str, explain_in: str, source: str, version: str) -> str:
    """The file name of an index: `de-en-freedict-2022.04.21-1.sqlite`."""
    safe = "".join(c if c.isalnum() or c in ".-+" else "_" for c in version)
    return f"{language}-{explain_in}-{source}-{safe}.sqlite"


def build(
    target: Path,
    entries: Iterable[tuple[list[str], Candidate]],
    *,
    language: str,
    explain_in: str,
    source: str,
    title: str,
    version: str,
    licence: str,
    kind: str = "bilingual",
    weigh: bool | None = None,
) -> IndexInfo:
    """Write the index `target` from (spellings, candidate) pairs: each spelling becomes a
    key of the candidate. Atomic: `target` appears complete or not at all. Returns its info.
    Raises ValueError when no entry has a key (a wrong or empty file). `weigh` (default:
    for bilingual dictionaries) stores how common each sense's first translation is, which
    orders senses at lookup time without loading word frequencies then."""
    from opad.dictionaries.senses import sense_weight

    weigh = kind == "bilingual" if weigh is None else weigh
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    count = 0
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        for spellings, c in entries:
            keys: dict[str, str] = {}
            for spelling in spellings:
                key = fold(language, spelling)
                if key:
                    keys.setdefault(key, spelling)
            if not keys:
                continue
            count += 1
            weights = [sense_weight(explain_in, s) for s in c.senses] if weigh else []
            db.execute(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (count, c.headword, c.part_of_speech, c.gender, c.pronunciation,
                 json.dumps(list(c.senses), ensure_ascii=False), c.rank, json.dumps(weights)),
            )  # fmt: skip
            db.executemany(
                "INSERT OR IGNORE INTO keys VALUES (?, ?, ?)",
                [(key, form, count) for key, form in keys.items()],
            )
        if not count:
            raise ValueError(f"no entries for {language}-{explain_in} from {source}")
        meta = {
            "language": language, "explain_in": explain_in, "source": source, "title": title,
            "version": version, "licence": licence, "entries": str(count), "kind": kind,
            "layout": LAYOUT,
        }  # fmt: skip
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()
    partial.replace(target)
    return read_info(target)


def read_info(path: Path) -> IndexInfo:
    """The meta of the index at `path`; raises sqlite3.DatabaseError or KeyError when it is
    not one."""
    with sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) as db:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    if meta.get("layout") != LAYOUT:
        raise ValueError(f"{path.name}: an index of another layout (opad dictionaries add again)")
    return IndexInfo(
        path, meta["language"], meta["explain_in"], meta["source"], meta["title"],
        meta["version"], int(meta["entries"]), meta["kind"],
    )  # fmt: skip


def find_indexes(folders: Iterable[Path]) -> list[IndexInfo]:
    """Every readable index in `folders`; of several versions of one dictionary, the newest
    file only. Files that are not indexes are passed over."""
    newest: dict[tuple[str, str, str], IndexInfo] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.sqlite")):
            try:
                info = read_info(path)
            except (sqlite3.DatabaseError, KeyError, ValueError):
                continue
            key = (info.language, info.explain_in, info.source)
            old = newest.get(key)
            if old is None or path.stat().st_mtime > old.path.stat().st_mtime:
                newest[key] = info
    return sorted(newest.values(), key=lambda i: (i.language, i.explain_in, i.source))


class IndexedDictionary:
    """One index, opened read-only on first use; thread-safe."""

    def __init__(self, info: IndexInfo) -> None:
        self.info = info
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def candidates(self, form: str) -> list[Candidate]:
        """Every entry `form` reaches through its key, in the dictionary's order."""
        key = fold(self.info.language, form)
        if not key:
            return []
        with self._lock:
            try:
                if self._db is None:
                    uri = f"file:{self.info.path}?mode=ro&immutable=1"
                    self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
                rows = self._db.execute(
                    "SELECT e.headword, e.senses, e.pos, e.gender, e.pronunciation, e.rank, "
                    "k.form, e.weights FROM keys k JOIN entries e ON e.id = k.entry "
                    "WHERE k.key = ? "
                    "ORDER BY e.id LIMIT ?",
                    (key, MAX_CANDIDATES),
                ).fetchall()
            except sqlite3.Error:
                # Replaced by a newer version under a running API: the next lookup finds
                # the new file; this one answers as if the word were not there.
                return []
        return [
            Candidate(
                head,
                tuple(json.loads(senses)),
                pos,
                gender,
                ipa,
                rank,
                spelled,
                weights=tuple(json.loads(weights)),
            )  # fmt: skip
            for head, senses, pos, gender, ipa, rank, spelled, weights in rows
        ]

    def close(self) -> None:
        """Close the file (a later lookup opens it again)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def dictd_entries(
    index: Path, data: Path, parse: Callable[[str], list[Candidate]]
) -> Iterator[tuple[list[str], Candidate]]:
    """(spellings, candidate) of every entry of a dictd database, each entry parsed once
    (an entry is listed in the index under each of its headwords). The candidate's
    `form` is the index's spelling when it differs from the headword (a kana reading)."""
    by_place: dict[tuple[int, int], list[str]] = {}
    with open(index, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if (
                len(fields) < 3
                or fields[0].startswith("00-database")
                or fields[0].startswith("00database")
            ):
                continue
            try:
                place = (decode_number(fields[1]), decode_number(fields[2]))
            except KeyError:
                continue  # a damaged line: skip it, keep the others
            by_place.setdefault(place, []).append(fields[0])
    opener = gzip.open if data.suffix == ".dz" else open
    with opener(data, "rb") as f:
        raw = f.read()
    for (offset, length), spellings in by_place.items():
        text = raw[offset : offset + length].decode("utf-8", "replace")
        for candidate in parse(text):
            yield [candidate.headword, *spellings], candidate
