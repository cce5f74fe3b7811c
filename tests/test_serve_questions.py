"""Questions at the HTTP edge: text that is not Unicode is a 400 naming its field, never a 500."""

from __future__ import annotations

import httpx
import pytest

# JSON may escape a lone surrogate: valid JSON, but no Unicode text.
BROKEN = '"What finish \\ud800 do you use?"'
WHOLE = '"What finish do you use?"'


def post(server: str, path: str, body: str) -> httpx.Response:
    return httpx.post(f"{server}{path}", content=body.encode(), headers={"content-type": "application/json"})


def ask(question: str, *history: str) -> str:
    return '{"question": ' + question + ', "history": [' + ", ".join(history) + "]}"


def chat(*contents: str) -> str:
    messages = ",".join(f'{{"role": "user", "content": {c}}}' for c in contents)
    return f'{{"model": "mara", "messages": [{messages}]}}'


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("/v1/chat/completions", chat(BROKEN), "messages.0.content"),
        ("/v1/chat/completions", chat(BROKEN, '"why?"'), "messages.0.content"),
        ("/v1/chat/completions", chat(WHOLE, '"why \\udfff?"'), "messages.1.content"),
        (
            "/v1/chat/completions",
            '{"model": "mara", "messages": [{"role": "user", "content": [{"type": "text", "text": ' + BROKEN + "}]}]}",
            "messages.0.content",
        ),
        ("/api/agents/mara/ask", ask(BROKEN), "question"),
        ("/api/agents/mara/ask", ask('"why?"', WHOLE, BROKEN), "history.1"),
    ],
)
def test_lone_surrogates_are_400_naming_the_field(server: str, path: str, body: str, param: str) -> None:
    response = post(server, path, body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["code"] == "invalid_unicode"
    assert error["param"] == param and "\\ud" in error["message"].lower()


def test_the_same_questions_whole_are_answered(server: str) -> None:
    assert post(server, "/v1/chat/completions", chat(WHOLE, '"why?"')).status_code == 200
    assert post(server, "/api/agents/mara/ask", ask('"why?"', WHOLE)).status_code == 200


def test_search_with_bytes_that_are_not_utf8(server: str) -> None:
    # A query string is bytes: what is not UTF-8 reads as U+FFFD, and the search still answers.
    response = httpx.get(f"{server}/api/search?q=What%20finish%20%ED%A0%80%FF")
    assert response.status_code == 200 and response.json()["query"].startswith("What finish")
