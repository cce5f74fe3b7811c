"""LLM phrasing: an answered question's citations phrased by a model, shown only when every check holds.

The extractive answer is always built first; the model may only re-word it around the same
citations. Whatever goes wrong (the server is down, slow, answers nonsense, invents or
misattributes a quote, repeats its instructions) is logged and the extractive answer is given
unchanged. A question the sources do not cover never reaches the model.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from onrecord.answer.llm import check, prompt
from onrecord.answer.llm.client import ChatBackend, LLMError, OpenAIChat, api_key
from onrecord.answer.result import Answer
from onrecord.answer.verify import QuoteChecker
from onrecord.config import AgentCard, LLMSettings

log = logging.getLogger(__name__)


class Phraser:
    """Phrases answers with one chat backend."""

    def __init__(self, backend: ChatBackend) -> None:
        self.backend = backend

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> Phraser:
        """The phraser `[llm]` describes; ConfigError when its key's variable is not set."""
        return cls(OpenAIChat(settings, api_key(settings)))

    def phrase(self, question: str, card: AgentCard, answer: Answer, checker: QuoteChecker) -> Answer:
        """`answer` phrased by the model when the phrasing passes every check, else `answer` itself."""
        if answer.status != "answered" or not answer.citations:
            return answer
        messages = prompt.messages(question, card, answer.citations)
        started = time.monotonic()
        try:
            text = self.backend.complete(messages)
        except LLMError as exc:
            log.warning("%s: no LLM phrasing, the extractive answer is given: %s", answer.agent, exc)
            return answer
        elapsed = time.monotonic() - started
        problem = check.problem(
            text, answer.citations, card, checker, question=question, instructions=messages[0]["content"]
        )
        if problem is not None:
            log.warning("%s: the LLM phrasing was rejected, the extractive answer is given: %s", answer.agent, problem)
            return answer
        log.info("%s: answer phrased by the LLM in %.2f s", answer.agent, elapsed)
        return replace(answer, answer=text.strip())
