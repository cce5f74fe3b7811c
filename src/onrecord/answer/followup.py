"""Follow-ups: "and what about privacy?" or "why?" read against the conversation so far.

Retrieval sees the question together with the earlier question it leans on, when it leans
on one: a question that is short, starts by continuing ("and", "but", "what about"), or
points back ("that", "it", "they") with few words of its own. A follow-up that only asks for
more ("why?", "tell me more") wants what was not said yet (see `asks_for_more`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_CONTINUES = re.compile(
    r"^\s*(?:and|but|also|so|then|why|how come|what about|how about|what else|anything else|"
    r"tell me more|more on|go on|really|in what way|such as|like what)\b",
    re.IGNORECASE,
)
# A request for more and nothing else ("why?", "and why is that?", "tell me more about it").
_MORE = re.compile(
    r"\s*(?:(?:and|but|so|ok|okay)[\s,]+)?"
    r"(?:why|how come|how so|tell me more|more|go on|what else|anything else|in what way|such as|like what|"
    r"really|and then|what do you mean|can you explain|say more|keep going)"
    r"(?:\s+(?:is|was|do you say|did you say)\s+(?:that|it|this))?(?:\s+(?:about\s+)?(?:that|it|this))?"
    r"\s*[?.!]*\s*",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(r"\b(?:that|this|it|its|they|them|those|these|he|she|him|her)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9']+")
# A question with at most this many words leans on the one before it.
SHORT = 4
# Pointing back with at most this many words of its own leans too.
POINTING = 8


def leans_on_history(question: str) -> bool:
    """Whether `question` cannot be understood without the conversation before it."""
    count = len(_WORD.findall(question))
    if count <= SHORT or _CONTINUES.match(question):
        return True
    return count <= POINTING and bool(_POINTS_BACK.search(question))


def asks_for_more(question: str) -> bool:
    """Whether `question` only asks for more of the answer before it ("why?", "go on")."""
    return bool(_MORE.fullmatch(question))


def resolve(question: str, history: Sequence[str]) -> str:
    """The text to retrieve with: the question, after the earlier question it leans on."""
    earlier = [q for q in history if q.strip()]
    if not earlier or not leans_on_history(question):
        return question
    # The topic is in the last question that stood on its own (or the first one asked).
    anchor = next((q for q in reversed(earlier) if not leans_on_history(q)), earlier[0])
    return f"{anchor} {question}"
