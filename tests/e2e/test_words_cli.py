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
    article = httpx.post(
        f"{stack.api_url}/articles",
        json={"language": "German", "level": "A2", "length": 100, "topic": "Wiesen"},
        timeout=60,
    ).json()
    # The stack is shared with other tests of this process: start from no saved words.
    while items := httpx.get(f"{stack.api_url}/words", params={"limit": 500}).json()["items"]:
        for item in items:
            assert httpx.delete(f"{stack.api_url}/words/{item['id']}").status_code == 204
    for word, state in (("Wiesen", "learning"), ("Haus", "known")):
        saved = httpx.post(
            f"{stack.api_url}/words",
            json={"language": "de", "word": word, "state": state, "meaning": f"m-{word}",
                  "sentence": f"Hier sind {word}.", "article_id": article["id"]},
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
    # By default the words being learned, linked to the reader page on the web (issue 33).
    table = tmp_path / "words.csv"
    web = {**stack.env, "OPAD_WEB_URL": "http://reader.test:8123"}
    assert run_cli(web, "words", "export", str(table)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert {r["lemma"] for r in rows} == {"Wiese"}
    assert rows[0]["link"] == f"http://reader.test:8123/articles/{article['id']}"
    assert run_cli(web, "words", "export", str(table), "--all").returncode == 0
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert {r["lemma"] for r in rows} == {"Wiese", "Haus"}
    assert run_cli(web, "words", "export", str(deck), "--all").returncode == 0
    with zipfile.ZipFile(deck) as z:
        z.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    links = [r[0].split("\x1f")[3] for r in db.execute("select flds from notes")]
    db.close()
    assert len(links) == 2 and all(
        f'href="http://reader.test:8123/articles/{article["id"]}"' in link for link in links
    ), links
    assert run_cli(stack.env, "words", "export", str(tmp_path / "x.txt")).returncode == 2

    assert run_cli(stack.env, "words", "language").stdout.strip() == "en"
    assert run_cli(stack.env, "words", "language", "French").stdout.strip() == "fr"
    assert run_cli(stack.env, "words", "language").stdout.strip() == "fr"
    out = run_cli(stack.env, "words", "language", "Klingon")
    assert out.returncode == 1 and "explain_in" in out.stderr
    run_cli(stack.env, "words", "language", "en")
