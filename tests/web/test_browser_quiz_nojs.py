"""Issue 33, item 13 in Chromium against the real stack: the quiz works without
JavaScript, like the rest of the site — a plain form post, a page with the score, the
right answers and their sentences, and the library's "quiz N/M"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.park_texts import TEXTS

from .conftest import BrowserPage
from .test_browser_quiz import make_reading

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_quiz_by_a_plain_form_post(
    stack_web: str, web_page: BrowserPage, new_page: Any, screenshots: Path
) -> None:
    url = make_reading(web_page.page, stack_web, "German")
    article_id = url.rsplit("/", 1)[1]
    page = new_page(java_script_enabled=False).page
    page.goto(url)
    quiz = page.locator("#quiz")
    assert quiz.is_visible()
    assert "Turn on JavaScript" not in page.locator("main").inner_text()
    questions = quiz.locator(".quiz-question")
    n = questions.count()
    assert 4 <= n <= 6
    # The first option everywhere but the last question, left unanswered.
    for i in range(n - 1):
        questions.nth(i).locator("input[type=radio]").first.check()
    quiz.get_by_role("button", name="Check my answers").click()
    page.wait_for_url(re.compile(rf"/articles/{article_id}/quiz$"))
    score = re.fullmatch(r"You got (\d) of (\d) right\.", page.locator("#quiz-score").inner_text())
    assert score and int(score[2]) == n
    feedback = page.locator(".quiz-feedback").all_inner_texts()
    assert len(feedback) == n and feedback[-1].startswith("No answer given. The answer is")
    assert page.locator(".quiz-options label.is-answer").count() == n
    text = TEXTS["German"].replace("\n\n", " ")
    for support in page.locator(".quiz-support").all_inner_texts():
        assert support.removeprefix("In the text: “").removesuffix("”") in text
    page.screenshot(path=str(screenshots / "quiz-no-javascript.png"), full_page=True)

    # Again, with the right answers: all right, and the library shows it.
    answers = [t.strip() for t in page.locator(".quiz-options label.is-answer").all_inner_texts()]
    page.get_by_role("link", name="Try again").click()
    for i, answer in enumerate(answers):
        page.locator(".quiz-question").nth(i).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Check my answers").click()
    assert page.locator("#quiz-score").inner_text() == f"You got {n} of {n} right."
    page.goto(f"{stack_web}/library")
    item = page.locator(f".library-item[data-article-id='{article_id}']")
    assert item.locator(".quiz-result").inner_text() == f"quiz {n}/{n}"
