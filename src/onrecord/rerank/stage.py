"""Second stage, applied: the first stage's candidates scored by the reranker and reordered.

Each candidate is read with its prompt and speaker (candidates.candidate_text). Scores are
kept in a small cache keyed by the question and the candidate's text, so that an agent that
searches its owner's words and then everyone's, or works out a conversation's earlier
answers again, scores each pair once. A reranker that cannot score now (a server that is
down, slow or answers nonsense) leaves the first stage's order, and the reason is logged.

A reranker may declare `first_stage_weight`: its score is then read together with the first
stage's (their log-odds added, the first stage's weighted), so that what the first stage
knows and the reranker does not (BM25, the similarity an answer inherits from its question)
is kept. The bundled selector's weight was fitted with its calibration.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from cachetools import LRUCache

from onrecord.rerank.candidates import candidate_text
from onrecord.rerank.odds import log_odds, probability
from onrecord.rerank.plugin import Reranker, RerankerUnavailable

if TYPE_CHECKING:
    from onrecord.index.search import Hit
    from onrecord.store import Store

log = logging.getLogger("onrecord.rerank")

# (question, candidate text) scores remembered.
CACHED_PAIRS = 20_000
# The no-answer bar for a reranker that declares none (`no_answer_below`), on a probability scale.
OPERATING_POINT = 0.5


class SecondStage:
    """Reorders hits by a reranker's score; `Hit.score` becomes that score, `Hit.first` keeps
    the first stage's."""

    def __init__(self, reranker: Reranker, store: Store) -> None:
        self.reranker = reranker
        self.store = store
        self._cache: LRUCache[tuple[str, str], float] = LRUCache(maxsize=CACHED_PAIRS)
        self._lock = threading.Lock()

    @property
    def operating_point(self) -> float:
        """The score under which a question counts as not covered: the reranker's own
        `no_answer_below` when it declares one (a selector's card holds the one measured for it), else 0.5."""
        return float(getattr(self.reranker, "no_answer_below", OPERATING_POINT))

    def texts(self, hits: Sequence[Hit]) -> list[str]:
        """What the reranker reads for each hit."""
        names: dict[str, dict[str, str]] = {}
        texts = []
        for hit in hits:
            passage = hit.passage
            if passage.source_id not in names:
                names[passage.source_id] = self.store.speaker_names(passage.source_id)
            speaker = names[passage.source_id].get(passage.speaker, passage.speaker)
            texts.append(candidate_text(passage.text, speaker, passage.prompt))
        return texts

    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        """The reranker's score of each text (cached); RerankerUnavailable passes through."""
        with self._lock:
            known = {text: self._cache.get((question, text)) for text in texts}
        missing = list(dict.fromkeys(text for text, score in known.items() if score is None))
        if missing:
            fresh = self.reranker.score(question, missing)
            if len(fresh) != len(missing):
                raise RerankerUnavailable(
                    f"reranker {self.reranker.name} gave {len(fresh)} scores for {len(missing)} candidates"
                )
            with self._lock:
                for text, score in zip(missing, fresh, strict=True):
                    self._cache[(question, text)] = float(score)
                    known[text] = float(score)
        return [float(known[text] or 0.0) for text in texts]

    def apply(self, question: str, hits: Sequence[Hit]) -> list[Hit]:
        """The hits ordered by the reranker, best first; the first stage's order (unchanged
        hits) when the reranker cannot score now."""
        if not hits:
            return []
        try:
            scores = self.scores(question, self.texts(hits))
        except RerankerUnavailable as exc:
            log.warning("second stage skipped, first-stage order kept: %s", exc)
            return list(hits)
        weight = float(getattr(self.reranker, "first_stage_weight", 0.0))
        if weight:
            pairs = zip(hits, scores, strict=True)
            scores = [probability(log_odds(score) + weight * log_odds(hit.score)) for hit, score in pairs]
        ranked = [replace(hit, score=score, first=hit.score) for hit, score in zip(hits, scores, strict=True)]
        ranked.sort(key=lambda hit: -hit.score)
        return ranked
