"""RTTM speaker-time files (pyannote, NIST): recognised so they are refused with a reason.

An RTTM line says who spoke when (`SPEAKER file 1 start duration <NA> <NA> spk <NA> <NA>`)
but not what was said, so there is nothing to quote. Without this reader the file would
be read as caption text, its numbers taken for words.
"""

from __future__ import annotations

from onrecord.errors import InputError
from onrecord.model import Reading


def _is_rttm_line(line: str) -> bool:
    fields = line.split()
    if len(fields) < 8 or fields[0] not in ("SPEAKER", "SPKR-INFO", "LEXEME", "NON-SPEECH", "NON-LEX"):
        return False
    try:
        float(fields[3])
        float(fields[4])
    except ValueError:
        return False
    return True


class RTTMReader:
    name = "rttm"
    description = "RTTM speaker times (refused: they hold no words)"

    def sniff(self, text: str, suffix: str) -> float:
        lines = [line for line in text[:4000].split("\n")[:20] if line.strip()]
        if lines and all(_is_rttm_line(line) for line in lines[: max(1, len(lines) - 1)]):
            return 0.95
        return 0.4 if suffix == ".rttm" else 0.0

    def read(self, text: str) -> Reading:
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip() and not _is_rttm_line(line):
                raise InputError(f"not an RTTM line: {line.strip()[:60]!r}", where=f"line {number}")
        raise InputError(
            "speaker timings only, no words: an RTTM file says who spoke when, not what was said; "
            "import the transcript itself (e.g. WhisperX or diarised JSON)",
            where="line 1",
        )


reader = RTTMReader()
