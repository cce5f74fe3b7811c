"""Clean verbatim: fillers, stutters and false starts removed, meaning unchanged."""

from __future__ import annotations

import re

_FILLERS = re.compile(r"\b(?:um+|uh+|erm|er|ah)\b[,.]?\s*", re.IGNORECASE)
_STUTTER = re.compile(r"\b(\w+)(?:\s+\1\b)+", re.IGNORECASE)


def clean(text: str) -> str:
    """`text` without fillers and immediate repeats."""
    out = _FILLERS.sub("", text)
    out = _STUTTER.sub(r"\1", out)
    return " ".join(out.split())
