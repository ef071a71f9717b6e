"""One place that turns errors into JSON: 422 names the field, 503 names the dependency."""

from __future__ import annotations

import logging
from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from opad.errors import OpadError
from opad.http_methods import allowed_methods
from opad.queue.checks import is_out_of_memory

log = logging.getLogger("opad.api")


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _validation_fields(exc: RequestValidationError) -> list[dict[str, str]]:
    fields = []
    for err in exc.errors():
        message = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        field = _field_name(tuple(err.get("loc", ())))
        if field == "body" and ": " in message:
            # Model-level checks name their field as "field: problem".
            field, message = message.split(": ", 1)
        if err.get("type") == "missing":
            message = "is required"
        fields.append({"field": field, "message": message})
    return fields


def _body(error: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail, **extra}


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _validation_fields(exc)
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return JSONResponse(_body("invalid input", detail, fields=fields), status_code=422)

    @app.exception_handler(OpadError)
    async def domain(_: Request, exc: OpadError) -> JSONResponse:
        headers: dict[str, str] | None = None
        if exc.retry_after is not None:
            headers = {"Retry-After": str(exc.retry_after)}
        elif exc.status_code == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        extra = {}
        if exc.field:
            # Checks made past validation (e.g. a refused source_url) name their field too.
            extra["fields"] = [{"field": exc.field, "message": exc.detail.split(": ", 1)[-1]}]
        return JSONResponse(
            _body(exc.error, exc.detail, **extra), status_code=exc.status_code, headers=headers
        )

    @app.exception_handler(redis.RedisError)
    async def queue_down(_: Request, exc: redis.RedisError) -> JSONResponse:
        log.warning("Redis unavailable: %s", exc)
        detail = f"Redis did not answer: {exc}"
        if is_out_of_memory(exc):
            detail = f"Redis is full and refuses new jobs (raise its maxmemory): {exc}"
        return JSONResponse(
            _body("queue unavailable", detail),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(SQLAlchemyTimeoutError)
    async def pool_exhausted(_: Request, exc: SQLAlchemyTimeoutError) -> JSONResponse:
        # Every pooled connection busy for OPAD_DB_TIMEOUT: the database is as good as down.
        log.warning("database pool exhausted: %s", exc)
        return JSONResponse(
            _body("database unavailable", "no database connection was free in time"),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(DBAPIError)
    async def database_down(_: Request, exc: DBAPIError) -> JSONResponse:
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            log.warning("database unavailable: %s", exc.orig)
            return JSONResponse(
                _body("database unavailable", f"the database did not answer: {exc.orig}"),
                status_code=503,
                headers={"Retry-After": "5"},
            )
        if isinstance(exc, DataError):
            # A value the database cannot hold (too long, NUL, out of range): the request's
            # fault, whichever check let it through; never a 500.
            log.warning("the database refused a value: %s", exc.orig)
            return JSONResponse(
                _body("invalid input", f"the database refused a value: {exc.orig}"),
                status_code=422,
            )
        log.exception("database error")
        return JSONResponse(_body("internal error", "a database error occurred"), status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            # A body that is not even text: as invalid as any other bad input.
            detail = "body: is not valid JSON"
            return JSONResponse(
                _body("invalid input", detail, fields=[{"field": "body", "message": detail}]),
                status_code=422,
            )
        error = {404: "not found", 405: "method not allowed"}.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return JSONResponse(
            _body(error, str(exc.detail)), status_code=exc.status_code, headers=headers
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Logged with its traceback for us; the caller gets JSON, never a stack trace.
        log.exception("unhandled error")
        return JSONResponse(
            _body("internal error", "an unexpected error occurred"), status_code=500
        )
