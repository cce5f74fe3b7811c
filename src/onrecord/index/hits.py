"""Search hits as people and programs read them: the `onrecord search --json` result shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onrecord.index.search import Hit
from onrecord.store import SourceSummary, Store


class HitFormatter:
    """Titles, links and speaker names of the sources results come from, looked up once."""

    def __init__(self, store: Store, sources: Iterable[SourceSummary] | None = None) -> None:
        # A server passes the sources of the snapshot its hits come from: a source removed
        # since is still described, never a KeyError.
        self.store = store
        self.summaries = {s.id: s for s in (store.sources() if sources is None else sources)}
        self.names: dict[str, dict[str, str]] = {}

    def hit_json(self, hit: Hit) -> dict[str, Any]:
        passage = hit.passage
        source = self.summaries[passage.source_id]
        if source.id not in self.names:
            self.names[source.id] = self.store.speaker_names(source.id)
        return {
            "passage_id": passage.id,
            "text": passage.text,
            "speaker": self.names[source.id].get(passage.speaker, passage.speaker),
            "source": {"id": source.id, "title": source.title, "url": source.url},
            "start": passage.start,
            "end": passage.stop,
            "chapter": passage.chapter,
            "score": round(hit.score, 4),
        }

    def results(self, query: str, hits: list[Hit]) -> dict[str, Any]:
        """The whole answer to one query, best first."""
        return {"query": query, "results": [self.hit_json(h) for h in hits]}
