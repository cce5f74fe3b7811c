"""Speaker turns for unlabelled speech: split where the voice plainly changes.

Runs in repair in place of `turns` when the file names no speakers (plain caption text,
WebVTT or SRT without voices). Caption lines do not follow turns, so the cues are joined
into one text and cut into sentences. A change of voice is placed at a sentence boundary
wherever the `dialogue` signs around it make one likely (after a question, at an answer
opener, around a backchannel, between short sentences). The stretches between changes
then go to one of two roles, the host who asks and the guest who answers, by Viterbi
over two states, so that a change found in vain does not swap every later turn. Roles
are labelled `Speaker A`, `Speaker B` in order of appearance. Two guests are not told
apart, and a change inside a sentence is not found.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from collections.abc import Sequence

from onrecord.model import Cue, Turn
from onrecord.repair import dialogue

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?= )")
HOST, GUEST = 0, 1

# The weights, as log-odds (0: no evidence). The change weights were fitted by logistic
# regression on a development subset (the first three Changelog podcasts, see
# benchmarks/quality_voices.py) and the threshold moved to the best F1 there; then
# _AFTER_BACKCHANNEL (fitted: -0.27) and _BEFORE_QUESTION (0.59) were raised, and the
# rest of the values chosen, on a small grid over the development subset (Changelog
# and QMSum). The role weights are set by hand from how interviews run: the podcasts
# are panels with no single guest, so they cannot teach who the host is.
# Fewer exchanges than one per this many words: a monologue (see _monologue).
MONOLOGUE_WORDS = 1000
_CHANGE = 0.65  # the fitted bias, less the threshold: a change when the odds are positive
_AFTER_QUESTION = 0.9
_OPENER = 1.27
_BACKCHANNEL = 0.79
_AFTER_BACKCHANNEL = 1.5
_QUESTION_RUN = 1.66  # a question after a question: the same person asking on
_BEFORE_QUESTION = 1.0
_LONG = 0.55  # per median sentence length (up to 2) of each sentence: long ones sit inside turns
_HOST_QUESTION = 1.6
_HOST_ADDRESS = 0.7
_HOST_ASK = 1.2
_GUEST_MONOLOGUE = 0.25
_GUEST_WE = 0.3
_CONTRAST = 0.3  # per unit of difference in host odds between two sentences
_HOST_ENDS_ASKING = 1.5  # a stretch that ends with a question or a request is the host's
_HOST_FIRST = 1.0  # the host usually opens the conversation
_ALTERNATE = 0.5  # log-odds that the stretch after a change is by the other role


def split(cues: list[Cue], breaks: set[int]) -> list[Turn]:
    """Turns over `cues`, one voice each; a turn starts at every cue index in `breaks`."""
    texts = [" ".join(cue.text.split()) for cue in cues]
    owners = [i for i, text in enumerate(texts) if text]
    if not owners:
        return []
    starts = []
    position = 0
    for i in owners:
        starts.append(position)
        position += len(texts[i]) + 1
    flat = " ".join(texts[i] for i in owners)

    forced = set()
    for cue_index in breaks:
        j = bisect.bisect_left(owners, cue_index)
        if j < len(owners):
            forced.add(starts[j])
    bounds = {0, *forced}
    bounds.update(match.end() + 1 for match in _SENTENCE_END.finditer(flat))
    cuts = sorted(bounds)
    spans = list(zip(cuts, [*cuts[1:], len(flat) + 1], strict=True))
    signs = [dialogue.read(flat[b:e]) for b, e in spans]
    if _monologue(signs):
        roles = [0] * len(spans)
    else:
        roles = decode(signs, {n for n, (b, _) in enumerate(spans) if b in forced})

    built: list[Turn] = []
    labels: dict[int, str] = {}
    begin = 0
    for n, ((_, e), role) in enumerate(zip(spans, roles, strict=True)):
        last = n + 1 == len(spans)
        if last or roles[n + 1] != role or spans[n + 1][0] in forced:
            label = labels.setdefault(role, _label(len(labels)))
            built.append(_turn(label, flat, begin, e - 1, cues, owners, starts))
            begin = e
    return built


def _monologue(signs: Sequence[dialogue.Signs]) -> bool:
    """A conversation has questions and backchannels: with none, or fewer than one
    per MONOLOGUE_WORDS words, the text is one voice (a talk, a reading) and is not split."""
    exchanges = sum(sign.question or sign.backchannel for sign in signs)
    return exchanges < max(1, sum(sign.words for sign in signs) / MONOLOGUE_WORDS)


def decode(signs: Sequence[dialogue.Signs], chapters: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """The role (HOST or GUEST) of each sentence; `chapters`: sentences that start a chapter.

    First the voice changes: a change wherever the signs around a sentence boundary make
    it likelier than not. Then the roles of the stretches between changes (and chapter
    starts, where the voice may or may not change), by Viterbi over two states: after a
    change the next stretch is by the other role unless its signs outweigh the cost of a
    change found in vain (or of a guest answering a guest).
    """
    if not signs:
        return []
    typical = max(statistics.median(sign.words for sign in signs), 1)
    stretches: list[list[int]] = [[0]]
    changes = [True]
    for i in range(1, len(signs)):
        change = _change_odds(signs[i - 1], signs[i], typical) > 0
        if change or i in chapters:
            stretches.append([])
            changes.append(change)
        stretches[-1].append(i)
    flip = -math.log1p(math.exp(-_ALTERNATE)), -math.log1p(math.exp(_ALTERNATE))
    even = -math.log(2), -math.log(2)
    odds = [
        sum(_host_odds(signs[i]) for i in stretch) + _HOST_ENDS_ASKING * _asks(signs[stretch[-1]])
        for stretch in stretches
    ]
    score = [(odds[0] + _HOST_FIRST) / 2, -(odds[0] + _HOST_FIRST) / 2]
    back: list[tuple[int, int]] = []
    for o, change in zip(odds[1:], changes[1:], strict=True):
        alternate, again = flip if change else even
        host_from = GUEST if score[GUEST] + alternate >= score[HOST] + again else HOST
        guest_from = HOST if score[HOST] + alternate >= score[GUEST] + again else GUEST
        score = [
            score[host_from] + (alternate if host_from == GUEST else again) + o / 2,
            score[guest_from] + (alternate if guest_from == HOST else again) - o / 2,
        ]
        back.append((host_from, guest_from))
    role = HOST if score[HOST] >= score[GUEST] else GUEST
    roles = [role]
    for host_from, guest_from in reversed(back):
        role = host_from if role == HOST else guest_from
        roles.append(role)
    roles.reverse()
    return [role for role, stretch in zip(roles, stretches, strict=True) for _ in stretch]


def name_in_order(turns: list[Turn]) -> None:
    """Relabel `Speaker A`, `Speaker B`... in the order the voices first speak."""
    order: dict[str, str] = {}
    for turn in turns:
        turn.speaker = order.setdefault(turn.speaker, _label(len(order)))


def _label(n: int) -> str:
    return f"Speaker {chr(ord('A') + n)}" if n < 26 else f"Speaker {n + 1}"


def _host_odds(sign: dialogue.Signs) -> float:
    """Log-odds that the host, not the guest, says a sentence with these signs."""
    if sign.backchannel:
        return 0.0
    return (
        _HOST_QUESTION * sign.question
        + _HOST_ADDRESS * min(sign.address, 3)
        + _HOST_ASK * sign.ask
        - _GUEST_MONOLOGUE * min(sign.monologue, 4)
        - _GUEST_WE * min(sign.we, 3)
    )


def _asks(sign: dialogue.Signs) -> bool:
    return sign.question or (sign.ask and sign.address > 0)


def _change_odds(previous: dialogue.Signs, sign: dialogue.Signs, typical: float) -> float:
    """Log-odds that the voice changes between two sentences; `typical`: median sentence words."""
    z = _CHANGE - _LONG * (min(previous.words / typical, 2) + min(sign.words / typical, 2))
    if previous.question:
        z += _AFTER_QUESTION - (_QUESTION_RUN if sign.question else 0.0)
    elif sign.question:
        z += _BEFORE_QUESTION
    z += _CONTRAST * abs(_host_odds(sign) - _host_odds(previous))
    if sign.opener:
        z += _OPENER
    if sign.backchannel:
        z += _BACKCHANNEL
    if previous.backchannel:
        z += _AFTER_BACKCHANNEL
    return z


def _turn(label: str, flat: str, begin: int, end: int, cues: list[Cue], owners: list[int], starts: list[int]) -> Turn:
    """The turn over `flat[begin:end]`, with the cue it starts in and its times, if any."""
    first = bisect.bisect_right(starts, begin) - 1
    turn = Turn(speaker=label, text=flat[begin:end].strip(), cue=owners[first])
    last = bisect.bisect_right(starts, max(begin, end - 1)) - 1
    for j in range(first, last + 1):
        cue = cues[owners[j]]
        if cue.start is None:
            continue
        offset = max(starts[j] - begin, 0)
        time = _time_at(cue, begin - starts[j]) if starts[j] < begin else cue.start
        if time is not None:
            turn.anchors.append((offset, time))
    if turn.anchors:
        turn.start = turn.anchors[0][1]
    tail = cues[owners[last]]
    tail_text_end = starts[last] + len(" ".join(tail.text.split()))
    # A turn cut inside a cue ends where the next one starts (after the space between them).
    turn.end = tail.end if end >= tail_text_end else _time_at(tail, end + 1 - starts[last])
    return turn


def _time_at(cue: Cue, offset: int) -> float | None:
    """The time at character `offset` of a cue: its word's start, else by proportion."""
    text = " ".join(cue.text.split())
    if cue.words:
        k = len(text[:offset].split())
        if len(cue.words) == len(text.split()) and k < len(cue.words) and cue.words[k].start is not None:
            return cue.words[k].start
    if cue.start is not None and cue.end is not None and text:
        return cue.start + (cue.end - cue.start) * min(max(offset, 0), len(text)) / len(text)
    return cue.start
