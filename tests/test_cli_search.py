"""Search through the real CLI over the example archive, with the real embedding model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from onrecord.cli import main
from onrecord.example import write_archive
from onrecord.index import passages
from onrecord.index.passages import vector_key
from onrecord.workspace import PASSAGE_RULES, Workspace

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search")
    write_archive(root / "archive")
    ws = root / "ws"
    result = CliRunner().invoke(
        main, ["-w", str(ws), "add", str(root / "archive"), "--speaker", "Speaker 2=Dana Reyes"]
    )
    assert result.exit_code == 0, result.stderr
    (ws / "onrecord.toml").write_text(
        (ws / "onrecord.toml").read_text()
        + '\n[agents.dana]\ntitle = "Dana"\nspeaks_as = ["Dana Reyes"]\nsources = ["talk*"]\n'
    )
    return ws


@pytest.fixture
def run(workspace: Path) -> Run:
    def invoke(*args: str, input: str | bytes | None = None) -> Result:
        return CliRunner().invoke(main, ["-w", str(workspace), *args], input=input)

    return invoke


def test_json_shape_and_the_best_passage_first(run: Run) -> None:
    result = run("search", "What finish do you put on a kids table?", "--json", "-k", "3")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "What finish do you put on a kids table?"
    assert len(data["results"]) == 3
    first = data["results"][0]
    assert set(first) == {"passage_id", "text", "speaker", "source", "start", "end", "chapter", "score"}
    assert set(first["source"]) == {"id", "title", "url"}
    assert "Hardwax oil" in first["text"]
    assert first["speaker"] == "Dana Reyes"
    assert 0.0 <= first["score"] <= 1.0


def test_human_output_names_speaker_source_and_time(run: Run) -> None:
    result = run("search", "why reclaimed wood", "-k", "2")
    assert result.exit_code == 0, result.stderr
    assert "Dana Reyes in maker hours 41 interview 0:" in result.stdout


def test_filters_by_speaker_source_and_agent(run: Run) -> None:
    by_speaker = json.loads(run("search", "wood", "--speaker", "Sam Ortiz", "--json", "-k", "10").stdout)
    assert by_speaker["results"] and {r["speaker"] for r in by_speaker["results"]} == {"Sam Ortiz"}
    by_agent = json.loads(run("search", "wood", "--agent", "dana", "--json", "-k", "10").stdout)
    assert by_agent["results"] and {r["source"]["title"] for r in by_agent["results"]} == {"talk old wood"}
    source_id = by_agent["results"][0]["source"]["id"]
    by_source = json.loads(run("search", "wood", "--source", source_id, "--json").stdout)
    assert {r["source"]["id"] for r in by_source["results"]} == {source_id}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "the query is empty"),
        (["search", "   "], "the query is empty"),
        (["search", "wood", "-k", "0"], "-k"),
        (["search", "wood", "-k", "-1"], "-k"),
        (["search", "wood", "--agent", "nobody"], "no agent named 'nobody'"),
        (["search", "wood", "--speaker", "Nobody Here"], "no speaker named 'Nobody Here'"),
        (["search", "wood", "--source", "feedfacecafe"], "no source with id"),
        (["search"], "give a QUERY or --batch"),
    ],
)
def test_bad_input_is_a_clear_error(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_huge_query_gives_a_defined_result(run: Run) -> None:
    result = run("search", "wood " * 20_000, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]


def test_batch_keeps_order_and_reports_bad_lines_in_place(run: Run) -> None:
    lines = b"why reclaimed wood\n\nhow do you price a table\n\xff\xfe bad bytes\nwhat finish for kids\n"
    result = run("search", "--batch", "-", "-k", "2", input=lines)
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["query"] for o in out] == [
        "why reclaimed wood",
        "",
        "how do you price a table",
        None,
        "what finish for kids",
    ]
    assert out[1]["error"] == "QUERY: the query is empty" and out[1]["results"] == []
    assert "not UTF-8" in out[3]["error"]
    assert all(len(o["results"]) == 2 for o in (out[0], out[2], out[4]))
    assert "Hardwax oil" in out[4]["results"][0]["text"]


def test_batch_from_a_file(run: Run, tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("metal detector\nwaiting list\n")
    result = run("search", "--batch", str(queries), "-k", "1")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["query"] for o in out] == ["metal detector", "waiting list"]


def test_changing_the_model_re_embeds_with_a_message(workspace: Path) -> None:
    import numpy as np

    with Workspace.open(workspace) as ws:
        pid = ws.store.missing_embeddings("old-model")[0]
        ws.store.add_embeddings("old-model", [pid], np.ones((1, 3), dtype=np.float32))
        messages: list[str] = []
        report = ws.update_index(announce=messages.append)
        assert report.dropped_model == "old-model" and report.dropped == 1
        key = vector_key("all-MiniLM-L6-v2")
        assert messages == [f"passage vectors changed from old-model to {key}: re-embedding every passage"]
        assert ws.store.embedding_models() == [key]
        assert ws.pending_index() == 0


def test_passages_cut_by_older_rules_are_cut_again_with_a_message(workspace: Path) -> None:
    with Workspace.open(workspace) as ws:
        ws.store.set_meta(PASSAGE_RULES, "older-rules")
        before = ws.store.passage_layout()
        assert ws.pending_index() == len(before)
        messages: list[str] = []
        report = ws.update_index(announce=messages.append)
        sources = len(ws.store.sources())
        assert report.recut == sources and report.embedded == len(before)
        assert messages == [f"passages were cut by older rules: cutting {sources} sources again and re-embedding"]
        assert ws.store.meta(PASSAGE_RULES) == passages.RULES and ws.pending_index() == 0
        assert len(ws.store.passage_layout()) == len(before)
        assert ws.update_index().recut == 0
    # A store made new under an existing onrecord.toml (the data file not kept) is current.
    fresh = workspace.parent / "fresh"
    fresh.mkdir()
    (fresh / "onrecord.toml").write_text((workspace / "onrecord.toml").read_text())
    with Workspace.open(fresh) as ws:
        assert ws.store.meta(PASSAGE_RULES) == passages.RULES and ws.pending_index() == 0
    # Search sees the new passages.
    result = CliRunner().invoke(main, ["-w", str(workspace), "search", "finish for kids", "-k", "1", "--json"])
    assert "Hardwax oil" in json.loads(result.stdout)["results"][0]["text"]


def test_eval_prints_the_figures(run: Run, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "What finish do you use on tables for children?", "evidence": ["Hardwax oil"]}\n'
        '{"question": "How long is the waiting list for a commission?", "evidence": ["four to six months"]}\n'
        '{"question": "What is the best recipe for lasagne?"}\n'
    )
    result = run("eval", str(questions), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    figures = report["figures"]["first"]
    assert figures["answerable"] == 2 and figures["unanswerable"] == 1
    assert figures["found_within_300"] == 1.0
    assert figures["score_auc"] == 1.0
    assert set(report["questions"][0]["stages"]) == set(report["figures"])
    table = run("eval", str(questions))
    assert "found_within_100" in table.stdout and "first stage" in table.stdout


def test_a_source_without_passages_leaves_nothing_pending(tmp_path: Path) -> None:
    # Only backchannels: no passage is worth indexing, and that must not look unfinished.
    quiet = tmp_path / "quiet.json"
    quiet.write_text('[{"i": 0, "speaker": "A", "text": "Yeah."}, {"i": 1, "speaker": "B", "text": "Okay."}]')
    with Workspace.init(tmp_path / "ws") as ws:
        from onrecord import importer

        importer.import_paths(ws.store, [quiet], importer.ImportOptions())
        assert ws.pending_index() == 0
        assert ws.update_index().embedded == 0
