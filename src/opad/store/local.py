"""A content store in a local folder."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from opad.store.base import checked_id


class LocalStore:
    """Files under `root/articles/<id>/`; each write goes to a temp file renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _dir(self, article_id: str) -> Path:
        # Ids come from the protocol too: refuse anything that could walk out of the root.
        return self.root / "articles" / checked_id(article_id)

    def _write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
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

    def delete(self, article_id: str) -> None:
        """Remove the article's folder."""
        shutil.rmtree(self._dir(article_id), ignore_errors=True)

    def ping(self) -> None:
        """Check that the folder is writable."""
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / f".ping-{uuid.uuid4().hex}"
        probe.write_text("ok")
        probe.unlink()
