"""Loading CrewAI so that it keeps its files under OPAD's data directory."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

_lock = threading.Lock()


def _not_token_estimate_notice(record: logging.LogRecord) -> bool:
    # CrewAI warns on every call to a model whose tokenizer it does not know (any local
    # model): one line per LLM call, nothing an operator can act on.
    return "approximate input token count" not in record.getMessage()


def crewai_dir(data_path: Path) -> Path:
    """Where CrewAI's own files go: `<data dir>/crewai`."""
    return data_path / "crewai"


def load_crewai(data_path: Path) -> None:
    """Import CrewAI once, with its storage and home-directory files under the data dir."""
    with _lock:
        root = crewai_dir(data_path)
        # CrewAI's databases go to CREWAI_STORAGE_DIR (an absolute path wins over appdirs'
        # per-user folder); it is read when a store opens, so set it even if CrewAI is
        # already loaded.
        os.environ.setdefault("CREWAI_STORAGE_DIR", str(root / "storage"))
        if "crewai" in sys.modules:
            return
        home = root / "home"
        home.mkdir(parents=True, exist_ok=True)
        # On import CrewAI writes a credential key under ~/.local/share and reads settings
        # from ~/.config; only HOME moves them. The worker imports it before any job thread
        # starts, so pointing HOME at the data dir for the import alone is safe.
        saved = os.environ.get("HOME")
        os.environ["HOME"] = str(home)
        try:
            import crewai  # noqa: F401
        finally:
            if saved is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = saved
        logging.getLogger("crewai.llms.base_llm").addFilter(_not_token_estimate_notice)
