"""A real HTTP server on loopback that speaks OpenAI chat completions and misbehaves on request.

It stands in for a remote model the way a model would behave: it reads the numbered quotes
out of the prompt and writes an answer around them, well or badly, according to
`ChatServer.behaviour`. Every request is kept (path, headers, JSON body) for the tests.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.loopback import serving

QUOTE_LINE = re.compile(r'^\[(\d+)\] (.+?)( \(your own words\))?, in "(.*?)": "(.*)"$')


@dataclass
class Given:
    """One numbered quote as the prompt gives it."""

    number: int
    speaker: str
    own: bool
    quote: str

    @property
    def first_sentence(self) -> str:
        return re.split(r"(?<=[.!?]) ", self.quote)[0]


def quotes_in(body: dict[str, Any]) -> list[Given]:
    user = body["messages"][-1]["content"]
    found = []
    for line in user.splitlines():
        match = QUOTE_LINE.match(line)
        if match:
            found.append(Given(int(match[1]), match[2], bool(match[3]), match[5]))
    return found


def good_answer(body: dict[str, Any], curly: bool = False) -> str:
    """What a model that follows the rules writes: each quote's first sentence, attributed."""
    left, right = ("“", "”") if curly else ('"', '"')
    parts = []
    for given in quotes_in(body):
        quoted = f"{left}{given.first_sentence}{right} [{given.number}]"
        parts.append(f"As I put it, {quoted}" if given.own else f"{given.speaker} said {quoted}")
    return " ".join(parts)


def completion(content: Any, finish_reason: str = "stop") -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "test-model",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}
            ],
        }
    ).encode()


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = "good"
        # For "says": the exact content to answer with, or a function of the request body.
        self.says: Any = None
        self.requests: list[dict[str, Any]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ChatServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self.close_connection = True
        behaviour = self.server.behaviour
        # A client that gave up (as it should, at its deadline) breaks the pipe.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            getattr(self, f"_{behaviour}")(body)

    def _send(self, status: int, data: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _good(self, body: dict[str, Any]) -> None:
        self._send(200, completion(good_answer(body)))

    def _good_curly(self, body: dict[str, Any]) -> None:
        self._send(200, completion(good_answer(body, curly=True)))

    def _says(self, body: dict[str, Any]) -> None:
        says = self.server.says
        self._send(200, completion(says(body) if callable(says) else says))

    def _echo_key(self, body: dict[str, Any]) -> None:
        self._send(200, completion(f"{good_answer(body)} {self.headers.get('Authorization')}"))

    def _cut_off(self, body: dict[str, Any]) -> None:
        self._send(200, completion(good_answer(body), finish_reason="length"))

    def _error_500(self, body: dict[str, Any]) -> None:
        self._send(500, b'{"error": {"message": "model crashed"}}')

    def _not_json(self, body: dict[str, Any]) -> None:
        self._send(200, b"<html>502 Bad Gateway</html>", "text/html")

    def _wrong_shape(self, body: dict[str, Any]) -> None:
        self._send(200, json.dumps({"result": good_answer(body)}).encode())

    def _trickle(self, body: dict[str, Any]) -> None:
        """A valid completion, one byte every 0.2 s: each read is quick, the whole is not."""
        data = completion(good_answer(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def _stream_slowly(self, body: dict[str, Any]) -> None:
        """Server-sent events, one word every half second (as a slow streaming model sends)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for word in good_answer(body).split():
            event = json.dumps({"choices": [{"index": 0, "delta": {"content": word + " "}}]})
            chunk = f"data: {event}\n\n".encode()
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.flush()
            time.sleep(0.5)
        self.wfile.write(b"0\r\n\r\n")

    def _close_mid_reply(self, body: dict[str, Any]) -> None:
        data = completion(good_answer(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 3])
        self.wfile.flush()
        self.connection.shutdown(2)


def running() -> AbstractContextManager[ChatServer]:
    return serving(ChatServer())
