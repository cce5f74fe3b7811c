"""Plain caption text (seed 003): lines broken mid-sentence, no speakers, no times.

Each line becomes a cue; repair finds chapter titles among the lines, splits the
text into sentences and voices. Prose documents are told apart by their paragraphs.
"""

from __future__ import annotations

from onrecord.errors import InputError
from onrecord.model import Cue, Reading


class PlainTextReader:
    name = "caption-text"
    description = "plain caption text: one caption line per line, no speakers or times"

    def sniff(self, text: str, suffix: str) -> float:
        # Anything that is text can be read as caption lines; every other reader outranks this.
        return 0.31 if suffix in ("", ".txt") else 0.3

    def read(self, text: str) -> Reading:
        cues = [Cue(line.strip(), line=n) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if not cues:
            raise InputError("the file has no text")
        return Reading(format=self.name, cues=cues)


reader = PlainTextReader()
