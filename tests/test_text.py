"""text.clean_text: the one place invalid Unicode is replaced, for every input path."""

from __future__ import annotations

import pytest

from onrecord.text import REPLACEMENT, clean_text, has_surrogates


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("What finish \ud800 do you use?", f"What finish {REPLACEMENT} do you use?"),
        ("caf\udcff", f"caf{REPLACEMENT}"),
        ("\udfff\ud800", REPLACEMENT * 2),
    ],
)
def test_lone_surrogates_become_replacement_characters(given: str, expected: str) -> None:
    assert has_surrogates(given)
    cleaned = clean_text(given)
    assert cleaned == expected
    assert not has_surrogates(cleaned)
    cleaned.encode("utf-8")  # raises if anything unencodable is left


@pytest.mark.parametrize("text", ["", "plain words", "東京 😀 naïve", "\ufffd already replaced"])
def test_valid_text_is_returned_unchanged(text: str) -> None:
    assert clean_text(text) is text
    assert not has_surrogates(text)
