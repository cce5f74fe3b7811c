"""Who is the owner: the owner token, sent as `Authorization: Bearer TOKEN` or in the
`onrecord_owner` cookie that the login form sets (never part of a URL). No token sent: 401;
a wrong one: 403. Shared by the owner's pages, their corrections and the transcript page
(which shows the owner the correction forms)."""

from __future__ import annotations

from fastapi import Request

from onrecord import owner
from onrecord.serve.errors import ApiError
from onrecord.serve.service import Service

COOKIE = "onrecord_owner"


def given(request: Request) -> str | None:
    """The token the request carries: the header first, else the login cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE)


def check(request: Request, token: str | None) -> None:
    """Raise the ApiError that says why `token` is not the owner's; return when it is."""
    service: Service = request.app.state.service
    expected = owner.token(service.workspace)
    if expected is None:
        raise ApiError("no owner token is set: run `onrecord token` on the server", 401, code="no_owner_token")
    if token is None:
        raise ApiError(
            "the owner token is missing: send it as `Authorization: Bearer TOKEN`",
            401,
            code="missing_owner_token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not owner.matches(expected, token):
        raise ApiError("the owner token is wrong", 403, code="invalid_owner_token")


def is_owner(request: Request) -> bool:
    """Whether the request carries the owner token."""
    try:
        check(request, given(request))
    except ApiError:
        return False
    return True
