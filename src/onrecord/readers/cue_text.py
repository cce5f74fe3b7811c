"""Caption cue text to plain text: markup tags, entities and positioning codes go (WebVTT, SRT, SBV)."""

from __future__ import annotations

import html
import re

# HTML-like tags (<i>, <font color=...>, <c.colorE5E5E5>) and SSA positioning codes ({\an8}).
_MARKUP = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")


def plain(text: str) -> str:
    """The words a viewer reads, without markup; whitespace is left for the caller to fold."""
    if "<" in text or "{" in text:
        text = _MARKUP.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text.replace("\u200e", "").replace("\u200f", "")
