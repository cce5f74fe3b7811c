"""Quote verification: nothing leaves the library as a quote unless its speaker said it.

A quote holds when its words, compared as `repair.clean.words` compares them (lower case,
no punctuation), are a contiguous run of one turn by the cited speaker in the cited source,
in the turn's verbatim or its clean-verbatim text. A quote may skip words with an ellipsis
("... "); each part must then hold, in order, within the same turn. Every answer style
(extractive, LLM-phrased, served over HTTP) goes through `QuoteChecker.keep`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from onrecord.answer.result import Citation
from onrecord.errors import NotFoundError
from onrecord.model import Passage, Source
from onrecord.repair.clean import words
from onrecord.store import Store

log = logging.getLogger(__name__)

_ELLIPSIS = re.compile(r"\s*(?:\.{3,}|…|\[\.\.\.\])\s*")
# A quote shorter than this proves nothing ("yes", "I think"): it cannot be verified.
MIN_QUOTE_WORDS = 2


def _joined(text: str) -> str:
    return " " + " ".join(words(text)) + " "


class QuoteChecker:
    """Checks quotes against one store; transcripts are read once and kept."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sources: dict[str, Source | None] = {}
        self._turns: dict[tuple[str, int], tuple[str, str]] = {}

    def sentence_starts(self, passage: Passage) -> list[int]:
        """Where the sentences of a passage's turn start (character offsets; [0] when unknown)."""
        source = self._source(passage.source_id)
        if source is None or not 0 <= passage.turn < len(source.transcript.turns):
            return [0]
        return [0, *(s.begin for s in source.transcript.turns[passage.turn].sentences)]

    def _source(self, source_id: str) -> Source | None:
        if source_id not in self._sources:
            try:
                self._sources[source_id] = self.store.get_source(source_id)
            except NotFoundError:
                self._sources[source_id] = None
        return self._sources[source_id]

    def _turn_words(self, source: Source, index: int) -> tuple[str, str]:
        key = (source.id, index)
        if key not in self._turns:
            turn = source.transcript.turns[index]
            self._turns[key] = (_joined(turn.text), _joined(turn.clean_text or turn.text))
        return self._turns[key]

    def holds(self, citation: Citation) -> bool:
        """Whether the cited speaker said `citation.quote` in the cited source."""
        source = self._source(citation.source_id)
        if source is None:
            return False
        parts = [_joined(part) for part in _ELLIPSIS.split(citation.quote) if words(part)]
        if not parts or sum(len(p.split()) for p in parts) < MIN_QUOTE_WORDS:
            return False
        transcript = source.transcript
        wanted = citation.speaker.casefold()
        labels = {
            s.label for s in transcript.speakers if s.display.casefold() == wanted or s.label.casefold() == wanted
        }
        if not labels:
            labels = {wanted} if any(t.speaker.casefold() == wanted for t in transcript.turns) else set()
        order = list(range(len(transcript.turns)))
        if 0 <= citation.turn < len(order):
            order.insert(0, order.pop(citation.turn))  # the cited turn first: usually the one
        for index in order:
            turn = transcript.turns[index]
            if turn.speaker not in labels and turn.speaker.casefold() not in labels:
                continue
            if any(_in_order(parts, text) for text in self._turn_words(source, index)):
                return True
        return False

    def keep(self, citations: Iterable[Citation]) -> list[Citation]:
        """The citations that hold; each that does not is logged and dropped."""
        kept = []
        for citation in citations:
            if self.holds(citation):
                kept.append(citation)
            else:
                log.warning(
                    "dropped a quote that %s did not say in source %s: %r",
                    citation.speaker,
                    citation.source_id,
                    citation.quote[:200],
                )
        return kept


def _in_order(parts: list[str], text: str) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part) - 1
    return True


def within(quote: str, text: str) -> bool:
    """Whether `quote` (each part, when it skips words with an ellipsis) runs in order through `text`.

    Words compare as `QuoteChecker.holds` compares them; a quote of fewer than
    MIN_QUOTE_WORDS words is never within anything.
    """
    parts = [_joined(part) for part in _ELLIPSIS.split(quote) if words(part)]
    if sum(len(p.split()) for p in parts) < MIN_QUOTE_WORDS:
        return False
    return _in_order(parts, _joined(text))
