"""The web's routes over real HTTP, in front of a fake API that is itself a real server."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from .fake_api import FAIL_STEPS, FakeApi

GOOD_FORM = {"language": "German", "level": "B2", "length": "300", "topic": "city parks"}


def test_health(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_generate_form_lists_languages_and_levels_with_labels(client: httpx.Client) -> None:
    html = client.get("/").text
    assert '<option value="German"' in html and "German — Deutsch" in html
    for code in ("A1", "A2", "B1", "B2", "C1", "C2"):
        assert f'value="{code}"' in html and f"description of {code}" in html
    # Every control has a label: text inputs by for=id, radios by wrapping label.
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert f'<label for="{control_id}"' in html, control_id
    assert 'name="source_text"' in html and 'name="source_url"' in html


def test_generate_posts_to_the_api_and_redirects_to_the_job(
    client: httpx.Client, fake: FakeApi
) -> None:
    response = client.post("/generate", data=GOOD_FORM)
    assert response.status_code == 303
    job_id = response.headers["location"].removeprefix("/jobs/")
    assert job_id in fake.jobs
    article = fake.articles[fake.jobs[job_id]["article_id"]]
    assert (article["language"], article["level"], article["length"]) == ("German", "B2", 300)


def test_api_input_errors_appear_next_to_their_fields(client: httpx.Client) -> None:
    form = {**GOOD_FORM, "language": "Klingon", "length": "5", "topic": "my <b>topic</b>"}
    response = client.post("/generate", data=form)
    assert response.status_code == 422
    html = response.text
    assert re.search(r'id="length"[^>]*aria-invalid="true"', html)
    assert '<p class="field-error" id="length-error">must be between 50' in html
    assert '<p class="field-error" id="language-error">unsupported language' in html
    assert 'value="my &lt;b&gt;topic&lt;/b&gt;"' in html  # kept, and escaped
    assert 'value="5"' in html


def test_a_model_level_error_is_shown_above_the_form(client: httpx.Client) -> None:
    response = client.post("/generate", data={**GOOD_FORM, "topic": ""})
    assert response.status_code == 422
    alert = response.text.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "a topic or a source is required" in alert


def test_own_text_is_sent_and_the_section_reopens_on_error(
    client: httpx.Client, fake: FakeApi
) -> None:
    response = client.post(
        "/generate", data={**GOOD_FORM, "topic": "", "source_text": "Mein Text.\nZeile 2"}
    )
    assert response.status_code == 303
    response = client.post("/generate", data={**GOOD_FORM, "length": "x", "source_url": "u"})
    assert '<details class="own-text" open>' in response.text


def test_job_page_shows_progress_and_message(client: httpx.Client, fake: FakeApi) -> None:
    job_url = client.post("/generate", data=GOOD_FORM).headers["location"]
    html = client.get(job_url).text
    assert re.search(r'<progress id="job-progress" max="100" value="\d+"', html)
    assert 'id="job-message"' in html and 'role="status"' in html
    assert f'data-events-url="{job_url}/events"' in html
    assert f'data-status-url="{job_url}/status.json"' in html


def test_status_json_maps_the_api_job(client: httpx.Client, fake: FakeApi) -> None:
    job_url = client.post("/generate", data=GOOD_FORM).headers["location"]
    status = client.get(f"{job_url}/status.json").json()
    assert status["id"] == job_url.rsplit("/", 1)[1]
    assert status["article_url"] == f"/articles/{status['article_id']}"
    assert client.get("/jobs/nope/status.json").status_code == 404


def test_events_are_relayed_in_order_and_the_stream_closes(
    client: httpx.Client, fake: FakeApi
) -> None:
    job_url = client.post("/generate", data=GOOD_FORM).headers["location"]
    events, comments = [], 0
    with client.stream("GET", f"{job_url}/events", timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        name = None
        for line in response.iter_lines():  # ends only when the web closes the stream
            if line.startswith(":"):
                comments += 1
            elif line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((name, json.loads(line.removeprefix("data: "))))
    assert {name for name, _ in events} == {"status"}
    progress = [data["progress"] for _, data in events]
    # The first event is the status when the stream opened (the fake's job may have moved
    # on by then on a loaded machine); then every change, in order, to the end.
    assert progress == sorted(progress) and progress[0] < 100 and progress[-1] == 100
    assert [data["status"] for _, data in events][-1] == "succeeded"
    assert len(events) == 5
    assert comments >= 1  # the heartbeats pass through too


def test_events_of_an_unknown_job_are_404(client: httpx.Client) -> None:
    assert client.get("/jobs/unknown-job/events").status_code == 404


def test_a_failed_job_shows_its_error_and_try_again(client: httpx.Client, fake: FakeApi) -> None:
    article = fake.add_article(content=None, status="queued")
    job_id = fake.start_job(article["id"], FAIL_STEPS)
    fake.jobs[job_id]["t0"] -= 10  # long finished
    html = client.get(f"/jobs/{job_id}").text
    failed = html.split('id="job-failed"', 1)[1].split("</div>", 1)[0]
    assert " hidden" not in failed.split(">", 1)[0]
    assert "The news source could not be reached" in failed
    assert f'action="/articles/{article["id"]}/generate"' in failed

    response = client.post(f"/articles/{article['id']}/generate")
    assert response.status_code == 303
    new_job = response.headers["location"].removeprefix("/jobs/")
    assert new_job != job_id and fake.articles[article["id"]]["latest_job_id"] == new_job


def test_try_again_that_the_api_refuses_says_why_not_500(
    client: httpx.Client, fake: FakeApi
) -> None:
    article = fake.add_article(content=None, status="failed", language="Portuguese")
    response = client.post(f"/articles/{article['id']}/generate")
    assert response.status_code == 422
    assert "This reading cannot be made" in response.text
    assert "There are no Portuguese texts to choose from yet." in response.text
    assert fake.articles[article["id"]].get("latest_job_id") is None


def test_try_again_on_an_unknown_article_is_404(client: httpx.Client) -> None:
    assert client.post("/articles/missing/generate").status_code == 404


def test_reader_renders_sanitized_markdown_with_vocabulary(
    client: httpx.Client, fake: FakeApi
) -> None:
    hostile = (
        "# Park <script>alert(1)</script>\n\nThe park has benches.<script>alert(2)</script>\n\n"
        "<img src=x onerror=alert(3)> [x](javascript:alert(4)) <a href='javascript:alert(5)'>y</a>"
        ' <p style="color:red" onclick="alert(6)">Native species</p> [ok](https://example.org)\n'
        "\n## Vocabulary\n\n- benches\n"
    )
    article = fake.add_article(content=hostile, title="Park Title")
    html = client.get(f"/articles/{article['id']}").text
    body = html.split('class="article-body"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "<img" not in body and "onclick" not in body
    assert "style=" not in body and 'href="javascript' not in body
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in body
    # Vocabulary links keep their popover; every word inside and outside them is selectable
    # (issue 12), with the lemma the server found (the fake API has no saved words).
    assert (
        '<a class="vocab" href="#vocab-0" data-vocab="0"><span class="w s-unknown" '
        'data-l="bench" data-s="0" tabindex="-1">benches</span></a>'
    ) in body
    assert '<a class="vocab" href="#vocab-1" data-vocab="1"><span class="w s-unknown"' in body
    assert '<span class="w s-unknown" data-l="park" data-s="0" tabindex="-1">park</span>' in body
    assert "Vocabulary" not in body  # the engine's list is replaced by ours
    assert '<div class="vocab-entry" id="vocab-0"' in html and "long seats" in html
    assert '<h1 id="article-title" lang="en" dir="auto">Park Title</h1>' in html
    assert '<details class="usage">' in html and "Model offline" in html
    assert "18 April 2026" in html and "17 words" in html and ">B1<" in html


def test_reader_of_an_article_in_progress_links_to_its_job(
    client: httpx.Client, fake: FakeApi
) -> None:
    job_url = client.post("/generate", data={**GOOD_FORM, "topic": "slow"}).headers["location"]
    article_id = client.get(f"{job_url}/status.json").json()["article_id"]
    html = client.get(f"/articles/{article_id}").text
    assert f'href="{job_url}"' in html and "still being made" in html


@pytest.mark.parametrize("path", ["/articles/missing", "/jobs/missing", "/nowhere", "/jobs/a.b"])
def test_unknown_things_get_the_404_page(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text and "Traceback" not in response.text


def test_library_lists_newest_first_with_links_by_status(
    client: httpx.Client, fake: FakeApi
) -> None:
    old = fake.add_article(title="Old one")
    new = fake.add_article(title="New one")
    running = client.post("/generate", data={**GOOD_FORM, "topic": "slow"}).headers["location"]
    html = client.get("/library").text
    assert html.index("New one") < html.index("Old one")
    assert f'href="/articles/{old["id"]}"' in html and f'href="/articles/{new["id"]}"' in html
    assert f'href="{running}"' in html and "in progress" in html
    assert "3 readings" in html


def test_library_filters_are_passed_to_the_api_and_kept(
    client: httpx.Client, fake: FakeApi
) -> None:
    fake.add_article(title="English B1")
    fake.add_article(title="German C1", language="German", level="C1")
    html = client.get("/library", params={"language": "German", "level": "C1"}).text
    assert "German C1" in html and "English B1" not in html
    assert '<option value="German" selected>' in html and '<option value="C1" selected>' in html


def test_library_status_filter_offers_each_label_once_and_in_progress_is_both(
    client: httpx.Client, fake: FakeApi
) -> None:
    """ "in progress" is the label of two statuses (waiting, being made): one option, and
    choosing it lists both kinds of reading, not the ready ones."""
    fake.add_article(title="Waiting one", status="queued")
    fake.add_article(title="Being made", status="running")
    fake.add_article(title="Ready one")
    fake.add_article(title="Failed one", status="failed")
    html = client.get("/library").text
    select = html[
        html.index('id="filter-status"') : html.index("</select>", html.index('id="filter-status"'))
    ]
    labels = re.findall(r"<option[^>]*>([^<]+)</option>", select)
    assert labels == ["Any status", "Ready", "in progress", "Failed", "Cancelled"], labels
    assert len(labels) == len(set(labels))
    chosen = client.get("/library", params={"status": "in_progress"}).text
    assert "Waiting one" in chosen and "Being made" in chosen
    assert "Ready one" not in chosen and "Failed one" not in chosen
    assert '<option value="in_progress" selected>' in chosen
    # Older links with one of the two statuses still work, and show the option chosen.
    queued = client.get("/library", params={"status": "queued"}).text
    assert "Waiting one" in queued and "Being made" not in queued
    assert '<option value="in_progress" selected>' in queued
    assert "Failed one" in client.get("/library", params={"status": "Failed"}).text


def test_library_paginates(client: httpx.Client, fake: FakeApi) -> None:
    for n in range(45):
        fake.add_article(title=f"Reading number {n}")
    first = client.get("/library", params={"level": "B1"}).text
    assert "page 1 of 3" in first and "Reading number 44" in first
    assert 'href="/library?level=B1&amp;page=2"' in first and 'rel="prev"' not in first
    last = client.get("/library", params={"level": "B1", "page": "3"}).text
    assert "Reading number 0<" in last and 'rel="next"' not in last and 'rel="prev"' in last
    assert client.get("/library", params={"page": "junk"}).status_code == 200


def test_delete_needs_confirmation_without_javascript(client: httpx.Client, fake: FakeApi) -> None:
    article = fake.add_article(title="Doomed")
    response = client.post(f"/articles/{article['id']}/delete", data={"next": "/library?page=2"})
    assert response.status_code == 303 and article["id"] in fake.articles
    confirm = client.get(response.headers["location"])
    assert "Delete “Doomed”?" in confirm.text and 'name="confirmed" value="yes"' in confirm.text
    assert 'name="next" value="/library?page=2"' in confirm.text

    done = client.post(
        f"/articles/{article['id']}/delete", data={"confirmed": "yes", "next": "/library?page=2"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/library?page=2"
    assert article["id"] not in fake.articles
    assert ("DELETE", f"/articles/{article['id']}") in fake.requests


def test_delete_never_redirects_off_site(client: httpx.Client, fake: FakeApi) -> None:
    article = fake.add_article()
    response = client.post(
        f"/articles/{article['id']}/delete",
        data={"confirmed": "yes", "next": "https://evil.example/"},
    )
    assert response.headers["location"] == "/library"


def test_cross_site_posts_are_refused(client: httpx.Client, fake: FakeApi) -> None:
    article = fake.add_article()
    response = client.post(
        f"/articles/{article['id']}/delete",
        data={"confirmed": "yes"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403 and article["id"] in fake.articles


@pytest.mark.parametrize("path", ["/", "/library", "/articles/abc", "/jobs/abc"])
def test_api_unreachable_gives_a_friendly_503(
    down_client: httpx.Client, dead_api_url: str, path: str
) -> None:
    response = down_client.get(path)
    assert response.status_code == 503
    assert "The OPAD API is not reachable" in response.text
    assert dead_api_url in response.text and "Traceback" not in response.text


def test_api_unreachable_on_post_and_json(down_client: httpx.Client, dead_api_url: str) -> None:
    assert down_client.post("/generate", data=GOOD_FORM).status_code == 503
    status = down_client.get("/jobs/abc/status.json")
    assert status.status_code == 503 and dead_api_url in status.json()["detail"]
    assert down_client.get("/jobs/abc/events").status_code == 503


def test_api_reporting_503_gives_the_same_page(client: httpx.Client, fake: FakeApi) -> None:
    fake.down = True
    response = client.get("/library")
    assert response.status_code == 503 and "Redis is not reachable" in response.text


def test_pages_carry_security_headers_and_serve_static_files(client: httpx.Client) -> None:
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    for name in ("style.css", "app.js"):
        url = re.search(rf'"(/static/{re.escape(name)}\?v=\w+)"', response.text).group(1)
        assert client.get(url).status_code == 200


def test_reader_shows_what_a_reading_cost_when_prices_are_set(
    client: httpx.Client, fake: FakeApi
) -> None:
    usage = {"model": "openai/gpt-4.1-mini", "prompt_tokens": 7000, "completion_tokens": 900}
    priced = fake.add_article(usage=usage | {"total_tokens": 7900, "cost_usd": 0.00424})
    html = client.get(f"/articles/{priced['id']}").text
    assert "This reading cost about <strong>$0.0042</strong>" in html
    unpriced = fake.add_article(usage=usage | {"total_tokens": 7900, "cost_usd": None})
    assert "This reading cost" not in client.get(f"/articles/{unpriced['id']}").text


def test_usage_page_adds_up_the_readings_and_says_what_has_no_price(
    client: httpx.Client, fake: FakeApi
) -> None:
    assert "None of your readings used a language model yet" in client.get("/usage").text
    usage = {"model": "openai/gpt-4.1-mini", "prompt_tokens": 7000, "completion_tokens": 900}
    fake.add_article(usage=usage | {"total_tokens": 7900, "cost_usd": 0.0042})
    fake.add_article(usage=usage | {"total_tokens": 7900, "cost_usd": 0.0042})
    fake.add_article(usage=usage | {"total_tokens": 7900, "cost_usd": None})
    html = client.get("/usage").text
    assert "3 readings made with a language model" in html
    assert "<strong>23700</strong> tokens" in html and "about <strong>$0.0084</strong>" in html
    assert "1 of them used a model this OPAD has no price for" in html
    assert "<td>2026-04</td><td>3</td><td>23700</td><td>$0.0084</td>" in html
