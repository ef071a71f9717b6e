"""`opad quiz` against a running API and worker: ask, score, right answers with sentences."""

from __future__ import annotations

import re
import subprocess

import httpx

from tests.processes import OPAD, Stack, wait_until

TEXT = (
    "The town opened a large new park on Saturday morning. Hundreds of families gathered "
    "near the fountain to celebrate. The mayor praised the volunteers who planted thousands "
    "of trees. She said the park would reduce flooding and improve the neighbourhood.\n\n"
    "Engineers designed wetlands that absorb heavy rain. Residents hope the project will "
    "attract visitors and support local businesses. Children played on the grass while "
    "their parents listened to music. The council promised to open two more parks next year."
)


def quiz(stack: Stack, *args: str, answers: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPAD, "quiz", *args],
        env={**stack.env, "COLUMNS": "100"},
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_take_a_quiz_from_the_command_line(stack: Stack) -> None:
    body = {"language": "English", "level": "A2", "length": 80, "topic": "parks",
            "source_text": TEXT}  # fmt: skip
    accepted = httpx.post(f"{stack.api_url}/generate", json=body, timeout=60).json()
    job = f"{stack.api_url}/jobs/{accepted['job_id']}"
    wait_until(lambda: httpx.get(job, timeout=60).json()["status"] == "succeeded", 120, "job")
    article_id = accepted["article_id"]
    n = len(httpx.get(f"{stack.api_url}/articles/{article_id}/questions").json()["questions"])
    assert 4 <= n <= 6

    # Asked in turn: a wrong number first (asked again), then option 1 every time.
    out = quiz(stack, article_id, answers="9\n" + "1\n" * n)
    assert out.returncode == 0, out.stderr
    assert "Fill the gap" in out.stdout and "Please type a number from 1 to" in out.stdout
    score = re.search(r"Score: (\d+)/(\d+)", out.stdout)
    assert score and int(score[2]) == n
    right = re.findall(r"^\d+\. (?:right|wrong): (\S+)", out.stdout, re.M)
    sentences = re.findall(r"^   In the text: (.+)$", out.stdout, re.M)
    assert len(right) == len(sentences) == n
    for word, sentence in zip(right, sentences, strict=True):
        # A true/false statement's answer is True or False, not a word of the sentence.
        assert (word in sentence or word in ("True", "False")) and sentence in TEXT.replace(
            "\n\n", " "
        )

    # Without being asked, all right.
    given = [f"--answer=q{i}={word}" for i, word in enumerate(right, 1)]
    out = quiz(stack, article_id, *given)
    assert out.returncode == 0, out.stderr
    assert f"Score: {n}/{n}" in out.stdout

    out = quiz(stack, article_id, "--answer=q1=not-an-option")
    assert out.returncode == 2 and "q1=not-an-option" in out.stderr
    out = quiz(stack, "0000-unknown")
    assert out.returncode == 1 and "0000-unknown" in out.stderr
