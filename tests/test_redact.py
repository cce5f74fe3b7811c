"""Redaction of what a question log must not keep."""

from __future__ import annotations

import pytest

from onrecord.redact import EMAIL, PHONE, redact


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("write to jo.doe+bees@mail.example.co.uk today", "jo.doe+bees@mail.example.co.uk"),
        ("Ana@Example.ORG asked", "Ana@Example.ORG"),
    ],
)
def test_emails_are_redacted(text: str, gone: str) -> None:
    out = redact(text)
    assert gone not in out and EMAIL in out


@pytest.mark.parametrize(
    "number", ["+1 (555) 123-4567", "555.123.4567", "0612345678", "+44 20 7946 0958", "020 7946 0958", "+33612345678"]
)
def test_phone_numbers_are_redacted(number: str) -> None:
    out = redact(f"call me on {number} after six")
    assert out == f"call me on {PHONE} after six"


@pytest.mark.parametrize(
    "text",
    [
        "What happened on 2024-05-01?",
        "Between 1999-2005 and 1999 - 2005 you kept bees",
        "Is 40 hives too many for 2 people in 2020?",
        "Born 12/05/1990, right?",
        "Did you sell 1,200 jars?",
    ],
)
def test_dates_years_and_counts_stay(text: str) -> None:
    assert redact(text) == text
