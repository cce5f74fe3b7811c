"""A real HTTP server on loopback that speaks a rerank endpoint's protocol, and misbehaves on request.

It scores each candidate by the share of the query's words it holds, and answers in the
shape `RerankServer.behaviour` names: "jina" (`{"results": [{"index", "relevance_score"}]}`,
as vLLM, llama.cpp and Infinity do), "tei" (`[{"index", "score"}]`), or badly: "slow",
"error" (HTTP 500), "not-json", "short" (a candidate left unscored), "bad-index". Every
request body is kept for the tests.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.loopback import serving

_WORD = re.compile(r"[a-z]+")


def overlap(query: str, text: str) -> float:
    asked = set(_WORD.findall(query.lower()))
    return len(asked & set(_WORD.findall(text.lower()))) / max(1, len(asked))


class RerankServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = "jina"
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/rerank"


class _Handler(BaseHTTPRequestHandler):
    server: RerankServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"body": body, "authorization": self.headers.get("Authorization")})
        behaviour = self.server.behaviour
        if behaviour == "slow":
            time.sleep(self.server.delay)
        documents = body.get("documents") or body.get("texts") or []
        scores = [overlap(body["query"], text) for text in documents]
        if behaviour == "error":
            self._send(500, b'{"error": "model crashed"}')
            return
        if behaviour == "not-json":
            self._send(200, b"<html>oops</html>")
            return
        rows = [{"index": i, "relevance_score": s} for i, s in enumerate(scores)]
        if behaviour == "short":
            rows = rows[:-1]
        if behaviour == "bad-index":
            rows[0]["index"] = len(rows) + 5
        reply: Any = {"results": rows}
        if behaviour == "tei":
            reply = [{"index": row["index"], "score": row["relevance_score"]} for row in rows]
        self._send(200, json.dumps(reply).encode())

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client stopped waiting ("slow"), as it should
            self.wfile.write(payload)


def rerank_server() -> AbstractContextManager[RerankServer]:
    return serving(RerankServer())
