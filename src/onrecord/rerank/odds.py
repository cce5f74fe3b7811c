"""Second stage, scores as probabilities: rerankers give logits, the stage adds log-odds."""

from __future__ import annotations

import math

# Past this the probability is 0 or 1 to float precision; math.exp would overflow.
_BOUND = 50.0


def probability(logit: float) -> float:
    """The logistic of `logit`, safe for any float."""
    return 1.0 / (1.0 + math.exp(-max(-_BOUND, min(_BOUND, logit))))


def log_odds(p: float) -> float:
    """The logit of probability `p` (kept off 0 and 1)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
