"""Quote verification against the stored transcript: words and speaker must both hold."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from onrecord.answer.result import Citation
from onrecord.answer.verify import QuoteChecker
from onrecord.workspace import Workspace
from tests.answer_support import build


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> QuoteChecker:
    workspace = Workspace.open(build(tmp_path_factory.mktemp("verify")))
    return QuoteChecker(workspace.store)


def cite(checker: QuoteChecker, quote: str, speaker: str = "Noor Haddad", turn: int = -1) -> Citation:
    source = checker.store.sources()[0]
    return Citation(quote, speaker, source.id, source.title, source.url, None, None, None, turn)


def test_verbatim_and_clean_verbatim_quotes_hold(checker: QuoteChecker) -> None:
    assert checker.holds(cite(checker, "and the long, the long fermentation makes it easier to digest"))
    assert checker.holds(cite(checker, "and the long fermentation makes it easier to digest."))
    assert checker.holds(cite(checker, "It started in my kitchen with one oven. I sold sourdough"))


def test_case_punctuation_and_spacing_do_not_matter(checker: QuoteChecker) -> None:
    assert checker.holds(cite(checker, "  SUPERMARKET bread is made to sit on a shelf -- for two weeks  "))


def test_a_changed_added_or_dropped_word_fails(checker: QuoteChecker) -> None:
    assert not checker.holds(cite(checker, "Supermarket bread is made to sit on a shelf for three weeks"))
    assert not checker.holds(cite(checker, "I never add any commercial yeast"))
    assert not checker.holds(cite(checker, "I price the hour"))


def test_the_right_words_from_the_wrong_speaker_fail(checker: QuoteChecker) -> None:
    said_by_ada = "I always buy the cheap sliced loaf"
    assert checker.holds(cite(checker, said_by_ada, speaker="Ada Brooks"))
    assert not checker.holds(cite(checker, said_by_ada, speaker="Noor Haddad"))
    assert not checker.holds(cite(checker, said_by_ada, speaker="Someone Else"))


def test_a_quote_across_two_turns_fails(checker: QuoteChecker) -> None:
    assert not checker.holds(cite(checker, "I never add commercial yeast. What do you think about supermarket bread"))


def test_ellipsis_joins_parts_of_one_turn_in_order(checker: QuoteChecker) -> None:
    assert checker.holds(cite(checker, "Supermarket bread is made to sit on a shelf ... people deserve bread"))
    assert not checker.holds(cite(checker, "people deserve bread ... Supermarket bread is made to sit on a shelf"))
    # Parts from two different turns do not make one quote.
    assert not checker.holds(cite(checker, "I price by the hour ... Sourdough keeps for days"))


def test_too_short_empty_or_unknown_source_fails(checker: QuoteChecker) -> None:
    assert not checker.holds(cite(checker, "I"))
    assert not checker.holds(cite(checker, " ... "))
    quote = cite(checker, "I price by the hour")
    quote.source_id = "no-such-source"
    assert not checker.holds(quote)


def test_a_wrong_turn_hint_still_finds_the_turn(checker: QuoteChecker) -> None:
    assert checker.holds(cite(checker, "I price by the hour", turn=0))
    assert checker.holds(cite(checker, "I price by the hour", turn=999))


def test_keep_drops_and_logs_what_fails(checker: QuoteChecker, caplog: pytest.LogCaptureFixture) -> None:
    good = cite(checker, "I price by the hour")
    invented = cite(checker, "I secretly use commercial yeast")
    with caplog.at_level(logging.WARNING, logger="onrecord.answer.verify"):
        kept = checker.keep([good, invented])
    assert kept == [good]
    assert "I secretly use commercial yeast" in caplog.text


def test_workspace_path_is_real(tmp_path: Path) -> None:
    # Sanity: the fixture builds a real SQLite workspace on disk.
    ws = build(tmp_path)
    assert (ws / "onrecord.db").exists()
