"""Extractive answers: the owner's own passages, chosen and ordered to answer a question.

The owner's best passage leads (a short remark gives way to a fuller hit that scores nearly
as well); only when none of the owner's words answers does another speaker's passage lead,
attributed by name, and never a passage of a question turn (what an interviewer asked is not
an answer). A short lead runs on into the next passage of the same turn so that a thought is
not cut off; a few more passages of the same speaker that answer nearly as well, and say
something the answer does not say yet, follow. A quote that would start mid-sentence (a long spoken sentence
is cut into passages) starts where the sentence did. Quotes read in clean verbatim; the
verbatim text stays beside them for checking.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from onrecord.answer.result import Citation
from onrecord.index.search import Hit
from onrecord.model import Passage
from onrecord.repair.clean import clean
from onrecord.store import Store

# At most this many quotes and about this many words in one answer.
MAX_QUOTES = 4
MAX_WORDS = 180
# A quote moved forward to a sentence start keeps at least this many words, else it stays.
FORWARD_MIN_WORDS = 10
# A lead shorter than this runs on into the next passage of its turn.
RUN_ON_WORDS = 40
# A supporting quote must score at least this share of the lead's score (and the floor).
SUPPORT = 0.75
# A lead with fewer words than this (after running on) gives way to a longer hit that
# scores nearly as well: a short remark rarely answers on its own.
LEAD_WORDS = 10
# A passage sharing this share of its content words with a quote already chosen repeats it.
REPEAT_SHARE = 0.7
# Another speaker's passage must score this much above the floor to be quoted instead.
OTHERS_MARGIN = 0.05
# Questions at the end of a quote are dropped when this many words remain.
MIN_STATEMENT_WORDS = 5
# A speaker cut short mid-sentence is followed into their next turn when what came between
# (an interjection, a laugh) is at most this many words.
INTERJECTION_WORDS = 25
_FINISHED = (".", "!", "?", "…")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CONTENT = re.compile(r"[a-z0-9']{4,}")
# A sound in brackets ("[laughter]", "[Music]"): part of a caption, not of what was said.
# The character offsets where the sentences of a passage's turn start.
SentenceStarts = Callable[[Passage], Sequence[int]]

_SOUND = re.compile(r"\s*\[[^\]\n]{1,40}\]\s*")


@dataclass(slots=True)
class Pick:
    """Consecutive passages of one turn that make one quote."""

    passages: list[Passage]
    score: float
    own: bool
    # Characters of the first passage left out: the quote starts at the last sentence start
    # in it (see _run_back).
    skip: int = 0

    @property
    def first(self) -> Passage:
        return self.passages[0]

    @property
    def text(self) -> str:
        """The passages' words, from the quote's start."""
        return " ".join(p.text.strip() for p in self.passages)[self.skip :]

    @property
    def verbatim(self) -> str:
        """The passages' words, without the question they end on ("... How do you price it?"):
        an answer quotes what was said, not what was asked next."""
        text = self.text
        sentences = _SENTENCE_END.split(text)
        while len(sentences) > 1 and sentences[-1].rstrip().endswith("?"):
            sentences.pop()
        kept = " ".join(sentences)
        return kept if len(kept.split()) >= MIN_STATEMENT_WORDS else text

    @property
    def words(self) -> int:
        return len(self.text.split()) if self.skip else sum(p.words for p in self.passages)


def choose(
    own: Sequence[Hit],
    others: Callable[[], Sequence[Hit]],
    store: Store,
    floor: float,
    *,
    named: bool = False,
    given: Collection[int | None] = (),
    starts: SentenceStarts | None = None,
) -> list[Pick]:
    """The passages an answer quotes, lead first: from `own` (the owner's hits, best first)
    when one scores `floor`, else from `others()` (anyone's, asked for only then) above
    `floor` plus a margin; else none.

    When the question `named` someone else, the best of `others()` leads when it scores
    `floor`, and the owner's words may follow it. Passages in `given` (quoted earlier in the
    conversation) are not quoted again. `starts` gives the sentence starts of a passage's turn,
    so that a quote begins at one.
    """
    mine = [h for h in own if h.score >= floor and not _only_asks(h.passage) and h.passage.id not in given]
    if named:
        theirs = _answers(others(), floor, given)
        if theirs:
            picks = [
                _run_back(
                    _run_on(Pick([theirs[0].passage], theirs[0].score, False), store, given), store, given, starts
                )
            ]
            if mine:
                taken = {*given, *(p.id for p in picks[0].passages)}
                mine_pick = _run_on(Pick([mine[0].passage], mine[0].score, True), store, taken)
                picks.append(_run_back(mine_pick, store, taken, starts))
            return picks
    usable = mine
    is_own = True
    if not usable:
        usable = _answers(others(), floor + OTHERS_MARGIN, given)
        is_own = False
    if not usable:
        return []
    lead = _lead(usable, store, given)
    picks = [_run_back(_run_on(Pick([lead.passage], lead.score, is_own), store, given), store, given, starts)]
    taken = {*given, *(p.id for p in picks[0].passages)}
    resumed = _resumed(picks[0], store, taken)
    if resumed is not None:
        picks.append(resumed)
        taken.update(p.id for p in resumed.passages)
    words = sum(pick.words for pick in picks)
    # A passage next to a quote, in the same turn, may join it when it scores near the lead,
    # even under `floor`: the bar decides whether to answer at all, not how much of a turn
    # that answers is quoted ("I never price by what people will pay" joins "I price by the
    # hours and the wood").
    near = [h for h in own if floor > h.score >= SUPPORT * lead.score] if is_own else []
    candidates = sorted([*usable, *near], key=lambda h: -h.score)
    for hit in candidates:
        if hit is lead:
            continue
        if len(picks) >= MAX_QUOTES or hit.score < SUPPORT * lead.score:
            break
        passage = hit.passage
        below = hit.score < floor
        if below and (passage.id in given or _only_asks(passage) or not any(_adjacent(p, passage) for p in picks)):
            continue
        head = next((pick for pick in picks if pick.skip and pick.first.id == passage.id), None)
        if head is not None:
            # The start of a sentence a quote begins with answers well too: quote all of it.
            extra = len(" ".join(p.text.strip() for p in head.passages).split()) - head.words
            if words + extra <= MAX_WORDS:
                head.skip = 0
                words += extra
            continue
        if passage.id in taken or words + passage.words > MAX_WORDS:
            continue
        if not is_own and passage.speaker != lead.passage.speaker:
            continue
        joined = next((pick for pick in picks if _adjacent(pick, passage)), None)
        if joined is not None:
            # The passage before or after a quote: one longer quote, in the order it was said,
            # still from a sentence start (else the passage is left out).
            longer = Pick(sorted([*joined.passages, passage], key=lambda p: p.id or 0), joined.score, joined.own)
            if longer.first is joined.first:
                longer.skip = joined.skip
            elif starts is not None:
                longer = _run_back(longer, store, taken, starts)
                if not _from_sentence_start(longer, starts):
                    continue
            picks[picks.index(joined)] = changed = longer
        elif _repeats(passage, picks):
            continue
        else:
            changed = _run_back(_run_on(Pick([passage], hit.score, is_own), store, taken), store, taken, starts)
            picks.append(changed)
        taken.update(p.id for p in changed.passages)
        words = sum(pick.words for pick in picks)
    return picks


def _answers(hits: Sequence[Hit], floor: float, given: Collection[int | None]) -> list[Hit]:
    """Other speakers' hits that may be quoted: above `floor`, not quoted yet, and never a
    question (what an interviewer asked is not an answer; the turn after it is)."""
    return [h for h in hits if h.score >= floor and not h.passage.asks and h.passage.id not in given]


def _lead(usable: Sequence[Hit], store: Store, given: Collection[int | None]) -> Hit:
    """The hit an answer starts with: the best one, unless it is a short remark that says
    little ("We're getting there.") and another hit scores nearly as well."""
    best = usable[0]
    if _run_on(Pick([best.passage], best.score, True), store, given).words >= LEAD_WORDS:
        return best
    for hit in usable[1:]:
        if hit.score < SUPPORT * best.score:
            break
        if _run_on(Pick([hit.passage], hit.score, True), store, given).words >= LEAD_WORDS:
            return hit
    return best


def _repeats(passage: Passage, picks: Sequence[Pick]) -> bool:
    """Whether `passage` mostly says again what a quote already says (a speaker repeating a
    line, a clip played twice): it adds nothing."""
    words = set(_CONTENT.findall(passage.text.lower()))
    if not words:
        return True
    for pick in picks:
        quoted = set(_CONTENT.findall(pick.text.lower()))
        if len(words & quoted) >= REPEAT_SHARE * len(words):
            return True
    return False


def _only_asks(passage: Passage) -> bool:
    """A passage that is all question: nothing in it answers anything."""
    return all(s.rstrip().endswith("?") for s in _SENTENCE_END.split(passage.text.strip()) if s.strip())


def _adjacent(pick: Pick, passage: Passage) -> bool:
    """The passage just before or just after the pick's, in the same turn."""
    first, last = pick.passages[0], pick.passages[-1]
    if passage.id is None or first.id is None or last.id is None:
        return False
    same_turn = passage.source_id == first.source_id and passage.turn == first.turn
    return same_turn and passage.id in (first.id - 1, last.id + 1)


def _run_on(pick: Pick, store: Store, taken: Collection[int | None] = ()) -> Pick:
    """A short pick, or one that stops mid-sentence (a long spoken sentence is cut into
    passages), with the next passage of its turn, so that the thought is not cut off."""
    last = pick.passages[-1]
    finished = last.text.rstrip().endswith(_FINISHED)
    if (pick.words >= RUN_ON_WORDS and finished) or last.id is None or pick.words >= MAX_WORDS:
        return pick
    if last.id + 1 in taken:
        return pick
    following = store.passages([last.id + 1])
    if following and following[0].source_id == last.source_id and following[0].turn == last.turn:
        return Pick([*pick.passages, following[0]], pick.score, pick.own)
    return pick


def _run_back(
    pick: Pick, store: Store, taken: Collection[int | None] = (), starts: SentenceStarts | None = None
) -> Pick:
    """A pick that starts mid-sentence, started where its sentence did, from the passages
    before it in its turn (when the words fit; else at the next sentence start inside it). The
    turn's sentence starts (`starts`) say where that is; without them, the last sentence end
    in the passage before is taken."""
    first = pick.first
    if first.id is None:
        return pick
    begin = None
    if starts is not None:
        turn_starts = starts(first)
        begin = max((s for s in turn_starts if s <= first.begin), default=0)
        if begin >= first.begin:
            return pick
        if first.id - 1 in taken:
            return _forward(pick, turn_starts)
    elif first.id - 1 in taken:
        return pick
    before: list[Passage] = []
    while first.id - len(before) - 1 not in taken:
        found = store.passages([first.id - len(before) - 1])
        if not found or found[0].source_id != first.source_id or found[0].turn != first.turn:
            return pick
        previous = found[0]
        if begin is None:
            said = previous.text.rstrip()
            if said.endswith(_FINISHED):
                return pick
            begin = previous.begin + len(said) - len(_SENTENCE_END.split(said)[-1])
        before.insert(0, previous)
        if previous.begin <= begin:
            break
    else:
        return pick
    head = before[0]
    # Pick.text joins the passages' stripped texts: the skip is counted in those.
    skip = max(0, begin - head.begin - (len(head.text) - len(head.text.lstrip())))
    run = Pick([*before, *pick.passages], pick.score, pick.own, skip=skip)
    if run.words <= MAX_WORDS:
        return run
    return pick if starts is None else _forward(pick, starts(first))


def _from_sentence_start(pick: Pick, starts: SentenceStarts) -> bool:
    """Whether a pick's quote begins where a sentence of its turn does."""
    first = pick.first
    lead = len(first.text) - len(first.text.lstrip())
    return first.begin + lead + pick.skip in starts(first) or (pick.skip == 0 and first.begin in starts(first))


def _forward(pick: Pick, turn_starts: Sequence[int]) -> Pick:
    """A pick whose sentence began too far back, started at the next sentence start inside its
    first passage, when enough words are left after it (else as it was)."""
    first = pick.first
    text = first.text
    lead = len(text) - len(text.lstrip())
    later = [s - first.begin - lead for s in turn_starts if first.begin < s < first.begin + len(text)]
    for skip in later:
        moved = Pick(pick.passages, pick.score, pick.own, skip=skip)
        if moved.words >= FORWARD_MIN_WORDS:
            return moved
    return pick


def _resumed(pick: Pick, store: Store, taken: Collection[int | None]) -> Pick | None:
    """Where a pick's speaker went on, when the pick ends their turn mid-sentence because
    someone cut in ("we are in process of cooking the" / [laughter] / "we're cooking it"):
    the first passage of the speaker's next turn, if only a short interjection came between."""
    last = pick.passages[-1]
    if last.id is None or last.text.rstrip().endswith(_FINISHED):
        return None
    between = 0
    for passage in store.passages([last.id + 1, last.id + 2]):
        if passage.source_id != last.source_id or passage.turn == last.turn or passage.turn > last.turn + 2:
            return None
        if passage.speaker == last.speaker:
            if passage.id in taken:
                return None
            return _run_on(Pick([passage], pick.score, pick.own), store, taken)
        between += passage.words
        if between > INTERJECTION_WORDS:
            return None
    return None


def readable(pick: Pick) -> str:
    """The quote as people read it: clean verbatim (fillers and stutters dropped), without a
    sound at its edges ("[laughter]"), and with one inside it read as a pause ("...")."""
    text = clean(pick.verbatim) or pick.verbatim
    text = _SOUND.sub(" ... ", text).strip()
    while text.startswith("..."):
        text = text[3:].lstrip()
    while text.endswith("..."):
        text = text[:-3].rstrip()
    return text or pick.verbatim


def render(citations: Sequence[Citation]) -> str:
    """The answer text: the owner's words as their own, anyone else's attributed by name."""
    parts = []
    for number, citation in enumerate(citations, start=1):
        if citation.own:
            parts.append(f"{citation.quote} [{number}]")
        else:
            parts.append(f'In "{citation.source_title}", {citation.speaker} said: "{citation.quote}" [{number}]')
    return "\n\n".join(parts)
