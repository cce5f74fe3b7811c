"""Limits over real HTTP: body and question size, the per-client rate, CORS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from onrecord.serve.limits import RateLimiter
from tests.serve_support import running, variant

ASK = {"model": "mara", "messages": [{"role": "user", "content": "How do you keep the bees calm?"}]}


@pytest.fixture(scope="module")
def strict(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = (
        'rate_limit = 0\nmax_body_bytes = 2048\nmax_question_chars = 100\ncors_origins = ["https://shop.example"]'
    )
    with running(variant(served_workspace, tmp_path_factory.mktemp("strict") / "ws", settings)) as url:
        yield url


@pytest.fixture(scope="module")
def limited(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running(
        variant(served_workspace, tmp_path_factory.mktemp("limited") / "ws", "rate_limit = 6\nrate_burst = 2")
    ) as url:
        yield url


def test_rate_limit_gives_429_with_retry_after(limited: str) -> None:
    statuses = [httpx.post(f"{limited}/v1/chat/completions", json=ASK).status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    refused = httpx.post(f"{limited}/api/agents/mara/ask", json={"question": "Why smoke?"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limit_exceeded"
    client = openai.OpenAI(base_url=f"{limited}/v1", api_key="x", max_retries=0)
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="mara", messages=ASK["messages"])  # type: ignore[arg-type]
    # Listing models costs nothing: it is never limited.
    assert httpx.get(f"{limited}/v1/models").status_code == 200


def test_body_limit_with_and_without_a_length(strict: str) -> None:
    body = b'{"model": "mara", "messages": [{"role": "user", "content": "' + b"b" * 4000 + b'"}]}'
    declared = httpx.post(f"{strict}/v1/chat/completions", content=body, headers={"content-type": "application/json"})
    assert declared.status_code == 413 and declared.json()["error"]["code"] == "request_too_large"

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 500):
            yield body[start : start + 500]

    chunked = httpx.post(
        f"{strict}/v1/chat/completions", content=chunks(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413 and chunked.json()["error"]["code"] == "request_too_large"


def test_question_limit_is_413(strict: str) -> None:
    response = httpx.post(f"{strict}/api/agents/mara/ask", json={"question": "why " * 30})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "question_too_long"
    assert httpx.post(f"{strict}/api/agents/mara/ask", json={"question": "why " * 20}).status_code == 200


def test_cors_only_for_configured_origins(strict: str) -> None:
    allowed = httpx.get(f"{strict}/v1/models", headers={"Origin": "https://shop.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    assert "access-control-allow-credentials" not in allowed.headers
    other = httpx.get(f"{strict}/v1/models", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = httpx.options(
        f"{strict}/v1/chat/completions",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take("a")
    assert wait == pytest.approx(1.0)
    assert limiter.take("b") == 0.0, "each client has its own bucket"
    clock.now += 1.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    clock.now += 60
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0], "a bucket never holds more than the burst"
    assert limiter.take("a") > 0


def test_no_rate_means_no_limit() -> None:
    limiter = RateLimiter(per_minute=0, burst=1)
    assert all(limiter.take("a") == 0.0 for _ in range(100))
