"""Does an agent's archive speak of what a question asks about? A second opinion on no-answer.

The calibrated retrieval score says how well the best passage matches a question; a small
embedding model also finds a passage on a neighbouring subject fairly similar ("teenagers on
Instagram" and a passage on health). Which of the question's content words the agent's
sources use at all tells these apart: a question whose words the archive never says is
probably about something it does not cover, and one whose words it uses probably is not.
The share of content words used moves the bar a passage must clear to be quoted, around a
typical share. Measured on the seed questions and the held-out seed set (docs/quality.md).
"""

from __future__ import annotations

import re

from onrecord.store import Scope, Store

# How far the bar moves per unit of share away from TYPICAL (a share of 1.0 lowers it by
# WEIGHT * (1 - TYPICAL)); a question with no content words leaves the bar where it is.
WEIGHT = 0.3
TYPICAL = 0.75
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words that carry no subject: function words and the words questions are made of.
_STOP = """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each ever few for
    from further get gets getting got had has have having he her here hers herself him himself his
    how i if in into is it its itself just let like made make makes many me might more most much
    must my myself no nor not now of off on once one ones only or other our ours ourselves out over
    own really same say said she should so some such tell than that the their theirs them themselves
    then there these they thing things think this those through to too under until up us very was
    we were what when where which while who whom whose why will with would yes yet you your yours
    yourself yourselves"""
STOP_WORDS = frozenset(_STOP.split())


def content_words(question: str) -> list[str]:
    """The question's words that name its subject, lower case, in order, once each."""
    words = (w.lower() for w in _WORD.findall(question))
    return list(dict.fromkeys(w for w in words if len(w) > 2 and w not in STOP_WORDS and "'" not in w))


class Vocabulary:
    """Which content words the sources in one scope use: asked of the store once per word and
    remembered (up to `remember` words; then forgotten all at once and asked again)."""

    def __init__(self, store: Store, scope: Scope | None, remember: int = 50_000) -> None:
        self.store = store
        self.scope = scope
        self.remember = remember
        self._used: dict[str, bool] = {}

    def share_used(self, question: str) -> float | None:
        """The share of the question's content words the sources use (stemmed as the lexical
        index stems); None for a question with no content words."""
        words = content_words(question)
        if not words:
            return None
        known = {w: self._used[w] for w in words if w in self._used}
        unknown = [w for w in words if w not in known]
        if unknown:
            used = self.store.used_terms(unknown, self.scope)
            known.update((w, w in used) for w in unknown)
            if len(self._used) + len(unknown) > self.remember:
                self._used.clear()
            self._used.update((w, known[w]) for w in unknown)
        return sum(known.values()) / len(words)


def bar(base: float, share: float | None) -> float:
    """The score a passage must reach to be quoted, given the share of the question's words
    the archive uses: lower when it uses them all, higher when it uses few."""
    if share is None:
        return base
    return base - WEIGHT * (share - TYPICAL)
