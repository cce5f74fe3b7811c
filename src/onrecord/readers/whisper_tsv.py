"""Whisper's TSV output: a `start<TAB>end<TAB>text` header, then times in milliseconds."""

from __future__ import annotations

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers.timecode import MAX_SECONDS

MAX_MS = MAX_SECONDS * 1000


class WhisperTSVReader:
    name = "whisper-tsv"
    description = "Whisper TSV: start, end (milliseconds) and text, tab-separated, with a header"

    def sniff(self, text: str, suffix: str) -> float:
        header = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
        return 0.95 if header.split("\t") == ["start", "end", "text"] else 0.0

    def read(self, text: str) -> Reading:
        cues: list[Cue] = []
        for number, line in enumerate(text.lstrip("\ufeff").split("\n")[1:], start=2):
            if not line.strip():
                continue
            fields = line.split("\t", 2)
            where = f"line {number}"
            if len(fields) < 3:
                raise InputError("expected start, end and text separated by tabs", where=where)
            try:
                start_ms, end_ms = int(fields[0]), int(fields[1])
            except ValueError:
                raise InputError(
                    f"times must be whole milliseconds, got {fields[0][:40]!r} and {fields[1][:40]!r}", where=where
                ) from None
            # Checked as whole numbers: dividing a huge one by 1000 would overflow a float.
            for raw, value in ((fields[0], start_ms), (fields[1], end_ms)):
                if not 0 <= value <= MAX_MS:
                    raise InputError(
                        f"impossible time {raw.strip()[:24]} ms: times must be between 0 and {MAX_MS:,} ms",
                        where=where,
                    )
            start, end = start_ms / 1000, end_ms / 1000
            if end < start:
                raise InputError(f"impossible times: starts at {fields[0]} ms, ends at {fields[1]} ms", where=where)
            cue_text = " ".join(fields[2].split())
            if cue_text:
                cues.append(Cue(cue_text, start, end, line=number))
        if not cues:
            raise InputError("the transcript has no lines of text")
        return Reading(format=self.name, cues=cues)


reader = WhisperTSVReader()
