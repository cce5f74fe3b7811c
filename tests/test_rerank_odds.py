"""Scores as probabilities: any logit, however large, and back."""

from __future__ import annotations

import pytest

from onrecord.rerank.odds import log_odds, probability


def test_a_probability_of_any_logit_without_overflow() -> None:
    assert probability(0.0) == 0.5
    assert probability(-1e6) < 1e-20 and probability(1e6) == 1.0
    assert log_odds(probability(2.0)) == pytest.approx(2.0)
    assert log_odds(0.0) < -13 and log_odds(1.0) > 13
