"""Rails, a remote boundary model: a moderation model (Llama Guard) on an OpenAI-compatible server.

For deployments that run one (vLLM, Ollama): each question is sent as the user turn of a
chat completion, and the model's chat template wraps it in its safety policy; the reply is
`safe`, or `unsafe` and a line of categories (`S1,S11`). Llama Guard judges harm only, so
the bundled classifier (or whichever model the rails run) still judges attacks and
questions about what the agent is, and stands in for the server whenever it fails: down,
slow, an HTTP error, a reply that is not a verdict. A failed server is not asked again for
a while, so that one dead server does not add its timeout to every question; it is never
a reason to let a question through unjudged.
"""

from __future__ import annotations

import logging
import threading
import time

from onrecord.answer.llm.client import ChatBackend, LLMError, OpenAIChat, api_key
from onrecord.config import ModerationSettings
from onrecord.rails.contract import BoundaryModel, Judgement

log = logging.getLogger(__name__)

NAME = "moderation"
# After a failure the server is left alone this long (seconds); the fallback judges meanwhile.
RETRY_AFTER = 30.0


def verdict(reply: str, self_harm: str) -> str:
    """`safe`, `harmful` or `self_harm` from a Llama Guard reply; LLMError when it is none."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    first = lines[0].casefold() if lines else ""
    if first == "safe":
        return "safe"
    if first == "unsafe":
        categories = {c.strip().upper() for line in lines[1:] for c in line.split(",")}
        return "self_harm" if self_harm.upper() in categories else "harmful"
    raise LLMError(f"the moderation reply is not a verdict: {reply[:80]!r}")


class ModerationModel:
    """Harm judged by the server, everything else (and harm, when the server fails) by `fallback`."""

    name = NAME

    def __init__(
        self, settings: ModerationSettings, fallback: BoundaryModel, backend: ChatBackend | None = None
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self._backend = backend
        self._lock = threading.Lock()
        self._down_until = 0.0

    def backend(self) -> ChatBackend:
        if self._backend is None:
            self._backend = OpenAIChat(self.settings, api_key(self.settings))
        return self._backend

    def judge_batch(self, texts: list[str]) -> list[Judgement]:
        local = self.fallback.judge_batch(texts)
        return [self._judge(text, mine) for text, mine in zip(texts, local, strict=True)]

    def _judge(self, text: str, mine: Judgement) -> Judgement:
        with self._lock:
            resting = time.monotonic() < self._down_until
        if resting:
            return mine
        try:
            said = verdict(
                self.backend().complete([{"role": "user", "content": text}]), self.settings.self_harm_category
            )
        except LLMError as exc:
            log.warning("moderation server failed (%s); the %s model judges instead", exc, self.fallback.name)
            with self._lock:
                self._down_until = time.monotonic() + RETRY_AFTER
            return mine
        if said != "safe":
            return Judgement(said, 1.0, self.name)
        # The server judges harm only: an attack or a question about the agent stays as judged.
        if mine.label in ("attack", "identity"):
            return mine
        return Judgement("safe", 1.0, self.name)
