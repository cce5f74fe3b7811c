"""Boundaries, first check: attempts to subvert the agent, and questions about what it is.

`attack` names the tactic of a question that tries to change the agent's instructions,
reveal its card or configuration, make it speak as the human, or put given words in its
mouth; `asks_what_it_is` spots a question the card's disclosure answers. Both are patterns
over the question's wording: these tactics are phrased in a small, well-known vocabulary,
and a pattern costs microseconds on a 12,000-character pasted jailbreak.
"""

from __future__ import annotations

import re
from typing import Literal

Tactic = Literal["override", "extraction", "impersonation", "script"]

_FLAGS = re.IGNORECASE | re.DOTALL

# Words that stand for the agent's instructions, whatever the attacker calls them.
_RULE_WORDS = (
    r"instructions?|rules|directions|directives|guidelines|prompts?|programming|restrictions|"
    r"constraints|card|polic(?:y|ies)|filters|guardrails|limitations|training|system message"
)

_OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass|drop|abandon|skip|discard|set aside|stop following)\b"
    rf"[^.!?\n]{{0,60}}?\b(?:{_RULE_WORDS}|everything|all (?:of )?(?:the|that)|the above|what you were told)\b"
    r"|\b(?:developer|god|jailbreak|unrestricted|unfiltered|dan) mode\b"
    r"|\bdo anything now\b|\bjailbr[eo]ak"
    r"|\b(?:no longer|don'?t|do not|never) (?:have to |need to )?(?:follow|obey|bound by|apply|respect)\b"
    r"[^.!?\n]{0,40}\b(?:rules|instructions|guidelines|polic(?:y|ies)|restrictions|card)\b"
    rf"|\b(?:{_RULE_WORDS}) (?:no longer|do not|don'?t) apply\b"
    r"|\bwithout (?:any )?(?:rules|restrictions|filters|limits|censorship|guidelines)\b"
    r"|\b(?:from now on|for the rest of this conversation|starting now),? you (?:are|will|must|shall|have)\b"
    r"|\byou are (?:now|no longer) (?:an? |the |in |my |called |named |free|going to|unrestricted|unfiltered|bound)"
    r"|\b(?:with|have|has) no (?:rules|restrictions|filters|limits|guidelines|censorship|ethics|morals)\b"
    r"|\b(?:role-?play|play the role|stay in character|in character as)\b"
    r"|\bnew (?:instructions|rules|task|persona|role)\s*:"
    r"|\b(?:stop everything|new instructions follow)\b",
    _FLAGS,
)

_EXTRACTION = re.compile(
    r"\b(?:system|initial|hidden|original|secret|developer|pre-?)\s*(?:prompt|message|instructions?)\b"
    r"|\byour (?:own )?(?:instructions|configuration|config|settings|card|agent card|guidelines|prompt|"
    r"api[ -]?keys?|secrets?|credentials|passwords?|access tokens?|examples|credit card (?:details|number)|"
    r"passport(?: number)?|social security number|bank account(?: details| number)?)\b"
    r"|\b(?:previous|above|prior|earlier|preceding|first) (?:instructions|directions|prompt|message|text)\b"
    r"|\b(?:topics|subjects|things|questions)\b[^.!?\n]{0,40}\b(?:avoid|off[- ]limits|not allowed|forbidden|"
    r"banned|steer clear|stay away|won'?t (?:talk|discuss|answer)|can'?t (?:talk|discuss|answer)|refuse)\b"
    r"|\b(?:off[- ]limits|forbidden topics|avoid list|blocked topics)\b"
    r"|\bwhat (?:were|have) you (?:been )?(?:told|instructed|programmed|configured|trained) to\b"
    r"|\b(?:api[ -]?key|onrecord\.toml)\b"
    r"|\bhow (?:were|are) you (?:configured|set up|instructed|programmed|prompted)\b",
    _FLAGS,
)

# Being told to be, or to claim to be, the human the agent speaks for.
_IMPERSONATION = re.compile(
    r"\b(?:never|don'?t|do not|stop|without) (?:ever )?(?:admit|admitting|say|saying|tell|telling|reveal|revealing|"
    r"mention|mentioning|disclose|disclosing|acknowledge|acknowledging|break|refer to yourself as|call yourself|"
    r"describe yourself as|identify as|let on)\b[^.!?\n]{0,40}"
    r"\b(?:ai|a\.i\.|bot|robot|chatbot|machine|language model|program|assistant|character)\b"
    r"|\b(?:pretend|claim|insist|act|say|tell (?:me|them|people|everyone)|convince \w+)\b[^.!?\n]{0,30}"
    r"\b(?:you are|you're|to be|that you are|that you're)\b[^.!?\n]{0,25}"
    r"\b(?:real|human|a person|the person|himself|herself|the actual|really him|really her|not an? (?:ai|bot))\b"
    r"|\b(?:you are|you're) (?:the )?real\b[^.!?\n]{0,40}\b(?:and|so|now)\b",
    _FLAGS,
)

# Being handed words to say: the owner never said them.
_BEGIN = r"(?:^|[.!?\n]\s*|\b(?:please|just|now|can you|could you|will you|i want you to)\s+)"
_SCRIPT = re.compile(
    rf"{_BEGIN}(?:say|repeat|print|output|declare|state|announce)\b[^.!?\n]{{0,50}}?"
    r"(?:\bafter me\b|\bthe following\b|\bexactly\b|\bverbatim\b|\bword for word\b|\bin your own voice\b"
    r"|\bas (?:yourself|if you said it)\b|[\"“'‘]\s*\S|:\s*\S|\bthat (?:you|meta|i|we|he|she|they|it)\b)"
    rf"|{_BEGIN}(?:write|reply|respond|answer|end your (?:answer|reply) with)\b[^.!?\n]{{0,50}}?"
    r"(?:\bafter me\b|\bthe following words\b|\bverbatim\b|\bword for word\b|\bin your own voice\b)"
    r"|\bput (?:these|the following|my) words in\b|\bquote yourself saying\b",
    _FLAGS,
)

_WHAT_ARE_YOU = re.compile(
    r"\bare (?:you|u) (?:really |actually |truly |even |just |still |a real or )?(?:a |an |the )?(?:real|human|person|"
    r"bot|robot|chatbot|ai|a\.i\.|machine|program|computer|alive|sentient|conscious|him|her|an? (?:actual"
    r"|live) person)\b"
    r"|\b(?:am i|are we) (?:really |actually |now |even )?(?:talking|speaking|chatting|texting|writing) (?:to|with)\b"
    r"|\bis (?:this|that|it) (?:really|actually|truly|the real) (?:you|him|her)\b"
    r"|\bis (?:this|it) (?:a |an )?(?:bot|robot|ai|machine|human|real person)\b"
    r"|\b(?:who|what) (?:are|r) (?:you|u)(?: really| actually)?\s*(?:\?|$)"
    r"|\bwho am i (?:talking|speaking|chatting) (?:to|with)\b"
    # Treating the agent as someone who shares a past or a relationship with the asker.
    r"|\b(?:do|can|will) you (?:still )?remember (?:me|when i|what i|our|the (?:\w+ )?(?:story|conversation|chat) i)\b"
    r"|\b(?:recall|remember)\b[^.!?\n]{0,40}\b(?:i (?:told|narrated|said|shared|gave|sent|showed)(?: to| with)? you|"
    r"our (?:last |previous |earlier )?(?:conversation|chat|talk))\b"
    r"|\b(?:do you love me|are you my friend|will you be my (?:friend|partner)|can we meet in person)\b"
    r"|\b(?:forgive|absolve|bless) me\b|\byour (?:mercy|forgiveness|absolution)\b",
    _FLAGS,
)


def attack(question: str) -> Tactic | None:
    """The tactic of a question that tries to subvert the agent, or None."""
    if _IMPERSONATION.search(question):
        return "impersonation"
    if _OVERRIDE.search(question):
        return "override"
    if _EXTRACTION.search(question):
        return "extraction"
    if _SCRIPT.search(question):
        return "script"
    return None


def asks_what_it_is(question: str) -> bool:
    """True for a question the disclosure answers: is this a person, a bot, the real owner."""
    return _WHAT_ARE_YOU.search(question) is not None
