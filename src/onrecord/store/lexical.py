"""What both backends' lexical search shares: a query's terms, and which of them to leave out."""

from __future__ import annotations

import re

# Query syntax has operators; a user's words are matched as plain terms.
TERM = re.compile(r"\w+", re.UNICODE)
# A query term found in more than this share of passages (and in more than COMMON_TERM_MIN
# passages: below that, scoring them all is cheap) is left out of the lexical query.
COMMON_TERM = 0.05
COMMON_TERM_MIN = 2000
# Term counts a backend remembers until the store's version moves (then forgets all at once).
DF_TERMS = 50_000
# BM25 weights of the passage's words, the question before it, its labels.
BM25_WEIGHTS = (1.0, 0.35, 0.25)
# Most terms of one query that count.
MAX_TERMS = 64


def query_terms(query: str) -> list[str]:
    """The distinct words of a query, lower case, in order (at most MAX_TERMS)."""
    return list(dict.fromkeys(t.lower() for t in TERM.findall(query)))[:MAX_TERMS]


def informative(terms: list[str], counts: dict[str, int], total: int) -> list[str]:
    """`terms` less those found in very many passages: their BM25 weight is small, and scoring
    every passage they occur in is what makes a lexical query slow in a large archive."""
    limit = max(COMMON_TERM * total, COMMON_TERM_MIN)
    kept = [term for term in terms if counts[term] <= limit]
    return kept or [min(terms, key=counts.__getitem__)]
