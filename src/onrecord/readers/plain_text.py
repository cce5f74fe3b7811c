"""Plain caption text (seed 003): lines broken mid-sentence, no speakers, no times.

Each line becomes a cue; repair finds chapter titles among the lines, splits the
text into sentences and voices. This is the fallback for any text of words; text
that is not words (JSON, XML, a table of numbers) is left to no reader, so detection
says the format is unknown instead of importing numbers as speech.
"""

from __future__ import annotations

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import textshape


class PlainTextReader:
    name = "caption-text"
    description = "plain caption text: one caption line per line, no speakers or times (the fallback)"

    def sniff(self, text: str, suffix: str) -> float:
        if not textshape.prose_like(text):
            return 0.0
        # Anything that is words can be read as caption lines; every other reader outranks this.
        return 0.31 if suffix in ("", ".txt") else 0.3

    def read(self, text: str) -> Reading:
        cues = [Cue(line.strip(), line=n) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if not cues:
            raise InputError("the file has no text")
        return Reading(format=self.name, cues=cues)


reader = PlainTextReader()
