"""Speaker turns: `>>` markers against lagging and leading labels, word-level speakers, breaks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from onrecord.model import Cue, Reading, Turn, Word
from onrecord.readers import read_path
from onrecord.repair import repair, turns

FIXTURES = Path(__file__).parent / "fixtures" / "turns"
HOST, GUEST, THIRD = "Speaker 1", "Speaker 2", "Speaker 3"


def build(cues: list[Cue], *, markers: bool = True, breaks: set[int] | None = None) -> list[Turn]:
    return turns.build(cues, voice_markers=markers, breaks=breaks or set())


def said(built: list[Turn]) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in built]


def test_a_label_that_lags_the_marker_follows_the_marker() -> None:
    built = build(
        [
            Cue("What got you interested in old clocks in the first place? I have always wondered.", speaker=HOST),
            Cue(">> My grandfather repaired them.", speaker=HOST),
            Cue("He had a little shop behind the station and I spent every summer there.", speaker=GUEST),
            Cue("He let me take apart the broken ones and put them back together again.", speaker=GUEST),
        ]
    )
    assert [t.speaker for t in built] == [HOST, GUEST]
    assert built[1].text.startswith("My grandfather repaired them. He had")
    assert built[1].cue == 1


def test_a_label_that_leads_the_marker_stays_with_the_voice_before_it() -> None:
    built = build(
        [
            Cue("The first clock I fixed on my own was a brass carriage clock from France, and it", speaker=GUEST),
            Cue("took me the better part of a year to get it running.", speaker=GUEST),
            Cue("Then I sold it.", speaker=HOST),
            Cue(">> You sold it? Why would you sell the first one you fixed?", speaker=HOST),
            Cue("It sounds like it meant a great deal to you at the time.", speaker=HOST),
        ]
    )
    assert said(built) == [
        (
            GUEST,
            "The first clock I fixed on my own was a brass carriage clock from France, and it took me "
            "the better part of a year to get it running. Then I sold it.",
        ),
        (
            HOST,
            "You sold it? Why would you sell the first one you fixed? It sounds like it meant a great deal "
            "to you at the time.",
        ),
    ]


def test_markers_override_short_wrong_labels_and_long_pieces_keep_theirs() -> None:
    built = build(
        [
            Cue("What does a normal day in the workshop look like for you?", speaker=HOST),
            Cue(
                ">> Most of the work is cleaning. You take every wheel out, wash it and oil it.",
                speaker=GUEST,
            ),
            Cue(
                "It is slow and nobody sees it, but it makes a clock run for fifty more years.",
                speaker=GUEST,
            ),
            Cue(">> Do you still enjoy it?", speaker=GUEST),
            Cue(">> Every day.", speaker=GUEST),
            Cue(">> Even the cleaning?", speaker=GUEST),
            Cue(
                ">> Especially the cleaning. It is the quiet part of the day.",
                speaker=GUEST,
            ),
            Cue("I put the radio on and the hours just go by while the parts soak in the tray.", speaker=GUEST),
        ]
    )
    assert said(built) == [
        (HOST, "What does a normal day in the workshop look like for you?"),
        (
            GUEST,
            "Most of the work is cleaning. You take every wheel out, wash it and oil it. "
            "It is slow and nobody sees it, but it makes a clock run for fifty more years.",
        ),
        (HOST, "Do you still enjoy it?"),
        (GUEST, "Every day."),
        (HOST, "Even the cleaning?"),
        (
            GUEST,
            "Especially the cleaning. It is the quiet part of the day. "
            "I put the radio on and the hours just go by while the parts soak in the tray.",
        ),
    ]


def test_laughter_between_markers_with_the_same_speaker_continuing() -> None:
    built = build(
        [
            Cue("Is it true that you once took apart a clock at a wedding?", speaker=HOST),
            Cue(">> It was my sister's wedding and the clock had stopped, so I fixed it during the >>", speaker=GUEST),
            Cue("[laughter] >> during the speeches, which she still has not forgiven me for.", speaker=GUEST),
            Cue(">> I can imagine.", speaker=HOST),
        ]
    )
    assert said(built) == [
        (HOST, "Is it true that you once took apart a clock at a wedding?"),
        (
            GUEST,
            "It was my sister's wedding and the clock had stopped, so I fixed it during the [laughter] "
            "during the speeches, which she still has not forgiven me for.",
        ),
        (HOST, "I can imagine."),
    ]


def test_laughter_between_markers_with_a_change_of_speaker() -> None:
    built = build(
        [
            Cue("What do you do with the clocks nobody comes back for?", speaker=HOST),
            Cue(
                ">> I keep them. My wife says we live in a museum >> [laughter] >> Does she mind?",
                speaker=GUEST,
            ),
            Cue(">> She pretends to, but she winds the kitchen one every Sunday.", speaker=GUEST),
        ]
    )
    assert said(built) == [
        (HOST, "What do you do with the clocks nobody comes back for?"),
        (GUEST, "I keep them. My wife says we live in a museum [laughter]"),
        (HOST, "Does she mind?"),
        (GUEST, "She pretends to, but she winds the kitchen one every Sunday."),
    ]


def test_a_marker_inside_a_cue_splits_the_turn_there() -> None:
    built = build(
        [
            Cue("Where do your customers find you?", speaker=HOST, start=0.0, end=2.0),
            Cue(
                ">> Mostly word of mouth, and the market on Saturdays, which",
                speaker=GUEST,
                start=2.0,
                end=6.0,
            ),
            Cue("I have done for ten years now. >> Ten years at the same stall?", speaker=GUEST, start=6.0, end=9.0),
            Cue(">> The very same one.", speaker=HOST, start=9.0, end=10.5),
        ]
    )
    assert said(built) == [
        (HOST, "Where do your customers find you?"),
        (GUEST, "Mostly word of mouth, and the market on Saturdays, which I have done for ten years now."),
        (HOST, "Ten years at the same stall?"),
        (GUEST, "The very same one."),
    ]
    assert [t.cue for t in built] == [0, 1, 2, 3]
    # A turn starting inside a cue without word timings starts no later than its words: at the cue.
    assert (built[2].start, built[2].end) == (6.0, 9.0)
    assert built[1].end == 9.0
    assert built[2].anchors == [(0, 6.0)]


def test_anchors_point_at_each_cue_start_and_time_the_turn() -> None:
    cues = [
        Cue("How long does a repair take?", speaker=HOST, start=10.0, end=12.5),
        Cue(">> It depends on the clock.", speaker=GUEST, start=12.5, end=14.0),
        Cue("A simple one takes a week, a tower clock can take a whole winter.", speaker=GUEST, start=14.0, end=18.0),
    ]
    built = build(cues)
    second = built[1]
    assert (second.start, second.end) == (12.5, 18.0)
    at = second.text.index("A simple")
    assert second.anchors == [(0, 12.5), (at, 14.0)]
    transcript = repair(Reading(format="caption-segments", cues=cues, voice_markers=True))
    assert [s.start for s in transcript.turns[1].sentences] == [12.5, 14.0]


def test_a_turn_starts_at_every_break_even_for_the_same_speaker() -> None:
    cues = [
        Cue("That brings us to the end of the first part.", speaker=HOST),
        Cue("In the second part we talk about the business side.", speaker=HOST),
        Cue("So, the business side.", speaker=HOST),
        Cue(">> Right, the money.", speaker=GUEST),
    ]
    built = build(cues, breaks={1})
    assert [(t.speaker, t.cue) for t in built] == [(HOST, 0), (HOST, 1), (GUEST, 3)]
    labelled = build([Cue(c.text.replace(">> ", ""), speaker=c.speaker) for c in cues], markers=False, breaks={1})
    assert [(t.speaker, t.cue) for t in labelled] == [(HOST, 0), (HOST, 1), (GUEST, 3)]


def test_without_markers_the_labels_are_trusted() -> None:
    built = build(
        [
            Cue("Do you ever get tired of the ticking?", speaker="Ana"),
            Cue("Never.", speaker="Ben"),
            Cue("Not even at night?", speaker="Ana"),
            Cue("I sleep better with it, to be honest.", speaker="Ben"),
            Cue("The silence wakes me up.", speaker="Ben"),
        ],
        markers=False,
    )
    assert said(built) == [
        ("Ana", "Do you ever get tired of the ticking?"),
        ("Ben", "Never."),
        ("Ana", "Not even at night?"),
        ("Ben", "I sleep better with it, to be honest. The silence wakes me up."),
    ]


def test_three_speakers_each_piece_goes_to_the_voice_its_labels_name() -> None:
    built = build(
        [
            Cue("Welcome to both of you. Let me start with the older workshop.", speaker="Host"),
            Cue("How did the two of you meet?", speaker="Host"),
            Cue(">> We met at a clock fair in Basel twenty years ago, at the same stall.", speaker="Mara"),
            Cue("We both wanted the same broken regulator and neither of us would let it go.", speaker="Mara"),
            Cue(">> I let it go in the end.", speaker="Mara"),
            Cue("She still has it in the front window of the shop and it still does not run.", speaker="Jon"),
            Cue(">> Is that true?", speaker="Jon"),
            Cue(">> It is true, and it never will run, because it is missing half of its wheels.", speaker="Mara"),
        ]
    )
    assert said(built) == [
        (
            "Host",
            "Welcome to both of you. Let me start with the older workshop. How did the two of you meet?",
        ),
        (
            "Mara",
            "We met at a clock fair in Basel twenty years ago, at the same stall. "
            "We both wanted the same broken regulator and neither of us would let it go.",
        ),
        ("Jon", "I let it go in the end. She still has it in the front window of the shop and it still does not run."),
        ("Host", "Is that true?"),
        ("Mara", "It is true, and it never will run, because it is missing half of its wheels."),
    ]


def _words(text: str, speakers: list[str], start: float) -> list[Word]:
    return [
        Word(token, start=start + n * 0.5, end=start + n * 0.5 + 0.4, speaker=speaker)
        for n, (token, speaker) in enumerate(zip(text.split(), speakers, strict=True))
    ]


def test_word_speakers_split_a_segment_where_the_voice_changes() -> None:
    text = "and that is why I never use glue on a clock face. Why not glue?"
    speakers = [GUEST] * 12 + [HOST] * 3
    cue = Cue(text, start=30.0, end=38.0, speaker=GUEST, words=_words(text, speakers, 30.0))
    reply = "Because it can never be undone."
    after = Cue(reply, start=38.0, end=41.0, speaker=GUEST, words=_words(reply, [GUEST] * 6, 38.0))
    built = build([cue, after], markers=False)
    assert said(built) == [
        (GUEST, "and that is why I never use glue on a clock face."),
        (HOST, "Why not glue?"),
        (GUEST, "Because it can never be undone."),
    ]
    assert (built[1].start, built[1].end, built[1].cue) == (36.0, 37.4, 0)
    assert built[1].anchors == [(0, 36.0), (4, 36.5), (8, 37.0)]
    assert built[0].end == 35.9


def test_a_lone_ordinary_word_joins_its_neighbours_but_a_lone_yeah_is_a_turn() -> None:
    text = "you wind it once a week yeah and then but you leave it alone"
    speakers = [GUEST] * 6 + [HOST] + [GUEST] * 2 + [HOST] + [GUEST] * 4
    built = build([Cue(text, speaker=GUEST, words=_words(text, speakers, 0.0))], markers=False)
    assert said(built) == [
        (GUEST, "you wind it once a week"),
        (HOST, "yeah"),
        (GUEST, "and then but you leave it alone"),
    ]


def test_the_fixture_interview_through_reader_and_repair() -> None:
    path = FIXTURES / "podcast_segments.json"
    reading = read_path(path)
    assert reading.voice_markers
    transcript = repair(reading)
    expected = [
        (HOST, 0, "Welcome back to the show.", "did you just stumble into it?"),
        (GUEST, 3, "Honestly, it was an accident.", "twelve years ago now."),
        (HOST, 6, "Twelve years.", "after that first season?"),
        (GUEST, 7, "Just the one.", "Just the one."),
        (HOST, 7, "Just one?", "Just one?"),
        (GUEST, 7, "Yes, just the one,", "feeding them in February. [laughter]"),
        (HOST, 9, "Mites are the big problem,", "aren't they?"),
        (GUEST, 10, "They are the biggest problem", "[laughter] honestly it never ends."),
        (HOST, 12, "What about the honey itself?", "a passion project at this point?"),
        (GUEST, 14, "It pays the bills", "in a good year."),
        (HOST, 15, "Only in a good year?", "Only in a good year?"),
        (GUEST, 15, "Right. In a bad year", "nothing anyone can do about the weather."),
        (HOST, 16, "Well, thank you so much", "It has been a real pleasure."),
        (GUEST, 18, "Thank you for having me.", "Thank you for having me."),
    ]
    got = transcript.turns
    assert [(t.speaker, t.cue) for t in got] == [(s, c) for s, c, _, _ in expected]
    for turn, (_, _, head, tail) in zip(got, expected, strict=True):
        assert turn.text.startswith(head) and turn.text.endswith(tail)
    source_words = [w for cue in reading.cues for w in cue.text.split() if w != ">>"]
    assert [w for t in got for w in t.text.split()] == source_words


cue_text = st.lists(
    st.sampled_from(["well", "the", "clock", "stopped.", ">>", "[laughter]", "why?", "yes", ">>>", "a>>b"]),
    max_size=12,
).map(" ".join)
cue_lists = st.lists(
    st.builds(
        lambda text, speaker, start: Cue(text, speaker=speaker, start=start, end=None if start is None else start + 1),
        cue_text,
        st.sampled_from([HOST, GUEST, THIRD, None]),
        st.one_of(st.none(), st.floats(0, 1000)),
    ),
    max_size=12,
)


@given(
    cue_lists,
    st.booleans(),
    st.sets(st.integers(0, 12), max_size=3),
    st.one_of(st.none(), st.lists(st.sampled_from([HOST, GUEST, None]), min_size=1)),
)
def test_every_word_is_kept_once_in_order_with_sane_anchors(
    cues: list[Cue], markers: bool, breaks: set[int], diarised: list[str | None] | None
) -> None:
    if diarised:
        # Diarised words, some with a time and some without a speaker.
        n = 0
        for cue in cues:
            cue.words = []
            for token in cue.text.split():
                cue.words.append(Word(token, start=None if n % 3 else n / 2, speaker=diarised[n % len(diarised)]))
                n += 1
    built = build(cues, markers=markers, breaks=breaks)

    def words(cue: Cue) -> list[str]:
        return (cue.text.replace(">>", " ") if markers else cue.text).split()

    expected = [w for cue in cues for w in words(cue)]
    assert [w for turn in built for w in turn.text.split()] == expected
    assert [t.cue for t in built] == sorted(t.cue for t in built)
    for turn in built:
        assert turn.text and turn.text == " ".join(turn.text.split())
        offsets = [at for at, _ in turn.anchors]
        assert offsets == sorted(set(offsets)) and all(0 <= at < len(turn.text) for at in offsets)
    for b in breaks:
        first = next((t for t in built if t.cue >= b), None)
        spoken = [i for i, cue in enumerate(cues) if i >= b and words(cue)]
        if first is not None and spoken:
            assert first.cue == spoken[0]
