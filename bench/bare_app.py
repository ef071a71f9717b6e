"""The baseline for the accept benchmark: a bare FastAPI endpoint that only LPUSHes.

It parses the same JSON body and does the same single Redis round trip as the heart of
POST /generate, with nothing else: no validation, no database, no status key.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import redis.asyncio
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()
client = redis.asyncio.Redis.from_url(os.environ["REDIS_URL"])


@app.post("/enqueue")
async def enqueue(body: dict[str, Any]) -> JSONResponse:
    """LPUSH the payload; answer like the API does."""
    job_id = str(uuid.uuid4())
    await client.lpush("bench:bare", json.dumps({"job_id": job_id, "inputs": body}))
    return JSONResponse({"job_id": job_id}, status_code=202)


@app.get("/health")
async def health() -> dict[str, str]:
    """Ready check."""
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run(
        app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning", access_log=False
    )
