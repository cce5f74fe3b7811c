"""Markdown documents: paragraphs and list items become cues, headings become chapters.

A front-matter `title` or the first `# H1` is the document's title. Code blocks,
HTML comments and link definitions are not prose and are left out. Written by hand
rather than with a Markdown library: only the block structure and inline markup are
needed, with line numbers, and this keeps the default install small.
"""

from __future__ import annotations

import re

from onrecord.model import Cue, Reading
from onrecord.readers import textshape

_HEADING = re.compile(r" {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r" {0,3}(```+|~~~+)")
_LIST_ITEM = re.compile(r"\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
_RULE = re.compile(r" {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_LINK_DEF = re.compile(r" {0,3}\[[^\]]+\]:\s+\S")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FRONT_TITLE = re.compile(r"""title\s*[:=]\s*["']?(.*?)["']?\s*$""", re.I)

_INLINE = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML
    (re.compile(r"`+([^`]+)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])"), r"\1"),  # backslash escapes, last
]


def inline(text: str) -> str:
    """Markdown inline markup to the words it shows."""
    if any(ch in text for ch in "\\*_[]`<~!"):
        for pattern, replacement in _INLINE:
            text = pattern.sub(replacement, text)
    return " ".join(text.split())


def front_matter(lines: list[str]) -> tuple[int, str | None]:
    """(index of the first line after a `---`/`+++` front matter block, its title)."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0, None
    fence = lines[0].strip()
    for n in range(1, min(len(lines), 200)):
        if lines[n].strip() == fence or (fence == "---" and lines[n].strip() == "..."):
            title = next((m[1] for line in lines[1:n] if (m := _FRONT_TITLE.match(line))), None)
            return n + 1, (title.strip() or None) if title else None
    return 0, None


class MarkdownReader:
    name = "markdown"
    description = "Markdown document: paragraphs and list items; headings as chapters; front-matter or H1 title"

    def sniff(self, text: str, suffix: str) -> float:
        if not textshape.prose_like(text) and not text.lstrip("\ufeff").startswith(("---", "+++")):
            return 0.0
        lines = text[:50_000].split("\n")
        body, _ = front_matter(lines)
        headings = sum(1 for line in lines[body:] if _HEADING.match(line))
        marks = sum(1 for line in lines[body:] if _LIST_ITEM.match(line) or "](" in line or "**" in line)
        if body or headings:
            return 0.65
        if suffix in (".md", ".markdown"):
            return 0.6
        return 0.55 if marks >= 3 else 0.0

    def read(self, text: str) -> Reading:
        lines = text.lstrip("\ufeff").split("\n")
        first, title = front_matter(lines)
        cues: list[Cue] = []
        chapters: dict[int, str] = {}
        paragraph: list[str] = []
        start_line = 0
        fence: str | None = None

        def flush() -> None:
            words = inline(" ".join(line.strip().lstrip(">").strip() for line in paragraph))
            if words:
                cues.append(Cue(words, line=start_line))
            paragraph.clear()

        for number in range(first, len(lines)):
            line = lines[number]
            if fence is not None:
                if line.strip().startswith(fence):
                    fence = None
                continue
            if match := _FENCE.match(line):
                flush()
                fence = match[1][:3]
                continue
            if not line.strip() or (_RULE.match(line) and not paragraph) or _LINK_DEF.match(line):
                flush()
                continue
            if (heading := _HEADING.match(line)) or (paragraph and len(paragraph) == 1 and _SETEXT.match(line)):
                if heading:
                    flush()
                    level, words = len(heading[1]), inline(heading[2] or "")
                else:
                    level, words = (1 if line.strip()[0] == "=" else 2), inline(paragraph[0])
                    paragraph.clear()
                if not words:
                    continue
                if level == 1 and not cues and not chapters:
                    # A top H1 is the title; after a front-matter title it repeats it.
                    title = title or words
                else:
                    chapters[len(cues)] = words
                continue
            if _TABLE_RULE.match(line) and "-" in line:
                continue
            if item := _LIST_ITEM.match(line):
                flush()
                line = line[item.end() :]
            if line.lstrip().startswith("|"):
                line = line.replace("|", " ")
            if not paragraph:
                start_line = number + 1
            paragraph.append(line)
        flush()
        return textshape.document(self.name, cues, title, chapters)


reader = MarkdownReader()
