"""Plain-text documents (notes, essays, FAQs): paragraphs separated by blank lines.

Told apart from caption text by its shape (readers/textshape.py): paragraphs of whole
sentences rather than short lines broken mid-sentence. Each paragraph is one cue; a
short line standing alone without a full stop is a heading (the first one, the title).
"""

from __future__ import annotations

from onrecord.model import Cue, Reading
from onrecord.readers import textshape


def _is_heading(lines: list[str]) -> bool:
    line = lines[0].strip()
    return len(lines) == 1 and len(line) <= 80 and not textshape.ends_sentence(line) and not line.endswith(",")


class TextDocumentReader:
    name = "text-document"
    description = "plain-text document: paragraphs separated by blank lines"

    def sniff(self, text: str, suffix: str) -> float:
        return 0.5 if textshape.prose_like(text) and textshape.is_prose_document(text) else 0.0

    def read(self, text: str) -> Reading:
        blocks = textshape.paragraphs(text.lstrip("\ufeff"))
        if len(blocks) == 1:
            # One paragraph per line, no blank lines between them.
            blocks = [(number, [line]) for number, line in enumerate(blocks[0][1], start=blocks[0][0])]
        cues: list[Cue] = []
        chapters: dict[int, str] = {}
        title = None
        for number, lines in blocks:
            if _is_heading(lines):
                heading = " ".join(lines[0].split())
                if title is None and not cues and not chapters:
                    title = heading
                else:
                    chapters[len(cues)] = heading
                continue
            cues.append(Cue(" ".join(" ".join(lines).split()), line=number))
        return textshape.document(self.name, cues, title, chapters)


reader = TextDocumentReader()
