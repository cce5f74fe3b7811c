"""Speaker turns for unlabelled speech: questions, answers and backchannels."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.model import Cue
from onrecord.readers.plain_text import reader
from onrecord.repair import chapters, repair, voices

INTERVIEW = [
    ("host", "Welcome back to the show. Today I'm talking with a beekeeper who runs forty hives on a city roof."),
    ("guest", "Thanks for having me."),
    ("host", "How did you get started with bees?"),
    (
        "guest",
        "Well it was an accident really. A swarm landed on my balcony one June and a neighbour who kept bees "
        "came over with a cardboard box and caught it in about ten minutes. I was hooked from that moment, and "
        "the next spring I bought my first hive and a veil that never quite fitted.",
    ),
    ("host", "Do you ever worry about the traffic and the noise down on the street?"),
    (
        "guest",
        "Not at all. They fly above it, and the city is full of flowers, from the lime trees along the avenues "
        "to the window boxes that people forget about. City honey is often better than country honey because "
        "there is so much variety within a short flight of the roof.",
    ),
    ("host", "Oh I'd love to try some. What does it taste like?"),
    (
        "guest",
        "Yeah it changes every month. In May it's light and almost lemony, and by August it is dark and "
        "thick and tastes a little of mint from the gardens by the river.",
    ),
]


def _captions(turns: list[tuple[str, str]], width: int = 52) -> list[Cue]:
    """Caption-like lines: fixed width, broken mid-sentence, no speakers."""
    text = " ".join(text for _, text in turns)
    return [Cue(line, line=n) for n, line in enumerate(textwrap.wrap(text, width), start=1)]


def _speaker_of_each_word(turns: list[voices.Turn]) -> list[str]:
    return [turn.speaker for turn in turns for _ in turn.text.split()]


def test_every_word_is_kept_once_in_order() -> None:
    cues = _captions(INTERVIEW)
    built = voices.split(cues, set())
    assert [w for turn in built for w in turn.text.split()] == [w for cue in cues for w in cue.text.split()]


def test_questions_and_answers_are_told_apart() -> None:
    built = voices.split(_captions(INTERVIEW), set())
    got = _speaker_of_each_word(built)
    truth = [role for role, text in INTERVIEW for _ in text.split()]
    # The labels are named in order of appearance; the host speaks first.
    assert got[0] == "Speaker A"
    host, guest = "Speaker A", "Speaker B"
    expected = [host if role == "host" else guest for role in truth]
    wrong = sum(g != e for g, e in zip(got, expected, strict=True))
    assert wrong == 0, [turn.text for turn in built]


def test_turns_are_split_inside_caption_lines() -> None:
    cues = _captions(INTERVIEW)
    built = voices.split(cues, set())
    # At least one turn starts in the middle of a line: lines do not follow turns.
    starts_mid_line = [turn for turn in built if not cues[turn.cue].text.startswith(turn.text.split()[0])]
    assert starts_mid_line
    for turn in built:
        assert turn.text.split()[0] in cues[turn.cue].text.split()


def test_a_backchannel_opens_the_other_voice_and_each_turn_says_how_sure_it_is() -> None:
    # In transcripts a "Yeah." or "Okay." mostly opens the next speaker's turn (they then go
    # on); a question hands the floor over.
    lines = [
        "I'd love to tell you what we hope to do with this conversation today.",
        "We want to understand how a small farm survives a dry year. Can you walk us through last summer?",
        "Yeah. It was the driest summer in forty years and we lost most of the second cut of hay.",
        "We sold a third of the herd in August, which hurt, but it kept the rest fed until the rain came.",
        "Okay. And what would you do differently next time?",
        "Sure. I would sell earlier and keep the best cows.",
    ]
    built = voices.split([Cue(line) for line in lines], set())
    assert [turn.text.split()[0] for turn in built] == ["I'd", "Yeah.", "Okay.", "Sure."]
    assert [turn.speaker for turn in built] == ["Speaker A", "Speaker B", "Speaker A", "Speaker B"]
    assert all(0.5 < turn.confidence <= 1.0 for turn in built)


def test_a_turn_starts_at_every_break() -> None:
    cues = _captions(INTERVIEW)
    breaks = {3, 7}
    built = voices.split(cues, breaks)
    starts = {turn.cue for turn in built if cues[turn.cue].text.startswith(turn.text.split()[0])}
    assert breaks <= starts


def test_times_follow_the_cues_and_a_turn_cut_inside_a_cue_is_timed_in_proportion() -> None:
    cues = [
        Cue("How did you start?", start=0.0, end=2.0),
        Cue("Well a swarm landed on my balcony one June.", start=2.0, end=5.0),
        Cue("It was the best thing that ever happened. Why bees?", start=5.0, end=9.0),
        Cue("Because they are calm when you are.", start=9.0, end=11.0),
    ]
    built = voices.split(cues, set())
    assert [turn.text for turn in built] == [
        "How did you start?",
        "Well a swarm landed on my balcony one June. It was the best thing that ever happened.",
        "Why bees?",
        "Because they are calm when you are.",
    ]
    assert built[0].start == 0.0 and built[1].start == 2.0 and built[1].anchors == [(0, 2.0), (44, 5.0)]
    # "Why bees?" starts 42 of 52 characters into a cue of 4 seconds.
    assert built[2].start is not None and 8.0 < built[2].start < 8.5
    assert built[1].end == built[2].start
    assert built[3].end == 11.0


def test_no_speech_gives_no_turns() -> None:
    assert voices.split([Cue("   ")], set()) == []


def test_name_in_order_relabels_by_first_appearance() -> None:
    built = voices.split(_captions(INTERVIEW), set())
    for turn in built:
        turn.speaker = {"Speaker A": "Speaker B", "Speaker B": "Speaker A"}[turn.speaker]
    voices.name_in_order(built)
    assert built[0].speaker == "Speaker A"


_TOKENS = st.sampled_from(
    ["Yeah.", "Well", "the", "bees", "you", "do", "you?", "Why?", "Cool.", "I", "think", "so.", "...", "-", "Go", "it.",
     "What", "is", "it?", "We", "our", "um", "right.", "Mm-hmm.", "Thanks!", "honey", "and", "Right", "exactly."]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(_TOKENS, min_size=1, max_size=250), st.integers(12, 70), st.sets(st.integers(0, 40), max_size=5))
def test_every_word_survives_any_text_lines_and_breaks(words: list[str], width: int, breaks: set[int]) -> None:
    lines = textwrap.wrap(" ".join(words), width, break_long_words=False, break_on_hyphens=False)
    cues = [Cue(line, line=n) for n, line in enumerate(lines, start=1)]
    built = voices.split(cues, breaks)
    assert [w for turn in built for w in turn.text.split()] == words
    assert all(turn.text and turn.speaker.startswith("Speaker ") for turn in built)
    cues_starting_turns = {turn.cue for turn in built if cues[turn.cue].text.startswith(turn.text.split()[0])}
    assert {b for b in breaks if b < len(cues)} <= cues_starting_turns

    # The whole repair of the same lines as plain caption text keeps them too, less titles.
    transcript = repair(reader.read("\n".join(lines)))
    _, titles = chapters.find(cues)
    kept = [w for n, line in enumerate(lines, start=1) if n not in {t.line for t in titles} for w in line.split()]
    assert [w for turn in transcript.turns for w in turn.text.split()] == kept
    teaser_flags = [turn.teaser for turn in transcript.turns]
    assert teaser_flags == sorted(teaser_flags, reverse=True)


def test_a_talk_without_questions_stays_one_voice() -> None:
    import textwrap

    from onrecord.model import Cue
    from onrecord.repair import voices

    talk = (
        "Thank you all for coming tonight. I want to talk about bread and the people who bake it. "
        "Every morning the ovens start at four. People tell me that sourdough is hard. It is not magic, "
        "but it takes patience and a warm kitchen. Yeah, the first loaves I made were terrible. "
        "If you take one thing home tonight, let it be this: feed your starter."
    )
    lines = textwrap.wrap(talk, 48)
    turns = voices.split([Cue(line) for line in lines], set())
    assert len({turn.speaker for turn in turns}) == 1
    assert {turn.confidence for turn in turns} == {1.0}
    assert " ".join(t.text for t in turns).split() == talk.split()
