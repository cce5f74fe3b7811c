from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord import evaluate
from onrecord.errors import InputError


def test_phrase_found_only_inside_the_word_window() -> None:
    question = evaluate.Question("q", phrases=["baked the bread"])
    filler = "word " * 90
    texts = [filler.strip(), "then we baked the bread at dawn"]
    outcome = evaluate.judge(question, texts, [0.9, 0.8])
    assert outcome.first_hit == 1
    assert outcome.found == {50: False, 100: True, 300: True}
    outcome = evaluate.judge(question, ["word " * 150, *texts[1:]], [0.9, 0.8])
    assert outcome.found == {50: False, 100: False, 300: True}


def test_span_evidence_needs_most_of_a_passage_from_the_evidence() -> None:
    evidence = "we decided to move the oven to the back room because of the heat"
    question = evaluate.Question("q", evidence_text=[evidence])
    judge = evaluate.Judge(question)
    assert judge.holds("we decided to move the oven to the back room")
    assert not judge.holds("the weather was nice and we went for a long walk in the park")
    assert not judge.holds("unrelated")


def test_summary_figures() -> None:
    answerable = evaluate.Question("a", phrases=["x y"])
    unanswerable = evaluate.Question("u")
    outcomes = [
        evaluate.judge(answerable, ["nothing", "x y here"], [0.9, 0.5]),
        evaluate.judge(answerable, ["x y first"], [0.8]),
        evaluate.judge(unanswerable, ["something"], [0.2]),
    ]
    figures = evaluate.summarise(outcomes)
    assert figures["hit@1"] == 0.5 and figures["hit@3"] == 1.0
    assert figures["mrr"] == pytest.approx((0.5 + 1.0) / 2)
    assert figures["score_auc"] == 1.0


def test_auc_counts_ties_half() -> None:
    assert evaluate.auc([0.5], [0.5]) == 0.5
    assert evaluate.auc([], [0.1]) is None


def test_load_jsonl_and_qmsum(tmp_path: Path) -> None:
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text('{"question": "a?", "evidence": ["x"]}\n\n{"question": "b?"}\n')
    loaded = evaluate.load_questions(jsonl)
    assert [q.answerable for q in loaded] == [True, False]
    meeting = tmp_path / "m.json"
    meeting.write_text(
        json.dumps(
            {
                "meeting_transcripts": [{"speaker": "A", "content": c} for c in ("one two", "three four", "five")],
                "specific_query_list": [{"query": "q?", "relevant_text_span": [["1", "2"]]}],
            }
        )
    )
    [question] = evaluate.load_questions(meeting)
    assert question.evidence_text == ["three four", "five"]


def test_bad_question_files_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok"}\nnot json\n')
    with pytest.raises(InputError, match="line 2"):
        evaluate.load_questions(bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(InputError, match="no questions"):
        evaluate.load_questions(empty)
