"""What one sentence of unlabelled speech says about who speaks it, for `voices`.

In a conversation between a host and guests the words carry the turn-taking: a question
to the other person ("How do you think about...?") hands the floor over, an answer opens
with "Yeah", "Well" or "I mean", a backchannel ("Cool.", "Go for it.") is the other
voice cutting in, the host addresses the guest ("you talked about", "I'm curious") and
talks about the show and its audience ("welcome to the show", "our listeners"), and a
sentence cut off ("--") or a laugh is where someone else came in. Each sign is a regular
expression over the lower-cased sentence, so the whole step stays linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_QUESTION = re.compile(r"\?[\"'”’)\]]*$")
# Words that open an answer or a reaction rather than carry on a thought.
_OPENER = re.compile(
    r"^(?:yeah|yes|yep|yup|no|nope|well|sure|right|oh|ah|absolutely|exactly|totally|definitely|"
    r"gosh|wow|okay|ok|hmm|i mean|great question|good question|that's a great|that's a good|"
    r"so i think|i think so|i agree|of course|thank you|thanks)\b"
)
# Sentences that are nothing but a reaction: whole-sentence phrases, or a few tokens of these.
_BACKCHANNEL_PHRASES = frozenset(
    (
        "go for it",
        "let's do it",
        "let's go",
        "i agree",
        "of course",
        "for sure",
        "that's right",
        "that's true",
        "that's fair",
        "that's awesome",
        "that's amazing",
        "that's great",
        "that's cool",
        "that's interesting",
        "that makes sense",
        "makes sense",
        "me too",
        "thank you",
        "thanks",
        "good to see you",
        "nice to meet you",
        "good to meet you",
        "thanks for having me",
        "thank you for having me",
        "happy to be here",
        "glad to be here",
        "great to be here",
        "i know",
        "i see",
        "got it",
        "fair enough",
        "you bet",
    )
)
_ACK_WORDS = (
    "yeah yes yep yup yah mm mhm mm-hmm uh-huh hmm right exactly totally sure cool awesome amazing "
    "great nice okay ok wow oh ah true definitely absolutely indeed perfect love it agreed good "
    "interesting fascinating no all so"
)
_ACK = frozenset(_ACK_WORDS.split())
# The host speaking to the guest: about the guest's views, past and plans.
_ADDRESS = re.compile(
    r"\byou(?:'re|’re|'ve|’ve)?\s+(?:think|thought|feel|felt|see|imagine|talked|mentioned|said|say|"
    r"described|quoted|wrote|built|started|decided|believe|mean|want|wanted|worry|expect|"
    r"personally|yourself|guys)\b|"
    r"\b(?:do|did|does|would|could|can|will|have|are|were|should)\s+you\b|"
    r"\byour\s+(?:team|company|view|views|take|mind|kids|career|work|book|show|vision|"
    r"thinking|perspective|experience|background|role|story|answer|field|life)\b"
)
_ASK = re.compile(
    r"\bi(?:'d|’d| would) love\b|\bi'm curious\b|\bi’m curious\b|\bi was wondering\b|\bi wonder\b|"
    r"\bmy (?:first |next |last )?question\b|\bi want(?:ed)? to ask\b|\btell (?:me|us)\b|"
    r"\bwelcome (?:to|back)\b|\bthanks for (?:doing|coming|joining|being)\b"
)
# Speech that builds a long answer: fillers and hedges of spontaneous explanation.
_MONOLOGUE = re.compile(r"\b(?:um|uh|you know|i mean|kind of|sort of|basically|i think that)\b")
_WE = re.compile(r"\b(?:we|we're|we've|our|us)\b")
# The host speaking about the show and to its audience rather than to the guest; the regular
# expression runs only on sentences that hold one of _SHOW_HINTS.
_SHOW_HINTS = (
    "episode",
    "show",
    "podcast",
    "series",
    "audience",
    "listen",
    "viewer",
    "subscri",
    "channel",
    "join",
    "guest",
)
_SHOW = re.compile(
    r"\b(?:episode|show|podcast|series|audience|listeners|viewers|subscribe|channel|joining us|joined by|"
    r"our guests?|today's guests?)\b"
)
# A sentence broken off ("and then --", "so what I..."): someone else came in.
_CUT = re.compile(r"(?:--|—|–|\s-|\.\.\.|…)[\"'”’)\]]*$")
# Only a sound ("[laughter]", "(applause)"): nobody's words, often where the voice changes.
_SOUND = re.compile(r"^(?:\[[^\]]*\]|\([^)]*\)|♪+|\s)+$")


@dataclass(slots=True)
class Signs:
    """The turn-taking signs of one sentence."""

    words: int
    question: bool
    opener: bool
    backchannel: bool
    # A whole reply phrase ("Go for it.", "Thanks for having me."), not a bare "Yeah": almost
    # always the other voice, and the first voice goes on after it.
    response: bool
    address: int
    ask: bool
    monologue: int
    we: int
    show: bool
    cut: bool
    sound: bool
    # The sentence's words, lower case: what adaptation to each voice's habits counts.
    tokens: list[str]


def read(sentence: str) -> Signs:
    """The signs of `sentence` (verbatim text of one sentence)."""
    lower = sentence.lower().replace("’", "'").strip()
    words = _WORD.findall(lower)
    phrase = " ".join(words)
    response = phrase in _BACKCHANNEL_PHRASES
    backchannel = bool(words) and (response or (len(words) <= 4 and all(word in _ACK for word in words)))
    return Signs(
        words=len(words),
        question=bool(_QUESTION.search(lower)),
        opener=bool(_OPENER.match(phrase)),
        backchannel=backchannel,
        response=response,
        address=len(_ADDRESS.findall(lower)),
        ask=bool(_ASK.search(lower)),
        monologue=len(_MONOLOGUE.findall(lower)),
        we=len(_WE.findall(lower)),
        show=any(hint in lower for hint in _SHOW_HINTS) and _SHOW.search(lower) is not None,
        # Only the end can be cut off, and only a bracket or a note can open a sound.
        cut=_CUT.search(lower[-12:]) is not None,
        sound=lower[:1] in ("[", "(", "♪") and _SOUND.match(lower) is not None,
        tokens=words,
    )
