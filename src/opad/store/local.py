"""A content store in a local folder."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from opad.store.base import checked_id, checked_name


class LocalStore:
    """Files under `root/articles/<id>/`; each write goes to a temp file renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _dir(self, article_id: str) -> Path:
        # Ids come from the protocol too: refuse anything that could walk out of the root.
        return self.root / "articles" / checked_id(article_id)

    def _write(self, path: Path, text: str | bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        data = text.encode("utf-8") if isinstance(text, str) else text
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def put(self, article_id: str, markdown: str, result_json: str) -> str:
        """Write result.json first, article.md last: the markdown appearing means complete."""
        folder = self._dir(article_id)
        self._write(folder / "result.json", result_json)
        self._write(folder / "article.md", markdown)
        return f"articles/{article_id}"

    def _read(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def get_markdown(self, article_id: str) -> str | None:
        """The article's markdown, or None."""
        return self._read(self._dir(article_id) / "article.md")

    def get_result(self, article_id: str) -> str | None:
        """The article's structured result JSON, or None."""
        return self._read(self._dir(article_id) / "result.json")

    def put_reading(self, article_id: str, reading_json: str) -> None:
        """Write reading.json."""
        self._write(self._dir(article_id) / "reading.json", reading_json)

    def get_reading(self, article_id: str) -> str | None:
        """The article's reading.json, or None."""
        return self._read(self._dir(article_id) / "reading.json")

    def put_audio(self, article_id: str, name: str, audio: bytes, meta_json: str) -> None:
        """Write the audio file, then audio.json naming it."""
        folder = self._dir(article_id)
        self._write(folder / checked_name(name), audio)
        self._write(folder / "audio.json", meta_json)

    def get_audio_meta(self, article_id: str) -> str | None:
        """The article's audio.json, or None."""
        return self._read(self._dir(article_id) / "audio.json")

    def read_audio(self, article_id: str, name: str, first: int, last: int) -> bytes | None:
        """Bytes first…last (inclusive) of the audio file, or None if it is absent."""
        try:
            with (self._dir(article_id) / checked_name(name)).open("rb") as fh:
                fh.seek(first)
                return fh.read(max(0, last - first + 1))
        except FileNotFoundError:
            return None

    def delete_object(self, article_id: str, name: str) -> None:
        """Remove one file of the article's folder."""
        (self._dir(article_id) / checked_name(name)).unlink(missing_ok=True)

    def delete(self, article_id: str) -> None:
        """Remove the article's folder."""
        shutil.rmtree(self._dir(article_id), ignore_errors=True)

    def ping(self) -> None:
        """Check that the folder is writable."""
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / f".ping-{uuid.uuid4().hex}"
        probe.write_text("ok")
        probe.unlink()
