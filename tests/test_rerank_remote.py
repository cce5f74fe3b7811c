"""The `http` reranker against a real rerank server on loopback: both reply shapes, the key,
and every way a server can fail (each a RerankerUnavailable, so the first stage's order stays)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from onrecord.config import RerankSettings
from onrecord.errors import ConfigError
from onrecord.rerank.plugin import RerankerUnavailable, get_reranker
from onrecord.rerank.remote import RemoteReranker
from tests.rerank_server import RerankServer, rerank_server

CANDIDATES = ["The weather was grey all week.", "I use a hardwax oil on tables for kids.", "Oil and wax, mostly."]


@pytest.fixture
def server() -> Iterator[RerankServer]:
    with rerank_server() as running:
        yield running


def _reranker(server: RerankServer, timeout: float = 5.0) -> RemoteReranker:
    reranker = get_reranker(
        RerankSettings(reranker="http", url=server.url, model="test-reranker", timeout=timeout, api_key_env="RR_KEY")
    )
    assert isinstance(reranker, RemoteReranker)
    return reranker


@pytest.mark.parametrize("shape", ["jina", "tei"])
def test_scores_come_back_in_candidate_order(server: RerankServer, shape: str) -> None:
    server.behaviour = shape
    scores = _reranker(server).score("what oil do you use on tables for kids", CANDIDATES)
    assert len(scores) == 3
    assert scores[1] > scores[2] > scores[0]
    body = server.requests[-1]["body"]
    assert body["documents"] == CANDIDATES and body["texts"] == CANDIDATES
    assert body["model"] == "test-reranker"


def test_the_key_comes_from_the_named_variable(server: RerankServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RR_KEY", "sekret")
    _reranker(server).score("oil", CANDIDATES)
    assert server.requests[-1]["authorization"] == "Bearer sekret"


@pytest.mark.parametrize("behaviour", ["error", "not-json", "short", "bad-index"])
def test_a_server_answering_badly_is_unavailable(server: RerankServer, behaviour: str) -> None:
    server.behaviour = behaviour
    with pytest.raises(RerankerUnavailable, match=server.url):
        _reranker(server).score("oil", CANDIDATES)


def test_a_slow_server_is_unavailable(server: RerankServer) -> None:
    server.behaviour, server.delay = "slow", 1.0
    with pytest.raises(RerankerUnavailable, match="Timeout"):
        _reranker(server, timeout=0.2).score("oil", CANDIDATES)


def test_a_server_that_is_down_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    reranker = get_reranker(RerankSettings(reranker="http", url=f"http://127.0.0.1:{port}/rerank"))
    assert reranker is not None
    with pytest.raises(RerankerUnavailable, match="ConnectError"):
        reranker.score("oil", CANDIDATES)


def test_the_http_reranker_needs_a_url() -> None:
    with pytest.raises(ConfigError, match=r"\[rerank\] url"):
        get_reranker(RerankSettings(reranker="http"))
