"""The calibrated relevance score: P(passage answers the query) from its retrieval signals.

A logistic model over the dense cosine similarity and whether BM25 also ranked the passage
near the top. Its coefficients were fitted on the QMSum validation meetings named in
docs/quality.md (never on a test set); benchmarks/calibrate.py refits and reports them.
"""

from __future__ import annotations

import math

# Fitted by benchmarks/calibrate.py; see docs/quality.md for the data and the fit.
INTERCEPT = -6.0
DENSE = 10.0
LEXICAL_TOP = 0.8


def relevance(dense: float, lexical_rank: int | None) -> float:
    """Probability in [0, 1] that a passage with these signals is relevant."""
    z = INTERCEPT + DENSE * dense + (LEXICAL_TOP / (1 + lexical_rank) if lexical_rank is not None else 0.0)
    return 1.0 / (1.0 + math.exp(-z))
