"""Sentence splitting of spoken transcripts, and timing sentences from a turn's anchors."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.repair.sentences import MAX_WORDS, MIN_WORDS, split


def texts(text: str, anchors: list[tuple[int, float]] | None = None, turn_end: float | None = None) -> list[str]:
    return [text[s.begin : s.end] for s in split(text, anchors or [], turn_end)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in the U.S. last year. They talked.",
            ["Mr. Smith met Dr. Jones in the U.S. last year.", "They talked."],
        ),
        (
            "We compared tools, e.g. hammers vs. nails. Then we stopped.",
            ["We compared tools, e.g. hammers vs. nails.", "Then we stopped."],
        ),
        ("Usage grew 2.5 times. That is a lot.", ["Usage grew 2.5 times.", "That is a lot."]),
        ("What?! No way. Really?", ["What?!", "No way.", "Really?"]),
        (
            'He said "I am here. You are there." Then he left.',
            ['He said "I am here. You are there."', "Then he left."],
        ),
        # Caption fragments joined by "..." stay one sentence; a capital after "..." starts one.
        ("so i think... and then we went", ["so i think... and then we went"]),
        (
            "Very hard to make each one of these... That makes me feel optimistic.",
            ["Very hard to make each one of these...", "That makes me feel optimistic."],
        ),
        (
            "There are three things. 1. Speed. 2. Cost. 3. Quality.",
            ["There are three things.", "1. Speed.", "2. Cost.", "3. Quality."],
        ),
        ("Three things: 1. Speed. 2. Cost.", ["Three things:", "1. Speed.", "2. Cost."]),
        ("We had 2. Then 3.", ["We had 2.", "Then 3."]),
        ("  Leading and trailing space.  ", ["Leading and trailing space."]),
        ("", []),
    ],
)
def test_splits_spoken_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def _unpunctuated(words: int) -> str:
    vocabulary = [
        "so",
        "i",
        "think",
        "we",
        "went",
        "there",
        "and",
        "it",
        "was",
        "fine",
        "and",
        "then",
        "we",
        "came",
        "back",
        "because",
        "it",
        "rained",
    ]
    return " ".join(vocabulary[i % len(vocabulary)] for i in range(words))


def test_cuts_long_unpunctuated_captions_at_word_boundaries() -> None:
    text = _unpunctuated(230)
    pieces = texts(text)
    assert len(pieces) > 1
    assert all(MIN_WORDS <= len(p.split()) <= MAX_WORDS for p in pieces)
    assert " ".join(pieces) == text


def test_prefers_to_cut_before_a_new_clause() -> None:
    pieces = texts(_unpunctuated(120))
    openers = {"so", "but", "because", "and", "then", "i", "we", "it"}
    assert all(p.split()[0] in openers for p in pieces[1:])


def test_keeps_a_long_punctuated_sentence_whole() -> None:
    sentence = " ".join(["word"] * 60) + "."
    assert texts(sentence) == [sentence]


def test_timing_from_word_anchors_is_exact() -> None:
    text = "Hello there. How are you? Fine."
    anchors = [(m.start(), 10.0 + n) for n, m in enumerate(re.finditer(r"\S+", text))]
    sentences = split(text, anchors, turn_end=20.0)
    assert [(s.start, s.stop) for s in sentences] == [(10.0, 12.0), (12.0, 15.0), (15.0, 20.0)]


def test_timing_from_cue_anchors_is_interpolated() -> None:
    # Two cues of 40 characters, at 0 s and 10 s; the turn ends at 20 s.
    text = "First sentence is here. Second one too. " + "Third sentence now. And the fourth one!!"
    assert len(text) == 80
    sentences = split(text, [(0, 0.0), (40, 10.0)], turn_end=20.0)
    starts = [s.start for s in sentences]
    assert starts[0] == 0.0
    assert starts[1] == pytest.approx(10.0 * text.index("Second") / 40, abs=0.01)
    assert starts[2] == 10.0
    assert starts[3] == pytest.approx(10.0 + 10.0 * (text.index("And") - 40) / 40, abs=0.01)
    assert sentences[-1].stop == 20.0


def test_without_anchors_there_are_no_times() -> None:
    assert all(s.start is None and s.stop is None for s in split("One. Two.", []))


def test_without_a_turn_end_the_last_sentence_has_no_stop() -> None:
    sentences = split("One. Two.", [(0, 3.0)])
    assert sentences[0].start == 3.0 and sentences[-1].stop is None


_WORD = st.sampled_from(["so", "we", "Mr.", "U.S.", "2.5", "went", "home.", "why?!", "...", "1.", '"yes."', "e.g."])


@settings(max_examples=300)
@given(st.lists(_WORD, max_size=120), st.data())
def test_sentences_are_ordered_trimmed_and_cover_every_word(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    offsets = sorted(data.draw(st.sets(st.integers(0, max(len(text) - 1, 0)), max_size=8)))
    times = sorted(data.draw(st.lists(st.floats(0, 1000), min_size=len(offsets), max_size=len(offsets))))
    end = data.draw(st.one_of(st.none(), st.floats(1000, 2000)))
    sentences = split(text, list(zip(offsets, times, strict=True)), end)
    covered = "".join(text[s.begin : s.end] for s in sentences)
    assert covered.replace(" ", "") == text.replace(" ", "")
    for s, after in itertools.pairwise(sentences):
        assert s.end <= after.begin
    for s in sentences:
        assert text[s.begin : s.end] == text[s.begin : s.end].strip() != ""
        if offsets:
            assert s.start is not None
            assert s.stop is None or s.stop >= s.start


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_text_splits_into_disjoint_spans(text: str) -> None:
    last = 0
    for s in split(text, []):
        assert last <= s.begin < s.end <= len(text)
        last = s.end
