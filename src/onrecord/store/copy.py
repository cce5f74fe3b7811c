"""Copying a workspace's data from one store to another (SQLite to PostgreSQL and back).

Everything is written to the target in one batch: an interrupted copy leaves the target as
empty as it was, and running it again starts over. The target must be empty; when the copy
ends, what each store holds is counted and compared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from onrecord.errors import StoreError
from onrecord.store.protocol import Store


def copy_store(
    source: Store,
    target: Store,
    *,
    question_models: Sequence[str] = (),
    meta_keys: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Copy every source (with its passages and their vectors), the question log (with the
    vectors of `question_models`) and the facts under `meta_keys`; returns the counts, which
    both stores then agree on (StoreError otherwise)."""
    held = target.counts()
    if held["sources"] or held["questions"]:
        raise StoreError(
            f"the target already holds {held['sources']} sources and {held['questions']} questions:"
            " a copy goes into an empty store (nothing was copied)"
        )
    layout: dict[str, list[int]] = {}
    for pid, source_id, _, _ in source.passage_layout():
        layout.setdefault(source_id, []).append(pid)
    new_ids: dict[int, int] = {}
    written = dict.fromkeys(("sources", "turns", "passages", "vectors", "questions"), 0)
    with target.batch():
        for stored in source.iter_sources():
            old = source.passages(layout.get(stored.id, []))
            fresh = [replace(p, id=None) for p in old]
            target.add_source(stored, fresh)
            new_ids.update((p.id, q.id) for p, q in zip(old, fresh, strict=True) if p.id and q.id)
            written["sources"] += 1
            written["turns"] += len(stored.transcript.turns)
            written["passages"] += len(fresh)
            if progress is not None:
                progress(stored.id)
        for model in source.embedding_models():
            ids, vectors = source.embeddings(model)
            keep = [i for i, pid in enumerate(ids) if pid in new_ids]
            target.add_embeddings(model, [new_ids[ids[i]] for i in keep], vectors[keep])
            written["vectors"] += len(keep)
        questions = source.logged_questions()
        stored_vectors = {
            model: source.question_vectors(model, [q.id for q in questions if q.id is not None])
            for model in question_models
        }
        for question in questions:
            vector = next(
                ((model, found[question.id]) for model, found in stored_vectors.items() if question.id in found),
                None,
            )
            target.log_question(replace(question, id=None), vector)
        written["questions"] = len(questions)
        for key in meta_keys:
            value = source.meta(key)
            if value is not None:
                target.set_meta(key, value)
        counts = source.counts()
        if counts != written:
            # Raised inside the batch: the target keeps nothing of this copy.
            raise StoreError(
                f"the source changed while it was copied ({counts} now, {written} copied): nothing was kept;"
                " run the copy again when nothing writes to it"
            )
    copied = target.counts()
    if copied != written:
        raise StoreError(f"the target holds {copied} after the copy, not the {written} written")
    return copied
