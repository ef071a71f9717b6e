"""`opad daily …` (your daily plans and feed) and `opad today` (today's reading).

A client of the API like the web: it sends the token `opad login` stored (or OPAD_TOKEN).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from opad.cli.words import ApiUrl, _call
from opad.settings import get_settings

daily_app = typer.Typer(help="Your daily readings: plans (one per language) and your feed.")


def _plan_line(plan: dict[str, Any]) -> str:
    state = "on" if plan["active"] else "off"
    coverage = f", {round(plan['coverage'] * 100)}% known words" if plan["coverage"] else ""
    return (
        f"{plan['language']}\t{state}\t{plan['level']}, {plan['length']} words{coverage}, "
        f"by {plan['at_time']} ({plan['time_zone']})\ttopics: {', '.join(plan['topics'])}"
    )


@daily_app.command("set")
def set_plan(
    language: Annotated[str, typer.Argument(help="Language name or code, e.g. German or de")],
    level: Annotated[str, typer.Option(help="CEFR level A1…C2")] = "B1",
    length: Annotated[int, typer.Option(help="Length in words")] = 150,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", "-t", help="A topic (repeat: one a day)")
    ] = None,
    at: Annotated[str, typer.Option("--at", help="Ready by this local time, HH:MM")] = "07:00",
    time_zone: Annotated[
        str | None, typer.Option("--time-zone", help="e.g. Europe/Berlin (default: yours)")
    ] = None,
    coverage: Annotated[
        float, typer.Option(help="Share of words you know to aim at, percent (0: level only)")
    ] = 95.0,
    api_url: ApiUrl = None,
) -> None:
    """Make or change your daily plan for a language (it is on once set)."""
    body = {
        "level": level,
        "length": length,
        "topics": topic or ["everyday life"],
        "at_time": at,
        "time_zone": time_zone,
        "coverage": coverage or None,
        "active": True,
    }
    plan = _call(api_url, "PUT", f"/daily/plans/{language}", json=body).json()
    print(_plan_line(plan))


@daily_app.command("show")
def show_plans(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
    api_url: ApiUrl = None,
) -> None:
    """List your daily plans."""
    items = _call(api_url, "GET", "/daily/plans").json()["items"]
    if not items and not as_json:
        print("No daily plan yet: opad daily set German --level B1 --topic parks")
    for plan in items:
        print(json.dumps(plan, ensure_ascii=False, default=str) if as_json else _plan_line(plan))


def _switch(language: str, active: bool, api_url: str | None) -> None:
    plans = {p["language"]: p for p in _call(api_url, "GET", "/daily/plans").json()["items"]}
    from opad.languages import find_language

    lang = find_language(language)
    plan = plans.get(lang.name if lang else language)
    if plan is None:
        typer.secho(f"error: you have no daily plan in {language}", fg="red", err=True)
        raise typer.Exit(1)
    keep = {k: plan[k] for k in ("level", "length", "topics", "at_time", "time_zone", "coverage")}
    changed = _call(
        api_url, "PUT", f"/daily/plans/{language}", json={**keep, "active": active}
    ).json()
    print(_plan_line(changed))


@daily_app.command("on")
def plan_on(language: Annotated[str, typer.Argument()], api_url: ApiUrl = None) -> None:
    """Turn a plan on again."""
    _switch(language, True, api_url)


@daily_app.command("off")
def plan_off(language: Annotated[str, typer.Argument()], api_url: ApiUrl = None) -> None:
    """Pause a plan (its settings are kept)."""
    _switch(language, False, api_url)


@daily_app.command("delete")
def plan_delete(language: Annotated[str, typer.Argument()], api_url: ApiUrl = None) -> None:
    """Delete a plan (its readings stay in your library)."""
    _call(api_url, "DELETE", f"/daily/plans/{language}")
    print(f"deleted your daily plan in {language}")


@daily_app.command("feed")
def feed(
    revoke: Annotated[bool, typer.Option("--revoke", help="Turn the feed off")] = False,
    api_url: ApiUrl = None,
) -> None:
    """Print a new secret feed address (the old one stops working), or revoke it."""
    if revoke:
        _call(api_url, "DELETE", "/daily/feed")
        print("your feed is off; its address no longer works")
        return
    made = _call(api_url, "POST", "/daily/feed").json()
    print(made["url"])
    typer.echo("Keep it private: anyone with it can read your daily readings.", err=True)


def today(
    show: Annotated[bool, typer.Option("--show/--list", help="Print the reading itself")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="The whole answer as JSON")] = False,
    api_url: ApiUrl = None,
) -> None:
    """Print today's reading of each daily plan (and yesterday's if you have not read it)."""
    view = _call(api_url, "GET", "/daily/today").json()
    if as_json:
        print(json.dumps(view, ensure_ascii=False))
        return
    streak = view["streak"]["days"]
    if not view["readings"]:
        for soon in view["upcoming"]:
            print(f"{soon['language']}: your reading on {soon['topic']} comes by {soon['at_time']}")
        if not view["upcoming"]:
            print("Nothing today: no daily plan is on (opad daily show; opad daily set …)")
        return
    code = 0
    for item in view["readings"]:
        header = f"{item['day']} · {item['language']} {item['level']} · {item['topic']}"
        if item["status"] != "ready":
            print(f"{header}: {item['message'] or item['status']}")
            code = code or (1 if item["status"] == "failed" else 0)
            continue
        known = f" ({round(item['coverage'] * 100)}% known)" if item.get("coverage") else ""
        print(f"{header}: {item['title']}{known}")
        if show:
            from opad.cli.client import show_article, stored_token

            url = (api_url or get_settings().api_url).rstrip("/")
            show_article(url, item["article_id"], token=stored_token(url))
            _call(api_url, "POST", f"/daily/read/{item['article_id']}")
    if show:  # what was just read counts
        streak = _call(api_url, "GET", "/daily/today").json()["streak"]["days"]
    if streak:
        print(f"Streak: {streak} day{'s' if streak != 1 else ''} in a row")
    sys.exit(code)
