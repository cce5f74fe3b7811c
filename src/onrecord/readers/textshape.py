"""What a plain text looks like: prose or not, paragraphs or caption lines (used by sniffs),
and the Reading a document of paragraphs makes (used by the document readers)."""

from __future__ import annotations

import re

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import jsondoc

_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?")

_SENTENCE_END = (".", "!", "?", ":", '"', "”", "'", "’", ")", "]", "…")


def prose_like(text: str) -> bool:
    """Text of words: not JSON, not XML/HTML, not a table of numbers."""
    head = text[:20_000].lstrip("\ufeff \t\n")
    if not head or head.startswith("<") or jsondoc.looks_like_json(head):
        return False
    # Timestamps are not what makes a file numbers rather than words.
    words = _CLOCK.sub(" ", head)
    letters = sum(1 for ch in words if ch.isalpha())
    digits = sum(1 for ch in words if ch.isdigit())
    return letters > 0 and letters >= digits


def paragraphs(text: str) -> list[tuple[int, list[str]]]:
    """(1-based number of its first line, its lines) for each run of non-blank lines."""
    found: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                found.append((number, current))
            current.append(line)
        elif current:
            current = []
    return found


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(_SENTENCE_END)


def is_prose_document(text: str) -> bool:
    """Paragraphs of whole sentences (a document), not caption lines broken mid-sentence."""
    blocks = paragraphs(text[:200_000])
    if len(blocks) >= 2:
        # Headings (a short line alone) say nothing either way; the paragraphs decide.
        body = [lines for _, lines in blocks if len(lines) > 1 or len(lines[0]) > 80 or ends_sentence(lines[0])]
        words = sum(len(" ".join(lines).split()) for lines in body)
        complete = sum(1 for lines in body if ends_sentence(lines[-1]))
        return len(body) >= 2 and complete >= 0.6 * len(body) and words >= 8 * len(body)
    # One paragraph per line: long lines that end sentences (caption lines are short and run on).
    lines = [line for _, block in blocks for line in block]
    if len(lines) < 2:
        return False
    long_lines = sum(1 for line in lines if len(line) > 200)
    complete = sum(1 for line in lines if ends_sentence(line))
    return long_lines >= 0.5 * len(lines) and complete >= 0.7 * len(lines)


def document(format_name: str, cues: list[Cue], title: str | None, chapters: dict[int, str]) -> Reading:
    """A document's Reading: its paragraphs as cues and each heading as the chapter of the
    paragraphs after it (repair drops a heading that heads nothing, as for every format)."""
    if not cues:
        raise InputError("the document has no paragraphs of text")
    return Reading(
        format=format_name,
        cues=cues,
        kind="document",
        title=title,
        chapters=list(chapters.items()),
    )
