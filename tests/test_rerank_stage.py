"""The second stage over a real workspace: candidates reordered by a reranker plugin (one
written here, as a third party would), scores cached per question and text, the first
stage's order kept when the reranker cannot score."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from onrecord import importer
from onrecord.rerank.candidates import candidate_text
from onrecord.rerank.plugin import RerankerUnavailable
from onrecord.rerank.stage import SecondStage
from onrecord.workspace import Workspace

TRANSCRIPT = """\
Sam: How did the workshop start?
Dana: It started in my garage with a bandsaw and a lot of patience, building stools for friends.
Sam: What finish do you use on a table for kids?
Dana: For kids I use a hardwax oil, because it is food safe and easy to repair when they scratch it.
Sam: And how do you price a table?
Dana: I price by the hours and the wood, and then I look at what the table means to the family.
Sam: Do you ever work weekends?
Dana: Weekends are for my own projects, mostly chairs that nobody asked for.
"""


class Overlap:
    """A reranker plugin: the share of the question's words a candidate holds."""

    name = "overlap"

    def __init__(self) -> None:
        self.scored: list[str] = []
        self.down = False

    def score(self, question: str, candidates: Sequence[str]) -> list[float]:
        if self.down:
            raise RerankerUnavailable("overlap server is down")
        self.scored += candidates
        asked = set(re.findall(r"[a-z]+", question.lower()))
        return [len(asked & set(re.findall(r"[a-z]+", c.lower()))) / len(asked) for c in candidates]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    path = tmp_path / "dana.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    workspace = Workspace.init(tmp_path / "ws")
    importer.import_paths(workspace.store, [path], importer.ImportOptions())
    workspace.update_index()
    return workspace


def test_candidates_are_reordered_by_the_reranker(workspace: Workspace) -> None:
    first = workspace.searcher.search("what wood finish is safe for kids tables", 6)
    stage = SecondStage(Overlap(), workspace.store)
    second = stage.apply("what wood finish is safe for kids tables", first)
    assert sorted(h.passage.id for h in second) == sorted(h.passage.id for h in first)
    assert [h.score for h in second] == sorted((h.score for h in second), reverse=True)
    by_id = {h.passage.id: h for h in first}
    assert all(h.first == by_id[h.passage.id].score for h in second)
    # The reranker read each candidate with who said it and the question that prompted it.
    lead = second[0].passage
    assert stage.texts([second[0]]) == [candidate_text(lead.text, "Dana", lead.prompt)]
    assert "Dana: For kids I use a hardwax oil" in stage.texts([second[0]])[0]


def test_each_question_and_candidate_is_scored_once(workspace: Workspace) -> None:
    overlap = Overlap()
    stage = SecondStage(overlap, workspace.store)
    hits = workspace.searcher.search("how do you price a table", 5)
    stage.apply("how do you price a table", hits)
    stage.apply("how do you price a table", hits[:3])
    assert len(overlap.scored) == len(hits)
    stage.apply("how did the workshop start", hits)
    assert len(overlap.scored) == 2 * len(hits)


def test_a_reranker_that_cannot_score_leaves_the_first_stage_order(
    workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    overlap = Overlap()
    overlap.down = True
    hits = workspace.searcher.search("how do you price a table", 5)
    with caplog.at_level(logging.WARNING, logger="onrecord.rerank"):
        kept = SecondStage(overlap, workspace.store).apply("how do you price a table", hits)
    assert kept == hits
    assert "overlap server is down" in caplog.text


def test_a_reranker_giving_too_few_scores_is_not_trusted(workspace: Workspace) -> None:
    class Short(Overlap):
        def score(self, question: str, candidates: Sequence[str]) -> list[float]:
            return super().score(question, candidates)[:-1]

    hits = workspace.searcher.search("how do you price a table", 4)
    assert SecondStage(Short(), workspace.store).apply("how do you price a table", hits) == hits


def test_search_without_the_second_stage_is_the_first_stage(workspace: Workspace) -> None:
    workspace.settings.rerank.reranker = "none"
    assert workspace.second_stage is None
    plain = workspace.search("how do you price a table", 3)
    assert [h.passage.id for h in plain] == [
        h.passage.id for h in workspace.searcher.search("how do you price a table", 3)
    ]
    assert all(h.first is None for h in plain)
