"""The web process holds no language analyzer: importing and running it — showing a
Japanese and a Chinese reading with every word clickable, marking a reading's words known —
imports none of Kiwi, SudachiPy, jieba, simplemma, wordfreq (or pypinyin, the Korean
romanizer). It lays the tokens the worker stored; it never tokenizes.

A process of its own: this test process has loaded the analyzers (it stands in for the
worker that analyzed the readings).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from opad.reading.layout import article_markdown
from opad.reading.model import Source, VocabularyItem
from tests.readings import body_of

ROOT = Path(__file__).resolve().parents[2]
ANALYZERS = ("kiwipiepy", "sudachipy", "sudachidict_core", "jieba", "simplemma", "wordfreq",
             "pypinyin", "korean_romanizer")  # fmt: skip

SCRIPT = r"""
import json, sys
import httpx
from opad.settings import Settings
from opad.web.app import create_app
from tests.processes import ServerThread
from tests.web.fake_api import FakeApi, create_fake_api

readings = json.load(open(sys.argv[1]))
state = FakeApi()
ids = []
for item in readings:
    article = state.add_article(content=item["markdown"], language=item["language"],
                                vocabulary=item["vocabulary"], title=item["title"])
    state.readings[article["id"]] = item["reading"]
    ids.append(article["id"])
with ServerThread(create_fake_api(state)) as api:
    settings = Settings(_env_file=None, OPAD_API_URL=api.url)
    with ServerThread(create_app(settings)) as web, httpx.Client(base_url=web.url) as http:
        pages = []
        for ident in ids:
            page = http.get(f"/articles/{ident}")
            pages.append({"status": page.status_code, "words": page.text.count('class="w ')})
print(json.dumps({"pages": pages,
                  "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def test_showing_cjk_readings_loads_no_analyzer(tmp_path: Path) -> None:
    readings = []
    for language, title, text, word in (
        ("Japanese", "図書館", "私は昨日、図書館で本を借りました。田中さんも来ました。", "図書館"),
        ("Chinese", "图书馆", "我昨天去了图书馆，借了三本书。老师也来了。", "图书馆"),
    ):
        vocabulary = [VocabularyItem(word=word, lemma=word, level="A2")]
        source = Source(name="OPAD starter library", date="2026-04-18")
        markdown = article_markdown(title, source, text, vocabulary)
        reading = body_of(language, markdown, vocabulary).to_json()
        items = [v.model_dump() for v in vocabulary]
        readings.append({"language": language, "title": title, "markdown": markdown,
                         "reading": reading, "vocabulary": items})  # fmt: skip
    data = tmp_path / "readings.json"
    data.write_text(json.dumps(readings, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert [(p["status"], p["words"] >= 8) for p in report["pages"]] == [(200, True)] * 2
    assert not set(report["loaded"]) & set(ANALYZERS), sorted(
        set(report["loaded"]) & set(ANALYZERS)
    )
