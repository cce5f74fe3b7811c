"""Clean verbatim: what it drops, what it must keep, and that it only ever drops words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.repair.clean import clean, verbatim_span, words


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(word == other for other in it) for word in small)


@pytest.mark.parametrize(
    ("verbatim", "expected"),
    [
        # fillers
        ("Um I think so.", "I think so."),
        # A comma before a filler stays: it may separate items of a list.
        ("It was, uh, a good year.", "It was, a good year."),
        ("the design, um, the interface", "the design, the interface"),
        # Punctuation set apart, as some corpora write it.
        ("Right . Um , we went .", "Right . We went ."),
        ("Yes, um, I agree.", "Yes, I agree."),
        ("Erm, hmm, we tried.", "We tried."),
        ("And that was it, um.", "And that was it."),
        ("Um. So we went.", "So we went."),
        ('He said "um, no" and left.', 'He said "no" and left.'),
        # stutters and repeated words
        ("I I'm wondering.", "I'm wondering."),
        ("the the cat", "the cat"),
        ("we're we're cooking it", "we're cooking it"),
        ("We want to to build it.", "We want to build it."),
        ("It's it's something.", "It's something."),
        ("th- the thing", "the thing"),
        ("and uh and we went", "and we went"),
        ("that, that's the point", "that's the point"),
        # false starts: a phrase said twice
        ("we are we are in process", "we are in process"),
        ("So the so the entire belief", "So the entire belief"),
        ("In the, in the morning.", "In the morning."),
        # fillers that are only fillers in some places
        ("You know, it is hard, you know.", "It is hard."),
        ("And so, you know, we've been busy.", "And so, we've been busy."),
        ("It was hard, you know, really hard.", "It was hard, really hard."),
        ("It's, like, the best.", "It's, the best."),
        ("I mean, it's fine.", "It's fine."),
    ],
)
def test_drops_fillers_stutters_and_false_starts(verbatim: str, expected: str) -> None:
    assert clean(verbatim) == expected


@pytest.mark.parametrize(
    "verbatim",
    [
        "I had had enough.",
        "I said that that was wrong.",
        "What it is is a tool.",
        "It was very very good.",
        "No no no.",
        "Bye bye.",
        "We went to New York New York.",
        "Room one one two.",
        "It was 10 10 years ago.",
        "Okay. Okay.",
        "Do you know what I mean?",
        "You know what happened?",
        "I think you know the answer.",
        "I like cats. They like me.",
        "It's red, I mean, blue.",
        "I mean it.",
        "Hmm? What?",
        "Uh-huh. Mm-hmm.",
        "To err is human.",
        "Take the ER exit.",
        "pre- and post-war",
        "I said that that's wrong.",
    ],
)
def test_keeps_meaningful_words(verbatim: str) -> None:
    assert clean(verbatim) == verbatim


def test_capitalises_only_when_the_dropped_word_opened_a_capitalised_sentence() -> None:
    assert clean("Um, uh, we went. Uh we came back.") == "We went. We came back."
    # Lower-case captions stay lower case.
    assert clean("um we went") == "we went"
    # Mixed-case words are never "capitalised".
    assert clean("Um iPhone sales.") == "iPhone sales."


def test_no_stray_commas() -> None:
    for text in ["Um, we went.", "So, um, uh, we went.", "It was, uh, um, fine.", "we, uh, we went"]:
        out = clean(text)
        assert ", ," not in out and ",," not in out and not out.startswith(",")


def test_an_all_filler_turn_cleans_to_nothing() -> None:
    assert clean("Um, uh.") == ""
    assert clean("   ") == ""


def test_text_without_anything_to_clean_is_unchanged() -> None:
    text = "Meta released Llama 4 in April. The reception was positive."
    assert clean(text) == text


# Spoken tokens, with punctuation attached and set apart.
_SPOKEN = st.sampled_from(
    (  # noqa: SIM905
        "um Um, uh uh, erm hmm I I'm we we're the the, to that had is very like like, you know "
        "know, mean mean, so So, And and th- it's It's New York two 2.5 U.S. yes. no? cat. (laughs) "
        '"quote end." — ... well... okay! Ah. ER , . ?'
    ).split()
)


@settings(max_examples=400)
@given(st.lists(_SPOKEN, max_size=40))
def test_clean_words_are_an_in_order_subsequence_of_verbatim_words(tokens: list[str]) -> None:
    text = " ".join(tokens)
    assert is_subsequence(words(clean(text)), words(text))


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_subsequence_holds_for_any_text(text: str) -> None:
    out = clean(text)
    assert is_subsequence(words(out), words(text))
    assert out == out.strip() and "  " not in out


@settings(max_examples=300)
@given(st.lists(_SPOKEN, min_size=1, max_size=40), st.data())
def test_verbatim_span_holds_the_quoted_clean_words(tokens: list[str], data: st.DataObject) -> None:
    text = " ".join(tokens)
    cleaned = clean(text)
    if not words(cleaned):
        return
    # A quote is whole words: from one token's start to a later token's end.
    tokens_at = [m.span() for m in re.finditer(r"\S+", cleaned)]
    first = data.draw(st.integers(0, len(tokens_at) - 1))
    last = data.draw(st.integers(first, len(tokens_at) - 1))
    begin, end = tokens_at[first][0], tokens_at[last][1]
    quoted = words(cleaned[begin:end])
    if not quoted:
        return
    v_begin, v_end = verbatim_span(text, cleaned, begin, end)
    assert is_subsequence(quoted, words(text[v_begin:v_end]))


def test_verbatim_span_maps_a_clean_quote_back_to_what_was_said() -> None:
    text = "Um yeah, I mean I think it's been a very exciting year for um for Meta and AI."
    cleaned = clean(text)
    quote = "exciting year for Meta"
    begin = cleaned.index(quote)
    v_begin, v_end = verbatim_span(text, cleaned, begin, begin + len(quote))
    assert text[v_begin:v_end] == "exciting year for um for Meta"


def test_verbatim_span_refuses_text_that_is_not_a_cleaning() -> None:
    with pytest.raises(ValueError):
        verbatim_span("we went home", "they went home", 0, 4)
