"""Mutated HTTP requests for the real app, and what every answer to them must be.

Shared by the seeded slice in tests/test_serve_fuzz.py and benchmarks/fuzz_http.py (10,000+
cases). A request starts from a valid one for some endpoint and is mutated: fields dropped,
replaced by any JSON value or by text with lone surrogates and control characters, the body
cut short or replaced by bytes, path and query parts made of any bytes, headers made up.
The properties: no 5xx, and every error from /v1 and /api has OpenAI's error shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st
from starlette.testclient import TestClient

OWNER_TOKEN = "fuzz-owner-token-0123456789"
SETTINGS = f'rate_limit = 0\nowner_token = "{OWNER_TOKEN}"'

# Any code point, lone surrogates included (JSON can carry them as \\udXXX escapes).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
TEXT = st.text(ANY_CHAR, max_size=40) | st.sampled_from(["", " ", "why?", "How do you keep the bees calm?", "\ud800"])
# Characters that have broken text handling somewhere: surrogates, NUL, direction and width marks.
ODD = st.sampled_from(["\ud800", "\udfff", "\ud83d", "\x00", "\u202e", "\ufeff", "\u200b", "\U0010ffff", "\uffff"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@dataclass(slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    @property
    def api(self) -> bool:
        return self.path.startswith(("/v1/", "/api/"))


def _part(text: str) -> str:
    """A path or query part made of `text`'s bytes, lone surrogates too (never valid UTF-8)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _bases(names: list[str], sources: list[str]) -> st.SearchStrategy[tuple[str, str, Any]]:
    """Valid requests (method, path, JSON body) for every endpoint."""
    name = st.sampled_from(names) | TEXT.map(_part)
    source = st.sampled_from(sources) | TEXT.map(_part)
    chat = st.fixed_dictionaries(
        {"model": st.sampled_from(names), "messages": st.just([{"role": "user", "content": "Why smoke?"}])},
        optional={"stream": st.booleans(), "n": st.just(1), "temperature": st.just(0.2)},
    )
    ask = st.fixed_dictionaries(
        {"question": st.just("How do you keep the bees calm?")}, optional={"history": st.just(["hi"])}
    )
    query = st.lists(st.tuples(st.sampled_from(["q", "k", "agent", "since", "embed", "x"]), TEXT), max_size=3)
    return st.one_of(
        st.tuples(st.just("POST"), st.just("/v1/chat/completions"), chat),
        st.tuples(st.just("POST"), name.map(lambda n: f"/api/agents/{n}/ask"), ask),
        st.tuples(st.sampled_from(["GET", "HEAD"]), query.map(lambda q: "/api/search?" + _query(q)), st.none()),
        st.tuples(st.sampled_from(["GET", "HEAD"]), source.map(lambda s: f"/api/sources/{s}"), st.none()),
        st.tuples(st.sampled_from(["GET", "HEAD"]), source.map(lambda s: f"/sources/{s}"), st.none()),
        st.tuples(st.sampled_from(["GET", "HEAD"]), name.map(lambda n: f"/agents/{n}"), st.none()),
        st.tuples(st.just("GET"), name.map(lambda n: f"/v1/models/{n}"), st.none()),
        st.tuples(st.just("GET"), query.map(lambda q: "/api/owner/insights?" + _query(q)), st.none()),
        st.tuples(st.just("POST"), st.just("/owner/login"), st.none()),
        st.tuples(
            st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]),
            st.sampled_from(["/", "/owner", "/owner/logout", "/widget", "/widget.js", "/favicon.ico", "/v1/models"])
            | TEXT.map(lambda t: "/static/" + _part(t)),
            st.none(),
        ),
    )


def _query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{key}={_part(value)}" for key, value in pairs)


@st.composite
def _mutated(draw: st.DrawFn, body: Any) -> bytes | None:
    """`body` as JSON, changed in one of many ways (or left valid)."""
    if body is None:
        return draw(st.none() | st.binary(max_size=64) | TEXT.map(lambda t: ("token=" + _part(t)).encode()))
    how = draw(st.sampled_from(["valid", "drop", "replace", "add", "deep", "odd", "odd", "cut", "bytes", "json"]))
    body = json.loads(json.dumps(body))
    if how == "bytes":
        return draw(st.binary(max_size=200))
    if how == "json":
        body = draw(JSON)
    elif how in ("drop", "replace") and body:
        key = draw(st.sampled_from(sorted(body)))
        if how == "drop":
            del body[key]
        else:
            body[key] = draw(JSON)
    elif how == "add":
        body[draw(TEXT)] = draw(JSON)
    elif how == "deep" and "messages" in body:
        body["messages"] = draw(st.lists(_message(), min_size=0, max_size=4))
    elif how == "deep" and "question" in body:
        body["question"] = draw(TEXT | JSON)
        body["history"] = draw(st.lists(TEXT, max_size=4) | JSON)
    elif how == "odd":
        _odd_question(draw, body)
    text = json.dumps(body)  # ASCII: surrogates travel as \\udXXX escapes
    if how == "cut":
        return text[: draw(st.integers(0, max(0, len(text) - 1)))].encode()
    return text.encode()


def _odd_question(draw: st.DrawFn, body: dict[str, Any]) -> None:
    """An odd character put into the question or into an earlier message, the rest left valid."""
    odd = draw(st.lists(ODD | TEXT, min_size=1, max_size=3).map("".join))
    if "messages" in body:
        messages = body["messages"]
        messages.insert(0, {"role": "user", "content": "How do you keep the bees calm?"})
        spot = messages[draw(st.sampled_from([0, -1]))]
        text = spot["content"]
    else:
        body["history"] = ["How do you keep the bees calm?"]
        key = draw(st.sampled_from(["question", "history"]))
        text = body["question"] if key == "question" else body["history"][0]
    at = draw(st.integers(0, len(text)))
    changed = text[:at] + odd + text[at:]
    if "messages" in body:
        spot["content"] = changed
    elif key == "question":
        body["question"] = changed
    else:
        body["history"][0] = changed


def _message() -> st.SearchStrategy[dict[str, Any]]:
    role = st.sampled_from(["user", "assistant", "system", "developer", "tool", "nobody"])
    part = st.fixed_dictionaries({"type": st.sampled_from(["text", "image_url", ""]), "text": TEXT | st.none()})
    content = TEXT | st.none() | st.lists(part, max_size=3) | JSON
    return st.fixed_dictionaries({"role": role, "content": content})


# Header values must be bytes HTTP allows: printable ASCII and Latin-1, no line breaks.
HEADER_VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=60)
HEADERS = st.dictionaries(
    st.sampled_from(
        [
            "content-type",
            "authorization",
            "cookie",
            "x-forwarded-for",
            "x-forwarded-proto",
            "origin",
            "accept",
            "accept-encoding",
            "user-agent",
            "x-made-up",
        ]
    ),
    HEADER_VALUE
    | st.sampled_from(
        [
            "application/json",
            "text/plain",
            f"Bearer {OWNER_TOKEN}",
            f"onrecord_owner={OWNER_TOKEN}",
            "Bearer",
            "127.0.0.1",
        ]
    ),
    max_size=4,
)


@st.composite
def requests(draw: st.DrawFn, names: list[str], sources: list[str]) -> Request:
    method, path, body = draw(_bases(names, sources))
    headers = {"content-type": "application/json"} if body is not None else {}
    headers.update(draw(HEADERS))
    return Request(method, path, headers, draw(_mutated(body)))


@st.composite
def odd_questions(draw: st.DrawFn, names: list[str]) -> Request:
    """A valid question to a real agent, over either API, with odd characters put into it or
    into an earlier message: the requests that reach the answering code."""
    name = draw(st.sampled_from(names))
    body: dict[str, Any] = draw(
        st.sampled_from(
            [
                ("/v1/chat/completions", {"model": name, "messages": [{"role": "user", "content": "Why smoke?"}]}),
                (f"/api/agents/{name}/ask", {"question": "Why smoke?"}),
            ]
        )
    )[1]
    path = "/v1/chat/completions" if "messages" in body else f"/api/agents/{name}/ask"
    _odd_question(draw, body)
    return Request("POST", path, {"content-type": "application/json"}, json.dumps(body).encode())


def send(client: TestClient, request: Request) -> Any:
    headers = {name: value.encode("latin-1") for name, value in request.headers.items()}
    return client.request(request.method, request.path, headers=headers, content=request.body)


def check(request: Request, status: int, content_type: str, body: bytes) -> None:
    """The properties every answer holds: no 5xx; an API error has OpenAI's error shape."""
    assert status < 500, f"{status} for {request}: {body[:300]!r}"
    if request.api and status >= 400 and request.method != "HEAD":
        assert content_type.startswith("application/json"), (status, content_type, request)
        error = json.loads(body)["error"]
        assert set(error) == {"message", "type", "param", "code"}, error
        assert isinstance(error["message"], str) and error["message"]
        assert error["type"] in (
            "invalid_request_error",
            "authentication_error",
            "permission_error",
            "rate_limit_error",
        )
