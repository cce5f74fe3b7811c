"""Fusion and the prompt links, on hand-made inputs (the search itself is tested through the CLI)."""

from __future__ import annotations

from pathlib import Path

from onrecord.index import passages
from onrecord.index.calibrate import relevance
from onrecord.index.passages import vector_key
from onrecord.index.search import Fusion, Searcher, _prompts
from onrecord.model import Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import SQLiteStore


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


def test_each_stored_passage_is_embedded_after_its_own_lead_in(tmp_path: Path) -> None:
    # Two sources in one store: a passage's lead-in is the passage before it in its own turn,
    # never the last passage of another turn or source, and the vector is of that lead-in
    # and the passage's words.
    import numpy as np

    from onrecord.index.embed import get_model

    store = SQLiteStore(tmp_path / "store.db")
    for source in (_source("s1"), _source("s2")):
        store.add_source(source, passages.cut(source))
    model = get_model()
    Searcher(store, model).update()
    ids, vectors = store.embeddings(vector_key(model.name))
    cut = store.passages(ids)
    texts = []
    for before, passage in zip([None, *cut], cut, strict=False):
        same_turn = before is not None and (before.source_id, before.turn) == (passage.source_id, passage.turn)
        lead = before.text if same_turn and before is not None else passage.prompt
        texts.append(passages.embedding_text(lead, passage.text))
    assert np.allclose(vectors, model.embed_batch(texts), atol=1e-5)
    assert sum(p.turn == 1 for p in cut) > 2  # the answers run over several passages
    store.close()


def _source(source_id: str) -> Source:
    long = ". ".join(f"Point {n} of the answer is about {source_id} bread and flour" for n in range(12)) + "."
    turns = [Turn("A", "Why bread?"), Turn("B", long), Turn("A", "And " + long)]
    for turn in turns:
        turn.sentences = [Sentence(0, len(turn.text), None, None)]
    return Source(source_id, source_id, "webvtt", source_id * 32, Transcript(turns, [], [Speaker("A"), Speaker("B")]))
