"""The cold open: a montage of later moments played before the real start.

Runs in repair once turns are built, before sentences. A cold open is told by evidence,
not wording: its sentences come back later in the transcript. Each sentence near the
start is looked up by its word trigrams in the rest of the text; the cold open is the
opening stretch of sentences that mostly reappear after it (sentences that do not
reappear count against it, so it stops where the real start begins). Sentences too short
to check are neutral, and so is an unmatched clip that ends in "...", the montage's cut.
The turn where the cold open ends is cut in two there; with `attribute`, when the turns'
speakers were guessed, each clip goes to the speaker of the turn where it reappears.
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field

from onrecord.model import Turn
from onrecord.repair.pieces import append, piece

_SENTENCE = re.compile(r"\S.*?(?:[.!?…]+[\"'”’)\]]*(?=\s)|$)", re.DOTALL)
_NOT_WORD = str.maketrans({c: " " for c in '"“”‘`.,;:!?…()[]{}-–—/\\*_'})
# The cold open is looked for in the first third of the words, at most this many.
_REACH = 800
# A sentence reappears when at least this share of its trigrams occurs after the cold open.
_REPEATED = 0.5
# A cold open needs this many words of evidence, and this share of its checked words repeated.
_MIN_EVIDENCE = 12
_MIN_SHARE = 0.6


@dataclass(slots=True)
class _Sentence:
    turn: int
    begin: int  # character offsets in the turn's text
    end: int
    first: int  # word index (in the normalised words of all turns)
    last: int
    clip: bool  # ends with an ellipsis
    grams: list[tuple[str, ...]] = field(default_factory=list)


def mark(turns: list[Turn], *, attribute: bool = False) -> list[Turn]:
    """The turns with the cold open marked `teaser` (split off into turns of its own)."""
    words: list[str] = []
    first_word = []
    for turn in turns:
        first_word.append(len(words))
        words.extend(_normalise(turn.text))
    reach = min(_REACH, len(words) // 3)
    if reach < _MIN_EVIDENCE:
        return turns
    sentences = _opening(turns, reach)
    wanted = {gram for sentence in sentences for gram in sentence.grams}
    last_seen = _last_occurrences(words, wanted)
    end = _cold_open_end(sentences, last_seen)
    if end is None:
        return turns

    cut = sentences[end]
    clips = sentences[: end + 1]
    voices = [turns[s.turn] for s in clips]
    if attribute:
        voices = _where_they_reappear(clips, last_seen, cut.last, turns, first_word)
    teaser = _teaser_turns(turns, clips, voices, regroup=attribute)
    rest = turns[cut.turn + 1 :]
    tail = turns[cut.turn]
    if cut.end < len(tail.text.rstrip()):
        rest.insert(0, piece(tail, cut.end, len(tail.text)))
    return teaser + rest


def _normalise(text: str) -> list[str]:
    return text.lower().replace("’", "'").translate(_NOT_WORD).split()


def _opening(turns: list[Turn], reach: int) -> list[_Sentence]:
    """The sentences of the first `reach` words, with their trigrams."""
    sentences = []
    count = 0
    for t, turn in enumerate(turns):
        for match in _SENTENCE.finditer(turn.text):
            # A "sentence" of punctuation only has no words to check, but must stay in its turn.
            normal = _normalise(match.group())
            sentence = _Sentence(t, match.start(), match.end(), count, count + len(normal), clip=False)
            sentence.clip = match.group().rstrip("\"'”’)] ").endswith(("...", "…"))
            sentence.grams = [tuple(normal[i : i + 3]) for i in range(len(normal) - 2)]
            sentences.append(sentence)
            count += len(normal)
            if count >= reach:
                return sentences
    return sentences


def _last_occurrences(words: list[str], wanted: set[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """Where each wanted trigram last starts in `words`: one pass, cheap for long texts."""
    firsts = {gram[0] for gram in wanted}
    last: dict[tuple[str, ...], int] = {}
    for i, word in enumerate(words[:-2]):
        if word in firsts:
            gram = (word, words[i + 1], words[i + 2])
            if gram in wanted:
                last[gram] = i
    return last


def _cold_open_end(sentences: list[_Sentence], last_seen: dict[tuple[str, ...], int]) -> int | None:
    """Index of the cold open's last sentence, or None when the evidence is not there."""
    best, best_score = None, 0
    for e in range(len(sentences) - 1):
        after = sentences[e].last
        score = repeated = checked = 0
        for sentence in sentences[: e + 1]:
            if not sentence.grams:
                continue
            size = sentence.last - sentence.first
            if _reappears(sentence, last_seen, after):
                score += size
                repeated += size
            elif not sentence.clip:
                score -= size
            checked += size
        if checked and repeated / checked >= _MIN_SHARE and score > best_score:
            best, best_score = e, score
    if best is None or best_score < _MIN_EVIDENCE:
        return None
    opening = next((s for s in sentences if s.grams), None)
    if opening is None or not _reappears(opening, last_seen, sentences[best].last):
        return None
    return best


def _reappears(sentence: _Sentence, last_seen: dict[tuple[str, ...], int], after: int) -> bool:
    later = sum(last_seen.get(gram, -1) >= after for gram in sentence.grams)
    return later >= _REPEATED * len(sentence.grams)


def _where_they_reappear(
    clips: list[_Sentence], last_seen: dict[tuple[str, ...], int], after: int, turns: list[Turn], first_word: list[int]
) -> list[Turn]:
    """The turn each clip reappears in (whose speaker said it); a clip not found, its neighbour's."""
    found: list[Turn | None] = []
    for clip in clips:
        places = [last_seen[g] for g in clip.grams if last_seen.get(g, -1) >= after]
        if places and len(places) >= _REPEATED * len(clip.grams):
            where = int(statistics.median(places))
            found.append(turns[bisect.bisect_right(first_word, where) - 1])
        else:
            found.append(None)
    fallback = next((t for t in found if t is not None), turns[clips[0].turn])
    voices = []
    for turn in found:
        fallback = turn or fallback
        voices.append(fallback)
    return voices


def _teaser_turns(turns: list[Turn], clips: list[_Sentence], voices: list[Turn], *, regroup: bool) -> list[Turn]:
    """The cold open as turns: one per run of clips by one speaker (or per original turn); a
    clip is as sure of its speaker as the turn it was found in."""
    out: list[Turn] = []
    key: str | int | None = None
    for clip, voice in zip(clips, voices, strict=True):
        clipped = piece(turns[clip.turn], clip.begin, clip.end)
        clipped.speaker = voice.speaker
        clipped.confidence = voice.confidence
        clipped.teaser = True
        here: str | int = voice.speaker if regroup else clip.turn
        if out and here == key:
            out[-1].confidence = min(out[-1].confidence, clipped.confidence)
            append(out[-1], clipped)
        else:
            out.append(clipped)
        key = here
    return out
