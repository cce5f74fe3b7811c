"""Checks of a model's phrasing before anyone sees it: quotes said, attributed, and nothing else amiss.

`problem` names the first check a phrasing fails, or returns None when it may be shown:
- it is text of a sensible length, with balanced quotation marks and at least one quotation;
- every [n] marker points to a citation, and every quotation (in straight or curly double
  quotes) is within the citation it marks (or, unmarked, within one citation) and holds under
  `QuoteChecker` for that citation's source and speaker;
- every quotation is attributed to whoever said it: the owner's words in the first person or
  without a name, anyone else's after their name, never after "I" or another person's name;
- the words outside quotation marks are few (the answer is the sources' words, not the
  model's), bring no number the sources do not have, never claim to be the person or a
  human, and never repeat the instructions or the card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from onrecord.answer.result import Citation
from onrecord.answer.verify import QuoteChecker, within
from onrecord.config import AgentCard
from onrecord.rails.leaks import find_leaks
from onrecord.repair.clean import words

# A phrasing longer than this is not a short answer.
MAX_CHARS = 1500
# Words outside quotation marks: at most as many as are quoted, or this many when that is fewer.
UNQUOTED_FLOOR = 25
# A run of this many words of the instructions or the card in the answer is a leak.
LEAK_WORDS = 5

_QUOTE = re.compile(r'"([^"\n]*)"|“([^”\n]*)”')
_QUOTED_SPAN = re.compile(r'"[^"\n]*"|“[^”\n]*”')
# The [n] markers right after a quotation (punctuation may sit between them).
_MARKERS_AFTER = re.compile(r"\s*[,.;:!?]?\s*((?:\[\d+\]\s*)+)")
_MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_FIRST_PERSON = r"\bI(?:['’](?:m|ve|d|ll))?\b"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NOT_AI = r"\bI(?:['’]m| am)\s+not\s+(?:an?\s+)?(?:AI|bot|chatbot|machine|program|language model)\b"
_BEING = r"\b(?:I(?:['’]m| am)|this is|it(?:['’]s| is))\s+(?:really\s+|actually\s+|truly\s+)?(?:(?:a|the)\s+)?"


@dataclass(slots=True)
class _Quotation:
    text: str
    numbers: list[int]


def problem(
    text: str,
    citations: Sequence[Citation],
    card: AgentCard,
    checker: QuoteChecker,
    *,
    question: str,
    instructions: str,
) -> str | None:
    """Why the phrasing `text` of `citations` must not be shown, or None when it may be."""
    if not text.strip():
        return "the reply is empty"
    if len(text) > MAX_CHARS:
        return f"the reply is {len(text):,} characters long; a short answer is at most {MAX_CHARS:,}"
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return "the reply's quotation marks do not pair up"
    quotations, gaps = _split(text)
    if not quotations:
        return "the reply quotes none of the sources"
    for number in (int(n) for n in _MARKER.findall(text)):
        if not 1 <= number <= len(citations):
            return f"the marker [{number}] points to no citation (there are {len(citations)})"
    for index, quotation in enumerate(quotations):
        found = _source(quotation, citations)
        if isinstance(found, str):
            return found
        if not checker.holds(replace(found, quote=quotation.text)):
            return f"{found.speaker} did not say {_short(quotation.text)} in {found.source_title!r}"
        wrong = _misattributed(index, quotations, gaps, found, citations, card)
        if wrong is not None:
            return wrong
    unquoted = " ".join(gaps)
    quoted_words = sum(len(words(q.text)) for q in quotations)
    if len(words(unquoted)) > max(UNQUOTED_FLOOR, quoted_words):
        return f"{len(words(unquoted))} words are outside quotation marks, more than the {quoted_words} quoted"
    return _unquoted_problem(gaps, citations, card, question, instructions)


def _split(text: str) -> tuple[list[_Quotation], list[str]]:
    """The quotations, and the text around them (markers removed): len(gaps) == len(quotations) + 1."""
    quotations: list[_Quotation] = []
    gaps: list[str] = []
    position = 0
    for match in _QUOTE.finditer(text):
        gaps.append(text[position : match.start()])
        markers = _MARKERS_AFTER.match(text, match.end())
        numbers = [int(n) for n in _MARKER.findall(markers.group(1))] if markers else []
        quotations.append(_Quotation(match.group(1) if match.group(1) is not None else match.group(2), numbers))
        position = markers.end() if markers else match.end()
    gaps.append(text[position:])
    return quotations, [_MARKER.sub("", gap) for gap in gaps]


def _source(quotation: _Quotation, citations: Sequence[Citation]) -> Citation | str:
    """The citation the quotation comes from, or why it comes from none."""
    marked = [citations[n - 1] for n in quotation.numbers if 1 <= n <= len(citations)]
    for citation in marked or citations:
        if within(quotation.text, citation.quote):
            return citation
    if marked:
        numbers = ", ".join(f"[{n}]" for n in quotation.numbers)
        return f"the quotation {_short(quotation.text)} is not in the quote it cites ({numbers})"
    return f"the quotation {_short(quotation.text)} is in none of the quotes given"


def _names(citations: Sequence[Citation], card: AgentCard) -> dict[str, set[str]]:
    """Each way of naming a speaker (full name, or a part of three letters or more) -> who it may be."""
    names: dict[str, set[str]] = {}
    for person in {*(c.speaker for c in citations), *card.speaks_as}:
        for form in {person, *(part for part in person.split() if len(part) >= 3)}:
            names.setdefault(form, set()).add(person.casefold())
    return names


def _misattributed(
    index: int,
    quotations: Sequence[_Quotation],
    gaps: Sequence[str],
    citation: Citation,
    citations: Sequence[Citation],
    card: AgentCard,
) -> str | None:
    """Why quotation `index` is given to someone other than who said it, or None."""
    names = _names(citations, card)
    forms = sorted(names, key=len, reverse=True)
    cue = re.compile("|".join([_FIRST_PERSON, *(rf"\b{re.escape(f)}\b" for f in forms)]))
    lead = _lead(index, quotations, gaps)
    cues = cue.findall(lead)
    if not cues:  # the name may follow: '"...", Tom said.'
        cues = cue.findall(_SENTENCE_END.split(gaps[index + 1])[0])[:1]
    said_by = citation.speaker.casefold()
    quoted = _short(quotations[index].text)
    if not cues:
        return None if citation.own else f"{citation.speaker}'s words {quoted} are given without their name"
    last = cues[-1]
    if last not in names:  # "I": the owner speaking
        return None if citation.own else f"{citation.speaker}'s words {quoted} are given as the owner's own"
    if said_by in names[last]:
        return None
    return f"{citation.speaker}'s words {quoted} are attributed to {last}"


def _lead(index: int, quotations: Sequence[_Quotation], gaps: Sequence[str]) -> str:
    """The text of the sentence before quotation `index`, across earlier quotations in that sentence."""
    lead = ""
    for j in range(index, -1, -1):
        gap = gaps[j]
        ends = list(_SENTENCE_END.finditer(gap))
        if ends:
            return gap[ends[-1].end() :] + lead
        lead = gap + lead
        if j > 0 and quotations[j - 1].text.rstrip().endswith((".", "!", "?")):
            rest = gap.strip()
            if not rest or rest[0].isupper():
                return lead
    return lead


def _unquoted_problem(
    gaps: Sequence[str], citations: Sequence[Citation], card: AgentCard, question: str, instructions: str
) -> str | None:
    """What is wrong with the model's own words (outside quotation marks), or None."""
    beings = "|".join(["human", "person", *(re.escape(name) for name in card.speaks_as)])
    human = rf"{_NOT_AI}|{_BEING}(?:real\s+)?(?:{beings})\b"
    unquoted = " ".join(gaps)
    claim = re.search(human, unquoted, re.IGNORECASE)
    if claim:
        return f"the reply claims to be the person: {claim.group(0)!r}"
    grounded = " ".join([question, *(c.quote for c in citations)])
    for number in _NUMBER.findall(unquoted):
        if number not in grounded:
            return f"the reply says {number!r}, which none of the quotes says"
    # The instructions' own example phrasings ("as I put it") are what a good answer says.
    secrets = [*_QUOTED_SPAN.split(instructions.replace(card.disclosure, " ")), *card.topics]
    for topic in card.avoid:
        secrets += [topic.topic, *topic.examples, topic.reply]
    for gap in gaps:
        leaked = _leaks(gap, secrets)
        if leaked is not None:
            return f"the reply repeats its instructions or the agent card: {leaked!r}"
    found = find_leaks(unquoted, card, allowed=[c.quote for c in citations])
    if found:
        return f"the reply gives away a private part of the agent card ({found[0].kind})"
    return None


def _leaks(text: str, secrets: Iterable[str]) -> str | None:
    """A run of LEAK_WORDS words that `text` shares with one of `secrets`, or None."""
    said = " " + " ".join(words(text)) + " "
    for secret in secrets:
        tokens = words(secret)
        for start in range(len(tokens) - LEAK_WORDS + 1):
            run = " ".join(tokens[start : start + LEAK_WORDS])
            if f" {run} " in said:
                return run
    return None


def _short(quote: str) -> str:
    return repr(quote if len(quote) <= 60 else quote[:57] + "...")
