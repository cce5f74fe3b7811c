"""Fusion and the prompt links, on hand-made inputs (the search itself is tested through the CLI)."""

from __future__ import annotations

from onrecord.index.calibrate import relevance
from onrecord.index.search import Fusion, _prompts


def test_linear_fusion_adds_a_share_of_relative_bm25() -> None:
    fusion = Fusion(mode="linear", lexical=0.5)
    fused = fusion.fuse({1: 0.6, 2: 0.5, 3: 0.1}, {1: 0, 2: 1}, [(3, 8.0), (2, 4.0)])
    assert fused[1] == 0.6
    assert fused[2] == 0.5 + 0.5 * 0.5
    assert fused[3] == 0.1 + 0.5 * 1.0


def test_rrf_rewards_agreement_between_rankers() -> None:
    fused = Fusion(mode="rrf", rrf_k=10).fuse({1: 0.9, 2: 0.8}, {1: 0, 2: 1}, [(2, 5.0), (3, 4.0)])
    assert fused[2] > fused[1] > fused[3]


def test_calibrated_score_is_monotone_and_bounded() -> None:
    scores = [relevance(x / 10) for x in range(-10, 20)]
    assert scores == sorted(scores)
    assert 0.0 < scores[0] < scores[-1] < 1.0


def test_turns_are_numbered_and_linked_to_the_turn_that_asked() -> None:
    # (id, source, turn, prompting turn): a question in two passages, an answer in two,
    # the guest's next turn, a question whose prompt turn has no passages, another source.
    layout = [
        (1, "a", 0, None),
        (2, "a", 0, None),
        (3, "a", 1, 0),
        (4, "a", 1, 0),
        (5, "a", 2, 0),
        (6, "a", 4, 3),
        (7, "b", 0, None),
    ]
    links = {pid: (number, prompt, first) for pid, number, prompt, first in _prompts(layout)}
    assert links[1] == (0, None, True) and links[2] == (0, None, False)
    assert links[3] == (1, 0, True) and links[4] == (1, 0, False)
    assert links[5] == (2, 0, True)
    assert links[6] == (3, None, True)  # turn 3 was too short to be indexed
    assert links[7] == (4, None, True)
