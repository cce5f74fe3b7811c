"""The JSON API over real HTTP: answers, search, sources, transcripts, and /docs offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from tests.serve_support import cli


def get(server: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{server}{path}", params=params)


def source_ids(server: str) -> dict[str, str]:
    return {s["title"]: s["id"] for s in get(server, "/api/sources").json()["sources"]}


def test_sources_are_those_the_agents_draw_on(server: str, served_workspace: Path) -> None:
    listed = get(server, "/api/sources").json()["sources"]
    every = json.loads(cli(served_workspace, "sources", "--json"))["sources"]
    assert [s["title"] for s in every] == ["Hive Talk", "Private notes"]
    # The shape of `sources --json`, and never a source that no agent draws on.
    assert listed == [s for s in every if s["title"] == "Hive Talk"]
    private = next(s["id"] for s in every if s["title"] == "Private notes")
    assert get(server, f"/api/sources/{private}").status_code == 404


def test_transcript_is_the_show_json_shape(server: str, served_workspace: Path) -> None:
    source_id = source_ids(server)["Hive Talk"]
    response = get(server, f"/api/sources/{source_id}")
    assert response.status_code == 200
    assert response.json() == json.loads(cli(served_workspace, "show", source_id, "--as", "json"))
    missing = get(server, "/api/sources/no-such-source")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_search_is_the_search_json_shape(server: str, served_workspace: Path) -> None:
    query = "varroa mites treatment"
    response = get(server, "/api/search", q=query, agent="mara", k=3)
    assert response.status_code == 200
    assert response.json() == json.loads(cli(served_workspace, "search", query, "--agent", "mara", "-k", "3", "--json"))
    assert response.json()["results"], "the interview talks about mites"


def test_search_never_reaches_sources_no_agent_draws_on(server: str) -> None:
    results = get(server, "/api/search", q="insurance broker hive trailer spare queen cages", k=20).json()["results"]
    assert results and {r["source"]["title"] for r in results} == {"Hive Talk"}


def test_search_rejects_bad_parameters(server: str) -> None:
    for params, status in (
        ({"q": "bees", "agent": "nobody"}, 404),
        ({"q": "bees", "k": 0}, 400),
        ({"q": "bees", "k": "many"}, 400),
        ({"q": ""}, 400),
        ({}, 400),
    ):
        response = get(server, "/api/search", **params)
        assert response.status_code == status, (params, response.text)
        assert set(response.json()["error"]) == {"message", "type", "param", "code"}


def test_ask_json_api(server: str) -> None:
    answer = httpx.post(f"{server}/api/agents/mara/ask", json={"question": "How do you price your honey?"}).json()
    assert set(answer) == {"agent", "status", "answer", "citations"}
    assert answer["agent"] == "mara" and answer["status"] == "answered"
    for citation in answer["citations"]:
        assert citation["source"]["title"] == "Hive Talk" and citation["speaker"] == "Mara Quill"
        assert citation["url"].startswith("https://video.example.org/watch/hive-talk")
    unknown = httpx.post(f"{server}/api/agents/nobody/ask", json={"question": "hi"})
    assert unknown.status_code == 404
    for body in ({"question": ""}, {"question": 3}, {"history": []}, {"question": "hi", "history": "no"}):
        bad = httpx.post(f"{server}/api/agents/mara/ask", json=body)
        assert bad.status_code == 400, (body, bad.text)
        assert "Traceback" not in bad.text


def test_agents_list(server: str) -> None:
    agents = get(server, "/api/agents").json()["agents"]
    assert [a["name"] for a in agents] == ["mara"]
    assert agents[0]["disclosure"].startswith("I'm an AI")


def test_docs_work_offline(server: str) -> None:
    page = get(server, "/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and not [a for a in assets if "://" in a], "no asset may come from another host"
    for asset in assets:
        assert get(server, asset).status_code == 200, asset
    schema = get(server, "/openapi.json").json()
    for path in ("/v1/chat/completions", "/v1/models", "/api/search", "/api/sources/{source_id}"):
        assert path in schema["paths"]


def test_cors_is_off_by_default(server: str) -> None:
    response = httpx.options(
        f"{server}/v1/models", headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in response.headers
    response = get(server, "/v1/models")
    assert "access-control-allow-origin" not in response.headers


def test_a_running_server_sees_sources_added_and_removed_by_another_process(
    served_workspace: Path, tmp_path: Path
) -> None:
    from tests.serve_support import cli, eventually, running, variant

    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 0")
    talk = tmp_path / "opera.vtt"
    talk.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n<v Mara Quill>Two of my hives stand on the roof of the opera"
        " house in Oslo, just above the stage door, and the singers call them the chorus.\n",
        encoding="utf-8",
    )
    question = {"question": "Why are there hives on the roof of the opera house in Oslo?"}
    with running(root) as url:

        def ask() -> dict[str, Any]:
            answer: dict[str, Any] = httpx.post(f"{url}/api/agents/mara/ask", json=question).json()
            return answer

        before = ask()
        added = cli(root, "add", str(talk), "--title", "Hive Talk", "--json")
        after = eventually(ask, lambda a: a["status"] == "answered")
        assert before["status"] == "no_answer"
        assert after["status"] == "answered" and "opera" in after["answer"]
        source_id = json.loads(added)["sources"][0]["id"]
        cli(root, "remove", source_id)
        gone = eventually(ask, lambda a: a["status"] == "no_answer")
        assert gone["status"] == "no_answer"
        assert httpx.get(f"{url}/api/sources/{source_id}").status_code == 404
