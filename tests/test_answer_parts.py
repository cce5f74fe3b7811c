"""The small parts of an answer: deep links, follow-ups, and how quotes are rendered."""

from __future__ import annotations

from onrecord.answer.compose import Pick, render
from onrecord.answer.followup import asks_for_more, leans_on_history, resolve
from onrecord.answer.links import moment
from onrecord.answer.result import Citation
from onrecord.model import Passage


def test_youtube_links_get_a_time_parameter_and_others_a_media_fragment() -> None:
    assert moment("https://www.youtube.com/watch?v=abc", 83.7) == "https://www.youtube.com/watch?v=abc&t=83s"
    assert moment("https://www.youtube.com/watch?v=abc&t=5s", 12) == "https://www.youtube.com/watch?v=abc&t=12s"
    assert moment("https://youtu.be/abc", 0.2) == "https://youtu.be/abc?t=0s"
    assert moment("https://example.org/ep41.mp3", 125.0) == "https://example.org/ep41.mp3#t=125"
    assert moment("https://example.org/ep41", None) == "https://example.org/ep41"
    assert moment(None, 12.0) is None


def test_follow_ups_lean_on_the_last_question_that_stood_alone() -> None:
    assert leans_on_history("why?") and leans_on_history("And what about privacy?")
    assert leans_on_history("Is that true?")
    assert not leans_on_history("What do you think about privacy in smart glasses?")
    history = ["What do you think about smart glasses?", "why?"]
    assert (
        resolve("and what about privacy?", history) == "What do you think about smart glasses? and what about privacy?"
    )
    assert resolve("How do you price a table?", history) == "How do you price a table?"
    assert resolve("why?", []) == "why?"


def test_only_a_bare_request_for_more_asks_for_more() -> None:
    for question in ("why?", "Why?", "and why is that?", "tell me more about that", "Go on.", "what else?", "How so?"):
        assert asks_for_more(question), question
    for question in ("and what about privacy?", "Why sourdough?", "Why do you price by the hour?", "How much?"):
        assert not asks_for_more(question), question


def _citation(own: bool) -> Citation:
    return Citation("I price by the hour.", "Noor Haddad", "s1", "bakery interview", None, None, None, None, 3, own)


def test_own_words_read_as_the_owners_and_others_are_attributed() -> None:
    assert render([_citation(True)]) == "I price by the hour. [1]"
    assert render([_citation(True), _citation(False)]).endswith(
        'In "bakery interview", Noor Haddad said: "I price by the hour." [2]'
    )


def test_a_quote_does_not_end_on_the_question_asked_next() -> None:
    passage = Passage("s1", 4, 0, 80, "A", "I always buy the sliced loaf. It lasts for ever. How do you price a loaf?")
    assert Pick([passage], 0.9, True).verbatim == "I always buy the sliced loaf. It lasts for ever."
    short = Passage("s1", 4, 0, 30, "A", "Yes. How do you price a loaf?")
    assert Pick([short], 0.9, True).verbatim == "Yes. How do you price a loaf?"
