"""What a question must be before it reaches an agent: whole Unicode, not empty, not too long.

JSON may carry a lone surrogate (`"\\ud800"`), which is a Python string but no Unicode text:
the tokenizer, the store and the JSON answer would each fail on it. It is refused here, at
the edge, with the field that holds it, before any of them sees it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from onrecord.answer import agent
from onrecord.config import ServeSettings
from onrecord.errors import InputError
from onrecord.serve.errors import ApiError

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_unicode(text: str, param: str) -> str:
    """`text` when it is whole Unicode; a 400 naming `param` and the position otherwise."""
    found = _SURROGATE.search(text)
    if found is None:
        return text
    raise ApiError(
        f"{param}: not valid Unicode (a lone surrogate {found.group()!a} at character {found.start()})",
        400,
        param=param,
        code="invalid_unicode",
    )


def check_question(text: str, settings: ServeSettings, param: str) -> str:
    """The question stripped (answer.agent.check_question, at `max_question_chars`) as an API
    error: 400 when empty or not Unicode, 413 when too long."""
    check_unicode(text, param)
    try:
        return agent.check_question(text, settings.max_question_chars)
    except InputError as exc:
        empty = not text.strip()
        raise ApiError(
            exc.message, 400 if empty else 413, param=param, code="empty_question" if empty else "question_too_long"
        ) from None


def recent(history: Sequence[str], settings: ServeSettings, param: str = "history") -> list[str]:
    """The last `max_history` earlier questions, each cut to the question length limit; a 400
    when any of them is not Unicode (`param`.N names it)."""
    for number, text in enumerate(history):
        check_unicode(text, f"{param}.{number}")
    kept = list(history)[len(history) - settings.max_history :] if settings.max_history else []
    return [q[: settings.max_question_chars] for q in kept]
