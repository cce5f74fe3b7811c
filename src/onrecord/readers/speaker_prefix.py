"""Speaker names written into caption text ("JOHN: ...", "- Mary Lu: ...", "[Ana] ...").

Subtitle files (SRT, SBV, WebVTT without voice tags) often name who speaks at the start
of a line. A name only counts when it is clearly used as one: it recurs, or several
names do; sound tags such as "[Music]" never count. Dialogue dashes ("- Hi.") mark a
change of voice without a name and become ">>" voice markers, as in broadcast captions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from onrecord.model import Cue

_PREFIX = re.compile(r"(?P<lead>(?:-|>>)\s*)?(?:\[(?P<bracket>[^\]\n]{1,40})\]|(?P<colon>[^:\n]{1,40}):)\s+(?=\S)")
_NAME_WORD = re.compile(r"[\w.'’-]+")
_PARTICLES = {"de", "da", "di", "del", "der", "van", "von", "la", "le", "bin", "al", "el", "du", "st."}
# Bracketed sound and action tags, which captions write in the same place as names.
_SOUNDS = {
    "music", "applause", "laughter", "laughs", "laughing", "laugh", "chuckles", "chuckling", "cheering",
    "cheers", "inaudible", "unintelligible", "crosstalk", "silence", "noise", "sighs", "sigh", "coughs",
    "cough", "foreign", "background", "indistinct", "static", "beep", "bleep", "clapping", "whistling",
    "singing", "narrator", "sound", "music playing", "upbeat music", "no audio", "speaking foreign language",
}  # fmt: skip


def is_name(label: str) -> bool:
    """One to four words, each capitalised or a number, or a particle such as "van"; not a sound tag."""
    words = label.split()
    if not 1 <= len(words) <= 4 or label.lower() in _SOUNDS or not words[0][0].isalpha():
        return False
    return all(
        _NAME_WORD.fullmatch(w) is not None and (w[0].isupper() or w[0].isdigit() or w.lower() in _PARTICLES)
        for w in words
    )


def _candidate(line: str) -> str | None:
    match = _PREFIX.match(line)
    if match is None:
        return None
    label = (match["bracket"] or match["colon"]).strip()
    return label if is_name(label) else None


def find_labels(lines: Iterable[str]) -> dict[str, str]:
    """The speaker names a file writes at line starts, when it clearly uses them as names.

    A name counts when it recurs, or is in capitals beside one that recurs, or when a file
    has only names used once but several of them. Keyed in lower case ("JOHN:" and "[John]"
    are one speaker), each with its most used spelling.
    """
    spellings = Counter(label for line in lines if (label := _candidate(line.lstrip())) is not None)
    counts: Counter[str] = Counter()
    for label, n in spellings.items():
        counts[label.lower()] += n
    chosen = {key for key, n in counts.items() if n >= 2}
    if chosen:
        # Beside recurring names, a capitalised one ("BEN:") is a speaker too; "Note:" is not.
        chosen |= {label.lower() for label in spellings if label.isupper()}
    elif len(counts) >= 2:
        chosen = set(counts)
    names: dict[str, str] = {}
    for label, _ in spellings.most_common():
        if label.lower() in chosen:
            names.setdefault(label.lower(), label)
    return names


def split(text: str, labels: dict[str, str]) -> list[tuple[str | None, str]]:
    """(speaker or None, text) pieces of one cue's lines; a named line starts a new piece."""
    pieces: list[tuple[str | None, list[str]]] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        match = _PREFIX.match(line) if labels else None
        label = (match["bracket"] or match["colon"]).strip().lower() if match else None
        if match is not None and label in labels:
            pieces.append((labels[label], [line[match.end() :]]))
        elif line.startswith("- ") or (line.startswith("-") and line[1:2].isalpha()):
            pieces.append((None, [">> " + line[1:].strip()]))
        elif pieces:
            pieces[-1][1].append(line)
        else:
            pieces.append((None, [line]))
    return [(speaker, " ".join(lines)) for speaker, lines in pieces]


def named_cues(timed: list[tuple[Cue, str]]) -> list[Cue]:
    """Each timed cue with its caption text, split where a named speaker starts; empty pieces dropped."""
    labels = find_labels(line for _, text in timed for line in text.split("\n"))
    cues: list[Cue] = []
    for cue, text in timed:
        for speaker, piece in split(text, labels):
            piece = " ".join(piece.split())
            if piece:
                cues.append(Cue(piece, cue.start, cue.end, speaker, cue.words, cue.line))
    return cues
