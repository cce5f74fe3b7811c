"""Cutting a repaired transcript into passages: the units retrieval ranks and answers quote.

A passage is a run of whole sentences of one turn (never across a turn, so never across a
speaker or a chapter), about a paragraph long, carrying the question that prompted it.
"""

from __future__ import annotations

import re

from onrecord.model import Passage, Sentence, Source, Turn

_WORD = re.compile(r"\S+")

# A passage takes whole sentences of its turn while they fit in MAX_WORDS (a longer sentence
# is cut at word breaks into even pieces); a last passage under MIN_WORDS / 2 words joins
# the one before it.
MIN_WORDS = 20
MAX_WORDS = 50
# Turns shorter than this are backchannels ("Yeah.", "Okay.") and carry nothing to find.
MIN_TURN_WORDS = 3
# How much of the prompting turn a passage keeps as context: its last words are the question.
PROMPT_WORDS = 40
# How many words of lead-in go into a passage's embedding, before its own words.
LEAD_IN_WORDS = 25
# A turn that hands over to another voice asks when a question sits in its last words, even
# if a remark follows it ("How do you deal with that? I'm just wondering.").
ASK_REACH = 25
# A speaker more than this share of whose turns ask is an asker (see `_asking`).
ASKER_SHARE = 0.5


# The rules `cut` follows: a workspace records the rules its passages were cut by, and
# passages cut by other rules are cut again (Workspace.update_index). Change it whenever a
# change to this module changes what `cut` returns.
RULES = "cut-2026-11-askers-stops"


# What is embedded for a passage (see embedding_text): stored vectors carry it with the model
# name, so that a new recipe re-embeds every passage as a new model would.
RECIPE = "lead-in-25"


def vector_key(model_name: str) -> str:
    """The name stored vectors go under: the model and the recipe of the embedded text."""
    return f"{model_name}+{RECIPE}"


def embedding_text(lead_in: str, text: str) -> str:
    """What is embedded for a passage: the end of its lead-in (see `lead_in`), then its words."""
    context = _tail(lead_in, LEAD_IN_WORDS)
    return f"{context}\n{text}" if context else text


def lead_in(passage: Passage, before: Passage | None) -> str:
    """What a passage is read after: the first passage of a turn follows the question that
    prompted it; a later one follows the passage before it in the same turn. Deep in a long
    answer, the question says little about what is being said, and the words just before say
    more (a passage may start mid-sentence); the question still reaches every passage of the
    answer through the similarity it passes on at search time."""
    if before is not None and before.source_id == passage.source_id and before.turn == passage.turn:
        return before.text
    return passage.prompt


def _word_spans(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text, begin, end)]


def _pieces(turn: Turn) -> list[Sentence]:
    """The turn's sentences, with any sentence over MAX_WORDS cut into even word chunks."""
    sentences = turn.sentences or [Sentence(0, len(turn.text), turn.start, turn.end)]
    pieces: list[Sentence] = []
    for sentence in sentences:
        words = _word_spans(turn.text, sentence.begin, sentence.end)
        if len(words) <= MAX_WORDS:
            pieces.append(sentence)
            continue
        chunks = -(-len(words) // MAX_WORDS)
        size = -(-len(words) // chunks)
        for k in range(0, len(words), size):
            part = words[k : k + size]
            last = k + size >= len(words)
            pieces.append(
                Sentence(part[0][0], part[-1][1], sentence.start if k == 0 else None, sentence.stop if last else None)
            )
    return pieces


def _groups(turn: Turn) -> list[list[Sentence]]:
    groups: list[list[Sentence]] = []
    count = 0
    for piece in _pieces(turn):
        n = len(turn.text[piece.begin : piece.end].split())
        if groups and count + n <= MAX_WORDS:
            groups[-1].append(piece)
            count += n
        else:
            groups.append([piece])
            count = n
    # A short tail reads better with what came before it.
    if len(groups) > 1:
        tail = sum(len(turn.text[s.begin : s.end].split()) for s in groups[-1])
        if tail < MIN_WORDS // 2:
            groups[-2].extend(groups.pop())
    return groups


def _asks(turn: Turn, following: Turn | None) -> bool:
    """Whether the turn asks rather than answers: it ends in a question, or it hands over to
    another voice with a question among its last ASK_REACH words."""
    text = turn.text.rstrip()
    if text.endswith("?"):
        return True
    hands_over = following is not None and following.speaker != turn.speaker
    return hands_over and "?" in _tail(text, ASK_REACH)


def _asking(turns: list[Turn]) -> tuple[list[bool], set[str]]:
    """Which turns ask (see `_asks`), and the speakers more than ASKER_SHARE of whose turns
    (of MIN_TURN_WORDS words or more) ask: the interviewers, hosts and chairs."""
    asking = [_asks(turn, turns[i + 1] if i + 1 < len(turns) else None) for i, turn in enumerate(turns)]
    counts: dict[str, list[int]] = {}
    for turn, asks in zip(turns, asking, strict=True):
        if len(turn.text.split()) >= MIN_TURN_WORDS and not turn.teaser:
            tally = counts.setdefault(turn.speaker, [0, 0])
            tally[0] += asks
            tally[1] += 1
    return asking, {speaker for speaker, (asks, total) in counts.items() if asks > ASKER_SHARE * total}


def _tail(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[-words:])


def cut(source: Source) -> list[Passage]:
    """Every passage of a source, in transcript order."""
    transcript = source.transcript
    chapters = sorted(transcript.chapters, key=lambda c: c.turn)
    passages: list[Passage] = []
    # (speaker, words, index) of the latest turn, and of the latest turn by someone else than
    # its speaker: a passage's prompt is what the other voice said last.
    last: tuple[str | None, str, int | None] = (None, "", None)
    before: tuple[str | None, str, int | None] = (None, "", None)
    chapter_index = -1
    asking, askers = _asking(transcript.turns)
    for index, turn in enumerate(transcript.turns):
        while chapter_index + 1 < len(chapters) and chapters[chapter_index + 1].turn <= index:
            chapter_index += 1
        if turn.teaser:
            continue  # a cold open repeats later moments; they are indexed where they were said
        _, own_prompt, prompt_turn = last if last[0] != turn.speaker else before
        if last[0] == turn.speaker:
            last = (turn.speaker, _tail(f"{last[1]} {turn.text}", PROMPT_WORDS), index)
        else:
            before, last = last, (turn.speaker, _tail(turn.text, PROMPT_WORDS), index)
        if len(turn.text.split()) < MIN_TURN_WORDS:
            continue
        chapter = chapters[chapter_index].title if chapter_index >= 0 else None
        asks = asking[index]
        groups = _groups(turn)
        previous: Passage | None = None
        for number, group in enumerate(groups):
            begin, end = group[0].begin, group[-1].end
            start = next((s.start for s in group if s.start is not None), turn.start)
            stop = group[-1].stop
            passages.append(
                Passage(
                    source_id=source.id,
                    turn=index,
                    begin=begin,
                    end=end,
                    speaker=turn.speaker,
                    text=turn.text[begin:end],
                    prompt=own_prompt,
                    prompt_turn=prompt_turn,
                    chapter=chapter,
                    start=start,
                    stop=stop if stop is not None else turn.end,
                    # An asker's question turn asks throughout (its lead-up sets the question up);
                    # anyone else's answer that ends by asking back asks only where it asks.
                    asks=asks and (turn.speaker in askers or number == len(groups) - 1),
                )
            )
            passages[-1].lead_in = lead_in(passages[-1], previous)
            previous = passages[-1]
    return passages
