"""WebVTT captions: voice tags, word timings, and YouTube's rolling auto-captions.

Reads cue timings and text with its own small parser rather than webvtt-py: that library
either drops a malformed cue silently or (strict) rejects real exports (Teams' `0:0:0.0`,
YouTube cues without a blank line), never says on which line, keeps only the first
voice of a cue and strips the word-timing tags we use. WebVTT blocks are simple enough
to read here with line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from onrecord.errors import InputError
from onrecord.model import Cue, Reading, Word
from onrecord.readers import cue_text, speaker_prefix
from onrecord.readers.caption_blocks import blocks
from onrecord.readers.timecode import check_span, parse_clock

_TIMING = re.compile(r"\s*(\S+)\s+-->\s+(\S+)")
_TIMING_SNIFF = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}\s+-->\s", re.M)
_TAG = re.compile(r"<([^>\n]*)>")
_STYLE_TAG = re.compile(r"<(?!\d)[^>\n]*>")
_WORD_TIME = re.compile(r"<(\d[\d:.]*)>")
# A cue of a rolling display repeats the line shown before it; this share of cues doing so marks the style.
_ROLLING_SHARE = 0.3


@dataclass(slots=True)
class _Piece:
    """One line of a cue, or the part of it one voice speaks."""

    speaker: str | None
    chunks: list[tuple[float | None, str]] = field(default_factory=list)
    timed: bool = False
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = " ".join(cue_text.plain("".join(chunk for _, chunk in self.chunks)).split())
        return self._text

    def words(self, end: float | None, *, timed: bool = False) -> list[Word] | None:
        """Timed words when the line has word timings (or `timed`: its first word starts the cue)."""
        if not (self.timed or timed):
            return None
        words: list[Word] = []
        speaker = self.speaker
        previous: Word | None = None
        for start, chunk in self.chunks:
            tokens = cue_text.plain(chunk).split()
            if not tokens:
                continue
            first = Word(tokens[0], start, None, speaker)
            if start is not None:
                if previous is not None:
                    previous.end = start  # a word lasts until the next timed word starts
                previous = first
            words.append(first)
            words.extend(Word(token, None, None, speaker) for token in tokens[1:])
        if previous is not None:
            previous.end = end
        return words or None


@dataclass(slots=True)
class _RawCue:
    start: float
    end: float
    line: int
    pieces: list[list[_Piece]]  # per payload line


class WebVTTReader:
    name = "webvtt"
    description = "WebVTT captions (.vtt): voice tags, word timings, YouTube rolling captions"

    def sniff(self, text: str, suffix: str) -> float:
        head = text[:4000]
        if head.lstrip("\ufeff").startswith("WEBVTT"):
            return 1.0
        if _TIMING_SNIFF.search(head):
            return 0.7 if suffix == ".vtt" else 0.5
        return 0.35 if suffix == ".vtt" else 0.0

    def read(self, text: str) -> Reading:
        lines = text.lstrip("\ufeff").split("\n")
        first = 0
        if lines[0].startswith("WEBVTT"):
            # The header runs to the first blank line (Kind:, Language:, YouTube's Style: lines).
            first = 1
            while first < len(lines) and lines[first].strip() and "-->" not in lines[first]:
                first += 1
        raw = list(self._cues(lines, first))
        if not raw:
            raise InputError("no WebVTT cues (expected lines like 00:00:01.000 --> 00:00:04.000)")
        cues = self._dedupe(raw) if _rolling(raw) else self._flat(raw)
        if not any(cue.text for cue in cues):
            raise InputError("the captions have no text")
        cues = [cue for cue in cues if cue.text]
        if any(cue.speaker for cue in cues) or any(cue.words for cue in cues):
            for cue in cues:
                cue.text = " ".join(cue.text.split())
        else:
            cues = speaker_prefix.named_cues([(cue, cue.text) for cue in cues])
        return Reading(format=self.name, cues=cues, voice_markers=any(">>" in cue.text for cue in cues))

    def _cues(self, lines: list[str], first: int) -> list[_RawCue]:
        found: list[_RawCue] = []
        for number, block in blocks(lines, first, spaces_end_block=False):
            head = block[0]
            if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in "".join(block[:2]):
                continue
            timing = 0 if "-->" in head else 1 if len(block) > 1 and "-->" in block[1] else -1
            if timing < 0:
                if _TAG.sub("", " ".join(block)).strip().startswith("::cue"):
                    continue  # a STYLE block's rules that lost their STYLE line
                raise InputError(
                    f"text outside any cue, without a timing line: {head.strip()[:60]!r}", where=f"line {number}"
                )
            where = f"line {number + timing}, cue {len(found) + 1}"
            match = _TIMING.match(block[timing])
            if match is None:
                raise InputError(f"not a cue timing line: {block[timing].strip()[:60]!r}", where=where)
            start, end = parse_clock(match[1], where), parse_clock(match[2], where)
            check_span(start, end, where)
            pieces: list[list[_Piece]] = []
            voice: str | None = None
            for line in block[timing + 1 :]:
                line_pieces, voice = _pieces(line, start, voice)
                pieces.append(line_pieces)
            found.append(_RawCue(start, end, number, pieces))
        return found

    def _flat(self, raw: list[_RawCue]) -> list[Cue]:
        """Ordinary captions: a cue's lines kept together, split only where the voice changes."""
        cues: list[Cue] = []
        for item in raw:
            groups: list[list[_Piece]] = []
            for line_pieces in item.pieces:
                for piece in line_pieces:
                    if groups and groups[-1][0].speaker == piece.speaker:
                        groups[-1].append(piece)
                    else:
                        groups.append([piece])
            for group in groups:
                timed = [w for piece in group for w in piece.words(item.end) or ()]
                text = "\n".join(t for piece in group if (t := piece.text))
                cues.append(Cue(text, item.start, item.end, group[0].speaker, timed or None, item.line))
        return cues

    def _dedupe(self, raw: list[_RawCue]) -> list[Cue]:
        """Rolling captions: keep each displayed line once, the first time it is shown in full.

        YouTube repeats the previous line above the new one, and flashes the finished line
        alone for 10 ms; a line is new when the previous cue did not show it. A line that
        grows in place ("so I" -> "so I think") keeps only its new words.
        """
        cues: list[Cue] = []
        shown: list[str] = []
        for item in raw:
            now: list[str] = []
            for line_pieces in item.pieces:
                for piece in line_pieces:
                    text = piece.text
                    if not text:
                        continue
                    now.append(text)
                    if text in shown:
                        continue
                    # A rolling line of one word has no timing tag: the cue's start is the word's.
                    words = piece.words(item.end, timed=len(text.split()) == 1)
                    grown = next((old for old in shown if text.startswith(old + " ")), None)
                    if grown is not None:
                        drop = len(grown.split())
                        tokens = text.split()[drop:]
                        words = words[drop:] if words else None
                        text = " ".join(tokens)
                    start = words[0].start if words and words[0].start is not None else item.start
                    cues.append(Cue(text, start, item.end, piece.speaker, words, item.line))
            shown = now
        return cues


def _pieces(line: str, start: float, voice: str | None) -> tuple[list[_Piece], str | None]:
    """Split one payload line where the voice changes; inline timestamps start timed chunks.

    `voice` is the voice open at the line's start (a voice span may run over lines);
    the voice open at its end is returned with the pieces.
    """
    if "<" not in line:
        return [_Piece(voice, [(start, line)])], voice
    if "<v" not in line and "</v" not in line:
        return [_timed_piece(line, start, voice)], voice
    pieces = [_Piece(voice)]
    at: float | None = start
    position = 0
    for match in _TAG.finditer(line):
        if match.start() > position:
            pieces[-1].chunks.append((at, line[position : match.start()]))
            at = None
        position = match.end()
        tag = match[1].strip()
        if tag[:1].isdigit():
            try:
                at = parse_clock(tag, "")
            except InputError:
                continue  # a malformed word time loses only that word's time
            pieces[-1].timed = True
        elif tag[:1] == "v" and (tag[1:2].isspace() or tag[1:2] == "."):
            # <v Name> or <v.loud.quiet Name>: the annotation after the classes is the name.
            parts = tag.split(None, 1)
            voice = parts[1].strip() if len(parts) > 1 else None
            pieces.append(_Piece(voice))
        elif tag == "/v":
            voice = None
            pieces.append(_Piece(None))
    if position < len(line):
        pieces[-1].chunks.append((at, line[position:]))
    return [p for p in pieces if p.chunks], voice


def _timed_piece(line: str, start: float, voice: str | None) -> _Piece:
    """A line without voice tags: style tags go in one pass, then it splits at its word timings."""
    parts = _WORD_TIME.split(_STYLE_TAG.sub("", line))
    piece = _Piece(voice, [(start, parts[0])] if parts[0] else [])
    for stamp, text in zip(parts[1::2], parts[2::2], strict=True):
        try:
            at: float | None = parse_clock(stamp, "")
            piece.timed = True
        except InputError:
            at = None  # a malformed word time loses only that word's time
        piece.chunks.append((at, text))
    return piece


def _rolling(raw: list[_RawCue]) -> bool:
    repeats = 0
    previous: list[str] = []
    for item in raw:
        texts = [piece.text for line in item.pieces for piece in line]
        texts = [t for t in texts if t]
        if texts and previous and texts[0] == previous[-1]:
            repeats += 1
        previous = texts or previous
    return len(raw) >= 3 and repeats >= _ROLLING_SHARE * len(raw)


reader = WebVTTReader()
