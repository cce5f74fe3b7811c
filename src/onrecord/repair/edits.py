"""Owner edits applied over a repaired transcript: the last step of repair for a corrected source.

An edit names turns by the words they hold (offsets into the transcript's words, in order),
so that it applies again to a new repair of the same file even when that repair cuts turns
elsewhere: setting the speaker of words 120-180 first cuts turns at 120 and 180 if no turn
starts there. Every changed turn gets its sentences and clean-verbatim text again.
"""

from __future__ import annotations

import bisect

from onrecord.errors import InputError
from onrecord.model import Edit, Speaker, Transcript, Turn
from onrecord.repair import clean, sentences
from onrecord.repair.pieces import append, piece


def word_starts(transcript: Transcript) -> list[int]:
    """The offset of each turn's first word in the transcript's words."""
    starts = []
    count = 0
    for turn in transcript.turns:
        starts.append(count)
        count += len(turn.text.split())
    return starts


def apply(transcript: Transcript, edit: Edit) -> None:
    """Apply one edit in place; InputError when it names words the transcript does not have
    or would join turns across a chapter title or the cold open. A `source` edit changes
    no turn."""
    data = edit.data
    if edit.kind == "speaker":
        first, last = int(data["first"]), int(data["last"])
        _cut(transcript, first)
        _cut(transcript, last)
        label = speaker_label(transcript, str(data["speaker"]))
        starts = word_starts(transcript)
        for index in range(bisect.bisect_left(starts, first), bisect.bisect_left(starts, last)):
            turn = transcript.turns[index]
            turn.speaker, turn.confidence = label, 1.0
    elif edit.kind == "split":
        _cut(transcript, int(data["at"]))
    elif edit.kind == "merge":
        _join(transcript, int(data["at"]))


def speaker_label(transcript: Transcript, name: str) -> str:
    """The label of the speaker called `name` (by label or name, any case); a new speaker,
    labelled with the name itself, when nobody is."""
    wanted = name.strip().casefold()
    for speaker in transcript.speakers:
        if wanted in (speaker.label.casefold(), (speaker.name or "").casefold()):
            return speaker.label
    transcript.speakers.append(Speaker(name.strip()))
    return name.strip()


def _total(transcript: Transcript) -> int:
    return sum(len(turn.text.split()) for turn in transcript.turns)


def _cut(transcript: Transcript, word: int) -> None:
    """A turn starts at `word` (the turn holding it is cut in two there), unless one does."""
    total = _total(transcript)
    if not 0 <= word <= total:
        raise InputError(f"word {word} is outside the transcript ({total} words)")
    starts = word_starts(transcript)
    index = bisect.bisect_right(starts, word) - 1
    if word == total or starts[index] == word:
        return
    turn = transcript.turns[index]
    offset = _char_offset(turn.text, word - starts[index])
    head, tail = piece(turn, 0, offset), piece(turn, offset, len(turn.text))
    transcript.turns[index : index + 1] = [_redone(head), _redone(tail)]
    for chapter in transcript.chapters:
        if chapter.turn > index:
            chapter.turn += 1


def _join(transcript: Transcript, word: int) -> None:
    """The turn that starts at `word` joins the turn before it (nothing when none starts there)."""
    starts = word_starts(transcript)
    index = bisect.bisect_left(starts, word)
    if word <= 0 or index >= len(starts) or starts[index] != word:
        return
    before, turn = transcript.turns[index - 1], transcript.turns[index]
    if any(chapter.turn == index for chapter in transcript.chapters):
        raise InputError(f"turns {index - 1} and {index} are in different chapters: a turn cannot cross a title")
    if before.teaser != turn.teaser:
        raise InputError(f"turn {index - 1} and {index}: the cold open cannot be joined to the conversation")
    before.confidence = min(before.confidence, turn.confidence)
    append(before, turn)
    _redone(before)
    del transcript.turns[index]
    for chapter in transcript.chapters:
        if chapter.turn > index:
            chapter.turn -= 1


def _char_offset(text: str, words: int) -> int:
    """Where the word after the first `words` words of `text` starts."""
    position = 0
    for _ in range(words):
        while text[position].isspace():
            position += 1
        while position < len(text) and not text[position].isspace():
            position += 1
    while text[position].isspace():
        position += 1
    return position


def _redone(turn: Turn) -> Turn:
    """The turn with its sentences and clean text made again from its words."""
    turn.sentences = sentences.split(turn.text, turn.anchors, turn_end=turn.end)
    turn.clean_text = clean.clean(turn.text)
    return turn
