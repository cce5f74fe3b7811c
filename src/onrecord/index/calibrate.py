"""The calibrated relevance score: P(a passage holds the answer) from its fused search score.

A logistic curve over the linear fusion score (dense similarity with the inherited prompt
similarity, plus the relative BM25 share), fitted by benchmarks/calibrate.py on the QMSum
development meetings: top-10 results labelled by whether they hold the evidence, plus the
results of questions asked of a different meeting (unanswerable there). Never fitted on
a test split or on the seed questions.
"""

from __future__ import annotations

import math

# Fitted by `python benchmarks/calibrate.py ../shared/data/qmsum/val/*.json`; see docs/quality.md.
SLOPE = 3.334
OFFSET = -2.604


def relevance(fused: float) -> float:
    """Probability in [0, 1] that a passage with this fused score is relevant."""
    return 1.0 / (1.0 + math.exp(-(SLOPE * fused + OFFSET)))
