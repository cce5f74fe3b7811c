"""A seeded slice of the HTTP fuzz (tests/http_fuzz.py) against the real app, in-process:
no 5xx, and every API error in OpenAI's shape. benchmarks/fuzz_http.py runs 10,000+ cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from starlette.testclient import TestClient

from onrecord.serve import create_app
from tests.http_fuzz import SETTINGS, Request, check, odd_questions, requests, send
from tests.serve_support import variant


@pytest.fixture(scope="module")
def client(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = variant(served_workspace, tmp_path_factory.mktemp("fuzz") / "ws", SETTINGS)
    with TestClient(create_app(root), raise_server_exceptions=False) as running:
        yield running


def _sources(client: TestClient) -> list[str]:
    return [s["id"] for s in client.get("/api/sources").json()["sources"]]


def test_every_endpoint_survives_mutated_requests(client: TestClient) -> None:
    sources = _sources(client)
    seen: set[int] = set()

    @settings(
        max_examples=400,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(requests(["mara"], sources))
    def case(request: Request) -> None:
        response = send(client, request)
        seen.add(response.status_code)
        check(request, response.status_code, response.headers.get("content-type", ""), response.content)

    case()
    # The slice reaches both answers and refusals, not only one kind.
    assert 200 in seen and 400 in seen and 404 in seen


def test_odd_characters_in_questions_and_history(client: TestClient) -> None:
    statuses: set[int] = set()

    @settings(max_examples=150, derandomize=True, deadline=None, database=None)
    @given(odd_questions(["mara"]))
    def case(request: Request) -> None:
        response = send(client, request)
        statuses.add(response.status_code)
        check(request, response.status_code, response.headers.get("content-type", ""), response.content)

    case()
    # Some are refused (lone surrogates), and the others are answered.
    assert {200, 400} <= statuses


@pytest.mark.parametrize(
    "request_",
    [
        Request("POST", "/api/agents/mara/ask", {"content-type": "application/json"}, b'{"question": "\\udfff"}'),
        Request("POST", "/v1/chat/completions", {"content-type": "application/json"}, b'{"model": "\\ud800"}'),
        Request("GET", "/api/search?q=%ED%A0%80", {"x-forwarded-for": "\xff"}),
        Request("POST", "/owner/login", {"content-type": "application/x-www-form-urlencoded"}, b"token=%ED%A0%80"),
    ],
)
def test_known_hard_cases(client: TestClient, request_: Request) -> None:
    response = send(client, request_)
    check(request_, response.status_code, response.headers.get("content-type", ""), response.content)
