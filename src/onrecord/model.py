"""The product's nouns as plain dataclasses; every stage of the pipeline speaks in these.

Readers produce a `Reading` (what a file literally holds), repair turns it into a
`Transcript` (speaker-true turns, chapters, sentences), and the store keeps `Source`s.
No I/O here and no imports from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["speech", "document"]


@dataclass(slots=True)
class Word:
    """One spoken word with its timing and diarised speaker, when the input has them."""

    text: str
    start: float | None = None
    end: float | None = None
    speaker: str | None = None


@dataclass(slots=True)
class Cue:
    """One unit as the input file holds it: a caption cue, a segment, a line or a paragraph.

    `speaker` is the label the file gives (which may lag or lead the real voice);
    `line` is where the cue starts in the file, for error messages and provenance.
    """

    text: str
    start: float | None = None
    end: float | None = None
    speaker: str | None = None
    words: list[Word] | None = None
    line: int | None = None


@dataclass(slots=True)
class Reading:
    """What a reader got out of one file, before any repair."""

    format: str
    cues: list[Cue]
    kind: Kind = "speech"
    title: str | None = None
    # The input marks real voice changes inline (">>" in captions) rather than by label.
    voice_markers: bool = False
    # Chapters the file marks itself (headings, topic annotations): (index of the first cue, title).
    chapters: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class Sentence:
    """A sentence of a turn: character offsets into the turn's verbatim text."""

    begin: int
    end: int
    start: float | None = None
    stop: float | None = None


@dataclass(slots=True)
class Turn:
    """A stretch of speech by one speaker, as repaired.

    `text` is verbatim; `clean_text` drops fillers and stutters. `anchors` maps character
    offsets of `text` to times (seconds) so that sentences and passages can be timed.
    """

    speaker: str
    text: str
    clean_text: str = ""
    start: float | None = None
    end: float | None = None
    teaser: bool = False
    sentences: list[Sentence] = field(default_factory=list)
    anchors: list[tuple[int, float]] = field(default_factory=list)
    # Index of the cue this turn starts in, while repair runs (not stored).
    cue: int = 0


@dataclass(slots=True)
class Chapter:
    """A titled section; `turn` is the index of its first turn."""

    title: str
    turn: int
    start: float | None = None


@dataclass(slots=True)
class Speaker:
    """A speaker label as the file or the importer gave it, and the name an owner set."""

    label: str
    name: str | None = None

    @property
    def display(self) -> str:
        return self.name or self.label


@dataclass(slots=True)
class Transcript:
    """A repaired transcript: turns in order, the chapters over them, who speaks."""

    turns: list[Turn]
    chapters: list[Chapter] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(turn.text.split()) for turn in self.turns)

    def speaker_name(self, label: str) -> str:
        for speaker in self.speakers:
            if speaker.label == label:
                return speaker.display
        return label


@dataclass(slots=True)
class Source:
    """One imported file and its repaired transcript."""

    id: str
    title: str
    format: str
    sha256: str
    transcript: Transcript
    url: str | None = None
    date: str | None = None
    path: str | None = None
    kind: Kind = "speech"
    added: str | None = None


@dataclass(slots=True)
class Passage:
    """A quotable unit: a few sentences of one turn, with the context it was said in.

    `text` is what a result shows (verbatim); `prompt` is the other speaker's words that
    led to it (the question) and `prompt_turn` the index of that turn; `chapter` is the
    chapter title. `begin`/`end` are character
    offsets into the turn's text, so a passage can always be traced to its words.
    `lead_in` is what its embedding reads before its words (index/passages.py `lead_in`).
    """

    source_id: str
    turn: int
    begin: int
    end: int
    speaker: str
    text: str
    prompt: str = ""
    prompt_turn: int | None = None
    chapter: str | None = None
    start: float | None = None
    stop: float | None = None
    id: int | None = None
    # Its turn ends with a question: the passage asks rather than answers.
    asks: bool = False
    lead_in: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())
