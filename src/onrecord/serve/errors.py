"""Errors over HTTP: every failure leaves as OpenAI's error shape, the one place this happens.

    {"error": {"message": str, "type": str, "param": str | null, "code": str | null}}

OnrecordError carries its status; request validation (FastAPI's 422) becomes 400; anything
unexpected becomes a 500 with a plain message, its traceback kept for the server log only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from onrecord.errors import InputError, NotFoundError, OnrecordError

log = logging.getLogger("onrecord.serve")

# OpenAI's error types, by status.
_TYPES = {
    401: "authentication_error",
    403: "permission_error",
    429: "rate_limit_error",
}


class ApiError(OnrecordError):
    """A failure with the exact status, parameter and code an HTTP client should see."""

    def __init__(
        self,
        message: str,
        status: int,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.http_status = status
        self.param = param
        self.code = code
        self.headers = dict(headers or {})


def error_json(message: str, status: int, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    # A message may quote what the client sent: a lone surrogate in it must not fail the reply.
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def error_response(exc: OnrecordError) -> JSONResponse:
    if isinstance(exc, ApiError):
        body = error_json(exc.message, exc.http_status, param=exc.param, code=exc.code)
        return JSONResponse(body, status_code=exc.http_status, headers=exc.headers)
    param = exc.path if isinstance(exc, InputError) else None
    code = "not_found" if isinstance(exc, NotFoundError) else None
    return JSONResponse(error_json(str(exc), exc.http_status, param=param, code=code), status_code=exc.http_status)


def _where(loc: tuple[int | str, ...]) -> str:
    # "body" is where every field is; the client knows its fields by name.
    parts = [str(part) for part in loc if part != "body"]
    return ".".join(parts)


def validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    """One readable line for the first problem (and how many more), and the field it names."""
    errors = exc.errors()
    if not errors:
        return "the request is not valid", None
    first = errors[0]
    if first.get("type") == "json_invalid":
        return f"the request body is not valid JSON ({first.get('ctx', {}).get('error', 'parse error')})", None
    where = _where(tuple(first.get("loc", ())))
    message = str(first.get("msg", "invalid value")).lower()
    if first.get("type") == "missing":
        message = "is required"
    text = f"{where}: {message}" if where else message
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return text, where or None


def install(app: FastAPI) -> None:
    """Route every error of `app` through the one JSON shape."""

    @app.exception_handler(OnrecordError)
    async def _expected(request: Request, exc: OnrecordError) -> JSONResponse:
        if exc.http_status >= 500:
            log.error("%s %s: %s", request.method, request.url.path, exc)
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param = validation_message(exc)
        return JSONResponse(error_json(message, 400, param=param, code="invalid_request"), status_code=400)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            message = f"no such path: {request.url.path}"
        return JSONResponse(
            error_json(message, exc.status_code), status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse(error_json("the server failed to answer; see its log", 500), status_code=500)
