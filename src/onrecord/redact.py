"""Redaction: email addresses and phone numbers taken out of a question before it is logged."""

from __future__ import annotations

import re

EMAIL = "[email]"
PHONE = "[phone]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A run of digits with the separators people write phone numbers with.
_NUMBER = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().\-/]{5,}\d(?!\w)")
# Runs that look like numbers but are dates, or years side by side ("1999-2005").
_NOT_A_PHONE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|(?:1[89]|20)\d\d(?:\s*[-/–]\s*(?:1[89]|20)\d\d)?"
)
# Phone numbers have 7 to 15 digits (E.164 allows 15).
_DIGITS = range(7, 16)


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if digits not in _DIGITS or _NOT_A_PHONE.fullmatch(text.strip()):
        return text
    return PHONE


def redact(text: str) -> str:
    """`text` with every email address and phone number replaced by a placeholder."""
    return _NUMBER.sub(_phone, _EMAIL.sub(EMAIL, text))
