"""Rails, the last check: does an answer text give away the card's private parts?

For any path that writes answer text itself (the LLM path): call `leaks(text, card, secrets,
allowed=quotes)` on the text before it is shown, and fall back to the extractive answer when
it returns True. What is private:
- an avoided topic's name (`topic`) and its `examples`: they say what the owner stays away
  from, which is itself private (the topic's `reply` is public: it is what askers get);
- the card's configuration as written in onrecord.toml (its keys and section headers);
- any secret the caller passes (an API key, a server token), matched exactly.
The title, disclosure, no-answer message and the speakers' names are public.

`allowed` holds texts the answer may contain whatever they say, the verified quotes: an
owner who says "the layoffs at Meta" on the record may be quoted saying it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from onrecord.config import AgentCard

# A run of this many words of an example, in order, is a leak of it; shorter examples leak
# only whole.
EXAMPLE_RUN = 6
# Topic names and examples shorter than this many words are ordinary phrases, not private.
MIN_WORDS = 2
# Secrets shorter than this could occur by chance ("key", "1234"): they are not checked.
MIN_SECRET = 8

_CONFIG = re.compile(
    r"\[\[?\s*agents\.[^\]\n]*\]\]?"
    r"|\b(?:speaks_as|no_answer|disclosure|avoid|examples|reply|topics|sources|api_key(?:_env)?|base_url)\s*=",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(slots=True, frozen=True)
class Leak:
    """One private part found in a text: what kind, and the private text itself (for logs)."""

    kind: str
    private: str


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def _phrase(words: list[str]) -> str:
    return " " + " ".join(words) + " "


def find_leaks(text: str, card: AgentCard, secrets: Iterable[str] = (), allowed: Iterable[str] = ()) -> list[Leak]:
    """Every private part of `card` (and every secret) that `text` gives away; see the module doc."""
    for quote in allowed:
        if quote.strip():
            text = text.replace(quote, " ")
    found = [Leak("secret", secret) for secret in secrets if len(secret) >= MIN_SECRET and secret in text]
    match = _CONFIG.search(text)
    if match:
        found.append(Leak("configuration", match.group(0)))
    said = _phrase(_words(text))
    for topic in card.avoid:
        words = _words(topic.topic)
        if len(words) >= MIN_WORDS and _phrase(words) in said:
            found.append(Leak("avoided topic", topic.topic))
        for example in topic.examples:
            words = _words(example)
            if len(words) < MIN_WORDS:
                continue
            size = min(EXAMPLE_RUN, len(words))
            runs = (_phrase(words[i : i + size]) for i in range(len(words) - size + 1))
            if any(run in said for run in runs):
                found.append(Leak("avoided example", example))
    return found


def leaks(text: str, card: AgentCard, secrets: Iterable[str] = (), allowed: Iterable[str] = ()) -> bool:
    """True when `text` gives away a private part of `card` or one of `secrets`.

    `secrets`: strings never to show (API keys, tokens), matched exactly. `allowed`: texts the
    answer may contain as they are (the answer's verified quotes), removed before checking.
    Topic names and examples match on words, ignoring case and punctuation.
    """
    return bool(find_leaks(text, card, secrets, allowed))
