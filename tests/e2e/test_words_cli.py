"""`opad words` (list, export, language) against a running API."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import httpx

from tests.e2e.test_cli import run_cli
from tests.processes import Stack


def test_words_list_export_and_language(stack: Stack, tmp_path: Path) -> None:
    for word, state in (("Wiesen", "learning"), ("Haus", "known")):
        saved = httpx.post(
            f"{stack.api_url}/words",
            json={"language": "de", "word": word, "state": state, "meaning": f"m-{word}",
                  "sentence": f"Hier sind {word}."},
            timeout=60,
        )  # fmt: skip
        assert saved.status_code == 201, saved.text
    out = run_cli(stack.env, "words", "list", "--language", "German")
    assert out.returncode == 0, out.stderr
    lines = [line.split("\t") for line in out.stdout.splitlines()]
    assert ["de", "Wiese", "learning 1", "m-Wiesen"] in lines and len(lines) == 2
    out = run_cli(stack.env, "words", "list", "--state", "known", "--language", "de")
    assert [line.split("\t")[1] for line in out.stdout.splitlines()] == ["Haus"]
    out = run_cli(stack.env, "words", "list", "--state", "forgotten")
    assert out.returncode == 1 and "state" in out.stderr

    deck = tmp_path / "words.apkg"
    out = run_cli(stack.env, "words", "export", str(deck), "--state", "learning")
    assert out.returncode == 0, out.stderr
    with zipfile.ZipFile(deck) as z:
        z.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    assert [r[0].split("\x1f")[0] for r in db.execute("select flds from notes")] == [
        "Hier sind {{c1::Wiesen}}."
    ]
    db.close()
    table = tmp_path / "words.csv"
    assert run_cli(stack.env, "words", "export", str(table)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert {r["lemma"] for r in rows} == {"Wiese", "Haus"}
    assert run_cli(stack.env, "words", "export", str(tmp_path / "x.txt")).returncode == 2

    assert run_cli(stack.env, "words", "language").stdout.strip() == "en"
    assert run_cli(stack.env, "words", "language", "French").stdout.strip() == "fr"
    assert run_cli(stack.env, "words", "language").stdout.strip() == "fr"
    out = run_cli(stack.env, "words", "language", "Klingon")
    assert out.returncode == 1 and "explain_in" in out.stderr
    run_cli(stack.env, "words", "language", "en")
