"""The LLM backend: one chat completion from an OpenAI-compatible server, within a total deadline.

httpx's timeouts bound each network read, so a server that trickles a byte at a time could
hold a request for ever; the whole exchange (connect, send, every read) therefore runs under
one asyncio deadline, and anything short of a well-formed completion in time is an `LLMError`.
httpx and asyncio are imported only when a request is made: without `[llm]` nothing here
touches the network or loads an event loop.
"""

from __future__ import annotations

import json
import os
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from onrecord.config import LLMSettings
from onrecord.errors import ConfigError

if TYPE_CHECKING:
    import ssl

Message = dict[str, str]

# A reply larger than this is not a short answer: stop reading it.
MAX_REPLY_BYTES = 1_000_000


class LLMError(Exception):
    """The server gave no usable completion: down, too slow, an HTTP error, not JSON, a wrong shape.

    Not an OnrecordError: it never reaches the asker, who gets the extractive answer instead.
    """


class ChatBackend(Protocol):
    """What a phrasing backend implements: chat messages in, the model's text out, LLMError on failure."""

    def complete(self, messages: Sequence[Message]) -> str: ...


def api_key(settings: LLMSettings) -> str | None:
    """The key from the environment variable `api_key_env` names; None when it names none."""
    if settings.api_key_env is None:
        return None
    key = os.environ.get(settings.api_key_env, "").strip()
    if not key:
        raise ConfigError(
            f"llm.api_key_env: the environment variable {settings.api_key_env} is not set or is empty "
            "(set it to the server's API key, or remove api_key_env for a server without authentication)"
        )
    return key


class OpenAIChat:
    """POST {base_url}/chat/completions, not streamed: the answer is checked whole before anyone sees it."""

    def __init__(self, settings: LLMSettings, key: str | None) -> None:
        self.settings = settings
        self._key = key
        # Made on the first request and kept: building it costs more than a loopback answer.
        self._ssl: ssl.SSLContext | None = None

    def __repr__(self) -> str:  # the key never appears in a repr, a log or a traceback's locals
        return f"OpenAIChat({self.settings.base_url!r}, model={self.settings.model!r})"

    def complete(self, messages: Sequence[Message]) -> str:
        return _run(self._complete(list(messages)), self.settings.timeout)

    async def _complete(self, messages: list[Message]) -> str:
        import httpx

        settings = self.settings
        body = {
            "model": settings.model,
            "messages": messages,
            "max_tokens": settings.max_tokens,
            "temperature": settings.temperature,
            "stream": False,
        }
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        raw = bytearray()
        try:
            async with (
                httpx.AsyncClient(timeout=settings.timeout, verify=self._ssl) as client,
                client.stream("POST", f"{settings.base_url}/chat/completions", json=body, headers=headers) as reply,
            ):
                if reply.status_code != 200:
                    raise LLMError(f"the server answered HTTP {reply.status_code}")
                async for chunk in reply.aiter_bytes():
                    raw += chunk
                    if len(raw) > MAX_REPLY_BYTES:
                        raise LLMError(f"the reply is longer than {MAX_REPLY_BYTES:,} bytes")
        except httpx.HTTPError as exc:
            raise LLMError(f"{type(exc).__name__}: {exc or 'no detail'}") from None
        if self._key and self._key.encode() in raw:
            raise LLMError("the reply contains the API key")
        return _content(bytes(raw))


def _content(raw: bytes) -> str:
    """The text of the first choice of a chat completion."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise LLMError("the reply is not JSON") from None
    try:
        choice = data["choices"][0]
        text = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMError("the reply is not a chat completion (no choices[0].message.content)") from None
    if not isinstance(text, str):
        raise LLMError("the reply's message content is not text")
    if choice.get("finish_reason") == "length":
        raise LLMError("the reply was cut off at max_tokens")
    return text


def _run(request: Coroutine[Any, Any, str], timeout: float) -> str:
    """Run `request` to completion or cancel it at `timeout` seconds, from sync code."""
    # Imported here: an agent without [llm] never needs an event loop.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def bounded() -> str:
        try:
            async with asyncio.timeout(timeout):
                return await request
        except TimeoutError:
            raise LLMError(f"no complete reply within {timeout:g} s") from None

    def on_own_loop() -> str:
        # Not asyncio.run: its shutdown waits for the default executor (a stuck DNS lookup).
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(bounded())
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return on_own_loop()
    # Called from inside an event loop (an async web handler): a loop of its own, in a thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(on_own_loop).result()
