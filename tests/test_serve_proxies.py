"""Proxy headers over real HTTP: believed only from `[serve] trusted_proxies`."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serve_support import running, variant

LIMIT = "rate_limit = 60\nrate_burst = 20"


def spoofed_searches(url: str, count: int) -> list[int]:
    """`count` searches from loopback, each claiming another client address."""
    chance = random.Random(16)
    statuses = []
    with httpx.Client() as client:
        for _ in range(count):
            made_up = ".".join(str(chance.randrange(1, 255)) for _ in range(4))
            response = client.get(f"{url}/api/search", params={"q": "bees"}, headers={"X-Forwarded-For": made_up})
            statuses.append(response.status_code)
    return statuses


@pytest.fixture(scope="module")
def untrusting(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running(variant(served_workspace, tmp_path_factory.mktemp("untrusting") / "ws", LIMIT)) as url:
        yield url


def test_made_up_forwarded_for_is_one_client(untrusting: str) -> None:
    statuses = spoofed_searches(untrusting, 60)
    allowed = statuses.count(200)
    # The burst of 20, and the few the rate of one a second refills while the 60 run.
    assert 20 <= allowed < 30, statuses
    assert set(statuses) == {200, 429}


def test_a_trusted_proxy_names_its_clients(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = variant(
        served_workspace, tmp_path_factory.mktemp("proxied") / "ws", LIMIT + '\ntrusted_proxies = ["127.0.0.0/8"]'
    )
    with running(root) as url:
        assert spoofed_searches(url, 60).count(200) == 60
