"""Issue 13 in Chromium against the real stack: the quiz after the text, answers checked,
the score and the right answers with their sentences, "quiz N/M" in the library — for
English, German, Spanish and French readings made by the default (offline) engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.park_texts import TEXTS

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE_URL = re.compile(r"/articles/[0-9a-f-]+$")


def make_reading(page, web: str, language: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(web)
    page.select_option("#language", language)
    page.check("input[name=level][value=A2]")
    page.fill("#length", "80")
    page.click("summary")
    page.fill("#source_text", TEXTS[language])
    page.click("button[type=submit]")
    page.wait_for_url(ARTICLE_URL, timeout=90_000)
    return str(page.url)


def right_answers(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        t.strip() for t in page.locator("#quiz .quiz-options label.is-answer").all_inner_texts()
    ]


@pytest.mark.parametrize("language", list(TEXTS))
def test_take_the_quiz_after_the_text(
    language: str, stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    page = web_page.page
    url = make_reading(page, stack_web, language)
    article_id = url.rsplit("/", 1)[1]
    quiz = page.locator("#quiz")
    quiz.wait_for(state="visible", timeout=60_000)
    # After the text, in the reading's language.
    assert page.evaluate(
        "() => !!(document.getElementById('reading').compareDocumentPosition("
        "document.getElementById('quiz')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    questions = quiz.locator(".quiz-question")
    n = questions.count()
    assert 4 <= n <= 6
    kinds = []
    for i in range(n):
        item = questions.nth(i)
        kinds.append(item.locator(".quiz-kind").inner_text())
        # A cloze shows its gap; a matching question a translation of one word.
        assert item.locator(".quiz-gap").count() == (kinds[-1] == "Fill the gap")
        statement = kinds[-1] == "True or false?"  # a sentence of the text, or one changed
        options = item.locator("input[type=radio]").count()
        assert (options == 2) if statement else (options >= 3)
    assert len(set(kinds)) >= 2  # at least two kinds of question
    # English has no bilingual dictionary into English; the others do (FreeDict).
    assert ("Which word of the text means this?" in kinds) == (language != "English")

    # Checking with no answers says which question is missing and sends nothing.
    quiz.get_by_role("button", name="Check my answers").click()
    assert "have no answer yet" in quiz.locator(".quiz-status").inner_text()

    # The first option everywhere: a score, each right answer and its sentence.
    for i in range(n):
        questions.nth(i).locator("input[type=radio]").first.check()
    quiz.get_by_role("button", name="Check my answers").click()
    score = quiz.locator("#quiz-score")
    score.wait_for()
    first_try = re.fullmatch(r"You got (\d) of (\d) right\.", score.inner_text())
    assert first_try and int(first_try[2]) == n
    assert quiz.locator(".quiz-feedback").count() == n
    supports = quiz.locator(".quiz-support").all_inner_texts()
    answers = right_answers(page)
    assert len(supports) == len(answers) == n
    text = TEXTS[language].replace("\n\n", " ")
    for answer, support in zip(answers, supports, strict=True):
        sentence = support.removeprefix("In the text: “").removesuffix("”")
        assert sentence in text and (answer in sentence or answer in ("True", "False"))
    statements = kinds.count("True or false?")
    assert statements >= 1  # a second kind of question in every language
    assert quiz.locator(".quiz-support mark").count() == n - statements
    page.screenshot(path=str(screenshots / f"quiz-{language.lower()}.png"), full_page=True)

    # Again, with the right answers this time.
    quiz.get_by_role("button", name="Try again").click()
    assert quiz.locator(".quiz-feedback").count() == 0
    for i, answer in enumerate(answers):
        questions.nth(i).get_by_label(answer, exact=True).check()
    quiz.get_by_role("button", name="Check my answers").click()
    page.wait_for_function(
        "n => (document.getElementById('quiz-score') || {}).textContent === "
        "`You got ${n} of ${n} right.`",
        arg=n,
    )
    assert quiz.locator(".quiz-feedback.wrong").count() == 0

    # The library shows the latest result; the reader remembers it.
    page.goto(f"{stack_web}/library")
    item = page.locator(f".library-item[data-article-id='{article_id}']")
    assert item.locator(".quiz-result").inner_text() == f"quiz {n}/{n}"
    if language == "English":
        page.screenshot(path=str(screenshots / "quiz-library.png"))
    page.goto(url)
    last = page.locator("#quiz .quiz-last")
    last.wait_for()
    assert last.inner_text() == f"Last time you got {n} of {n} right."
