"""The OpenAI-compatible API: each agent is a model, and a chat completion is its answer.

`messages` is read as a conversation: the last message is the question and must be the
user's; earlier user messages are the history that follow-ups are read against. System and
developer messages are ignored, so a client cannot rewrite an agent's boundaries. The
completion (and a stream's last chunk) carries `citations` (the shape of `onrecord ask
--json`) and `onrecord_status`. `usage` counts words, not tokens: no tokenizer runs.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from onrecord.answer import Answer
from onrecord.config import AgentCard
from onrecord.export.document import player_time
from onrecord.serve.citations import linked
from onrecord.serve.errors import ApiError
from onrecord.serve.limits import rate_limited
from onrecord.serve.questions import check_question, check_unicode, recent
from onrecord.serve.service import Service

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

_WORD = re.compile(r"\S+")
# Stream pieces: a word and the space after it (and any space before the first word).
_PIECE = re.compile(r"\s*\S+\s*|\s+")


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatRequest(BaseModel):
    """OpenAI's chat completion request; sampling settings are accepted and have no effect."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="The agent's name (see GET /v1/models).")
    messages: list[Message] = Field(min_length=1, description="The conversation; the last is the user's question.")
    stream: bool | None = Field(False, description="Send the answer as server-sent events.")
    stream_options: StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=1, description="Only one answer is ever made.")


def _service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def _text(message: Message, index: int) -> str:
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        return check_unicode(message.content, f"messages.{index}.content")
    texts = []
    for part in message.content:
        if part.type != "text" or part.text is None:
            raise ApiError(
                f"messages.{index}: only text content is supported, not {part.type!r}",
                400,
                param=f"messages.{index}.content",
                code="unsupported_content",
            )
        texts.append(check_unicode(part.text, f"messages.{index}.content"))
    return "\n".join(texts)


def _conversation(body: ChatRequest) -> tuple[str, list[str], bool]:
    """The question, the earlier user questions, and whether the agent has spoken before."""
    last = len(body.messages) - 1
    if body.messages[last].role != "user":
        raise ApiError(
            "the last message must be the user's question", 400, param=f"messages.{last}.role", code="invalid_request"
        )
    question = _text(body.messages[last], last)
    history = [_text(m, i) for i, m in enumerate(body.messages[:last]) if m.role == "user"]
    spoken = any(m.role == "assistant" for m in body.messages[:last])
    return question, [q for q in history if q.strip()], spoken


def content(answer: Answer, card: AgentCard, *, first: bool) -> str:
    """What a chat client shows: the disclosure on the agent's first reply, the answer, and a
    numbered list of sources, so a client that ignores `citations` still shows them."""
    parts = [card.disclosure] if first and answer.answer != card.disclosure else []
    parts.append(answer.answer)
    if answer.citations:
        lines = ["Sources:"]
        for number, c in enumerate(answer.citations, start=1):
            at = f" at {player_time(c.start)}" if c.start is not None else ""
            at += f" ({c.chapter})" if c.chapter else ""
            link = f" {c.url}" if c.url else ""
            lines.append(f"[{number}] {c.speaker}, {c.source_title}{at}{link}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _usage(prompt: list[str], completion: str) -> dict[str, int]:
    asked = sum(len(_WORD.findall(text)) for text in prompt)
    said = len(_WORD.findall(completion))
    return {"prompt_tokens": asked, "completion_tokens": said, "total_tokens": asked + said}


def _extras(answer: Answer) -> dict[str, Any]:
    return {"citations": [c.to_json() for c in answer.citations], "onrecord_status": answer.status}


@router.get("/models")
def models(request: Request) -> dict[str, Any]:
    """One model per agent; its `id` is the agent's name."""
    service = _service(request)
    return {"object": "list", "data": [_model(service, name) for name in sorted(service.cards)]}


def _model(service: Service, name: str) -> dict[str, Any]:
    card = service.cards[name]
    return {"id": name, "object": "model", "created": 0, "owned_by": "onrecord", "title": card.title}


@router.get("/models/{model}")
def model(model: str, request: Request) -> dict[str, Any]:
    """One agent as a model."""
    service = _service(request)
    if model not in service.cards:
        raise _unknown(model)
    return _model(service, model)


def _unknown(model: str) -> ApiError:
    return ApiError(
        f"the model {model!r} does not exist: it must be an agent's name", 404, param="model", code="model_not_found"
    )


@router.post("/chat/completions", dependencies=[Depends(rate_limited)], response_model=None)
def chat_completions(body: ChatRequest, request: Request) -> dict[str, Any] | StreamingResponse:
    """The agent `model` answers the conversation's last user message (streamed when `stream`)."""
    service = _service(request)
    if body.model not in service.cards:
        raise _unknown(body.model)
    question, history, spoken = _conversation(body)
    last = len(body.messages) - 1
    question = check_question(question, service.settings, f"messages.{last}.content")
    history = recent(history, service.settings)
    answer = linked(service.ask(body.model, question, history), request)
    text = content(answer, service.cards[body.model], first=not spoken)
    usage = _usage([question, *history], text)
    ident = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if body.stream:
        include_usage = body.stream_options is not None and body.stream_options.include_usage
        events = _stream(ident, created, body.model, text, answer, usage if include_usage else None)
        return StreamingResponse(
            events, media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )
    return {
        "id": ident,
        "object": "chat.completion",
        "created": created,
        "model": body.model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": usage,
        **_extras(answer),
    }


async def _stream(
    ident: str, created: int, model: str, text: str, answer: Answer, usage: dict[str, int] | None
) -> AsyncIterator[str]:
    """The answer as `chat.completion.chunk` events: a role, a word at a time, the finish
    (with citations and status), the usage when asked for, then [DONE]."""

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        data = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": None,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            **extra,
        }
        if usage is not None:
            data.setdefault("usage", None)
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in _PIECE.findall(text):
        yield chunk({"content": piece})
    yield chunk({}, "stop", **_extras(answer))
    if usage is not None:
        final = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": None,
            "choices": [],
            "usage": usage,
            **_extras(answer),
        }
        yield f"data: {json.dumps(final, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
