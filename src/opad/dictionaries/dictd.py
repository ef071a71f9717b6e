"""Read a dictd database (`NAME.index` + `NAME.dict.dz` or `NAME.dict`) from its files.

No dictd server is needed: the index is a sorted text file (headword, base64 offset,
base64 length, tab-separated), searched by bisection over a memory map, and the data file
is dictzip (gzip with a random-access table), read with `idzip` one chunk at a time. So
opening a 500 000-line dictionary costs nothing and a lookup reads a few kilobytes.

The order of the index is dictd's (dictfmt): case-insensitive, and, unless the database
carries a `00-database-allchars` entry, ignoring every character that is neither a letter,
a digit nor a space (dictd's `compare_alnumspace`, in index.c).
"""

from __future__ import annotations

import mmap
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

_B64 = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}
# A headword has at most a few dozen entries (German "gehen": 15); a cap keeps a broken
# index from making one lookup read the whole file.
MAX_ENTRIES = 50


def decode_number(text: str) -> int:
    """A dictd base64 number ("B0" → 52); raises KeyError on a character outside base64."""
    value = 0
    for char in text:
        value = value * 64 + _B64[char]
    return value


def _alnumspace(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum() or c.isspace())


def _allchars(word: str) -> str:
    return word.lower()


@dataclass(frozen=True)
class DictdPaths:
    """The two files of one database."""

    name: str
    index: Path
    data: Path

    @classmethod
    def find(cls, folder: Path, name: str) -> DictdPaths | None:
        """The database `name` in `folder` (`.dict.dz` preferred over `.dict`), or None."""
        index = folder / f"{name}.index"
        for data in (folder / f"{name}.dict.dz", folder / f"{name}.dict"):
            if index.is_file() and data.is_file():
                return cls(name, index, data)
        return None


class DictdDatabase:
    """One dictd database; thread-safe; files opened on first use and kept open."""

    def __init__(self, paths: DictdPaths) -> None:
        self.paths = paths
        self._lock = threading.Lock()
        self._index: mmap.mmap | None = None
        self._data: IO[bytes] | None = None
        self._key = _alnumspace

    def _open(self) -> mmap.mmap:
        if self._index is None:
            with open(self.paths.index, "rb") as f:
                index = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            if index.find(b"00-database-allchars\t") >= 0:
                self._key = _allchars
            if self.paths.data.suffix == ".dz":
                import idzip  # only when a dictionary is really used

                self._data = idzip.IdzipFile(str(self.paths.data))
            else:
                self._data = open(self.paths.data, "rb")  # noqa: SIM115 - kept open
            self._index = index
        return self._index

    def _line_at(self, index: mmap.mmap, pos: int) -> tuple[int, int]:
        """(start, end) of the line containing byte `pos`."""
        start = index.rfind(b"\n", 0, pos) + 1
        end = index.find(b"\n", pos)
        return start, (len(index) if end < 0 else end)

    def _headword(self, index: mmap.mmap, start: int, end: int) -> str:
        return index[start:end].split(b"\t", 1)[0].decode("utf-8", "replace")

    def offsets(self, word: str) -> list[tuple[int, int]]:
        """(offset, length) in the data file of every entry whose headword is `word`,
        compared case-insensitively, those spelled exactly as `word` first; [] if none."""
        target = word.strip().lower()
        if not target:
            return []
        with self._lock:
            index = self._open()
            key = self._key(target)
            lo, hi = 0, len(index)
            # Bisect on byte positions: find the first line whose key is >= the target's.
            while lo < hi:
                mid = (lo + hi) // 2
                start, end = self._line_at(index, mid)
                if self._key(self._headword(index, start, end)) < key:
                    lo = end + 1
                else:
                    hi = start
            found: list[tuple[bool, int, int]] = []
            pos = lo
            while pos < len(index) and len(found) < MAX_ENTRIES:
                start, end = self._line_at(index, pos)
                fields = index[start:end].decode("utf-8", "replace").split("\t")
                if len(fields) < 3 or self._key(fields[0]) != key:
                    break
                if fields[0].lower() == target:
                    try:
                        offset, length = decode_number(fields[1]), decode_number(fields[2])
                        found.append((fields[0] != word.strip(), offset, length))
                    except KeyError:
                        pass  # a damaged line: skip it, keep the others
                pos = end + 1
            # Stable sort: "gehen" before the noun "Gehen" when the reader clicked "gehen".
            return [(offset, length) for _, offset, length in sorted(found, key=lambda f: f[0])]

    def define(self, word: str) -> list[str]:
        """The text of every entry for `word` (see `offsets`), in index order."""
        texts = []
        for offset, length in self.offsets(word):
            with self._lock:
                assert self._data is not None
                self._data.seek(offset)
                raw = self._data.read(length)
            texts.append(raw.decode("utf-8", "replace"))
        return texts

    def close(self) -> None:
        """Close the files (a later lookup opens them again)."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
            if self._data is not None:
                self._data.close()
                self._data = None
