"""`opad quiz ID`: take a reading's comprehension questions from the command line.

A client of the API like the web: it sends the token `opad login` stored (or OPAD_TOKEN).
Asks each question in turn (answer with the option's number or the word itself), then
prints the score and, for each question, the right answer and the sentence that gives it.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import typer

from opad.cli.words import ApiUrl, _call

KINDS = {
    "cloze": "Fill the gap",
    "matching": "Which word of the reading means this?",
    "multiple_choice": "Choose the right answer",
    "true_false": "True or false?",
}


def _choice(options: list[str], typed: str) -> str | None:
    """The option a typed answer means: its number (1…n) or its text; None if neither."""
    typed = typed.strip()
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1]
    return next((o for o in options if o.casefold() == typed.casefold()), None)


def _ask(n: int, total: int, question: dict[str, Any]) -> str | None:
    typer.echo(f"\n{n}/{total}. {KINDS.get(question['kind'], 'Question')}")
    typer.echo(f"   {question['prompt']}")
    for i, option in enumerate(question["options"], 1):
        typer.echo(f"   {i}) {option}")
    while True:
        typed = typer.prompt(
            "Your answer (number, or Enter to skip)", default="", show_default=False
        )
        if not typed.strip():
            return None
        choice = _choice(question["options"], typed)
        if choice is not None:
            return choice
        typer.echo(f"   Please type a number from 1 to {len(question['options'])}.")


def quiz(
    article_id: Annotated[
        str, typer.Argument(help="The reading's id (`opad generate` printed it)")
    ],
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            "-a",
            help="Answer without being asked: QUESTION=CHOICE (e.g. q1=2 or q1=Wiese); repeat",
        ),
    ] = None,
    api_url: ApiUrl = None,
) -> None:
    """Answer a reading's questions; prints your score and the right answers."""
    path = f"/articles/{quote(article_id, safe='')}"
    questions = _call(api_url, "GET", f"{path}/questions").json()["questions"]
    if not questions:
        typer.echo("This reading has no questions.")
        raise typer.Exit(0)
    answers = []
    if answer:
        by_id = {q["id"]: q for q in questions}
        for given in answer:
            qid, _, typed = given.partition("=")
            q = by_id.get(qid.strip())
            choice = _choice(q["options"], typed) if q else None
            if choice is None:
                typer.secho(
                    f"error: --answer {given!r}: no such question or option", fg="red", err=True
                )
                raise typer.Exit(2)
            answers.append({"question_id": q["id"], "choice": choice})  # type: ignore[index]
    else:
        for n, q in enumerate(questions, 1):
            choice = _ask(n, len(questions), q)
            if choice is not None:
                answers.append({"question_id": q["id"], "choice": choice})
    scored = _call(api_url, "POST", f"{path}/answers", json={"answers": answers}).json()
    typer.echo(f"\nScore: {scored['score']}/{scored['total']}")
    for n, result in enumerate(scored["results"], 1):
        mark = "right" if result["correct"] else "wrong"
        yours = (
            f" (you chose {result['choice']})" if result["choice"] and not result["correct"] else ""
        )
        typer.echo(f"{n}. {mark}: {result['answer']}{yours}")
        typer.echo(f"   In the text: {result['support']}")
