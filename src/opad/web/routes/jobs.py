"""The job page: live progress (SSE relayed from the API, or polling), failure and retry."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from opad.queue.status import LiveStatus
from opad.states import TERMINAL
from opad.web.api_client import NotFound, relay
from opad.web.deps import Api, Form, page
from opad.web.failures import explain

router = APIRouter()


def job_view(job: LiveStatus) -> dict[str, Any]:
    """The job JSON the page's script reads, with the article's address added and, for a
    failed job, its reason and what to try in the learner's words (web/failures.py)."""
    view = {**job.document(), "article_url": f"/articles/{quote(job.article_id, safe='')}"}
    if view.get("status") == "failed":
        view["reason"], view["advice"] = explain(view.get("error") or view.get("message"))
    return view


@router.get("/jobs/{job_id}")
async def job_page(request: Request, job_id: str, api: Api) -> Response:
    """The progress page of one job."""
    job = job_view(await api.job(job_id))
    try:
        article = await api.article(job["article_id"])
    except NotFound:
        article = None  # deleted while its job ran: the page still shows the job
    context = {"job": job, "article": article, "terminal": job["status"] in TERMINAL}
    return page(request, "job.html", context)


@router.get("/jobs/{job_id}/status.json")
async def job_status(job_id: str, api: Api) -> dict[str, Any]:
    """The job's status for the page's polling fallback (the API's GET /jobs/{id})."""
    return job_view(await api.job(job_id))


@router.get("/jobs/{job_id}/events")
async def job_events(job_id: str, api: Api) -> Response:
    """The API's SSE stream of this job, relayed so the browser only talks to this origin."""
    upstream = await api.open_events(job_id)
    return StreamingResponse(
        relay(upstream),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/articles/{article_id}/generate")
async def try_again(article_id: str, api: Api, _form: Form) -> Response:
    """Enqueue a new job for the article (the "Try again" button) and show its progress."""
    accepted = await api.regenerate(article_id)
    return RedirectResponse(f"/jobs/{quote(str(accepted['job_id']), safe='')}", status_code=303)
