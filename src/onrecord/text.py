"""Text at the edge: what every input path (CLI arguments, question files, HTTP bodies, file
contents) does to text before the rest of onrecord sees it.

A Python `str` can hold lone surrogates (U+D800-U+DFFF): the CLI gets them for bytes that are
not UTF-8 (`$(printf '\\xff')` arrives as U+DCFF), JSON gets them from an escape such as
"\\ud800". They are not characters, cannot be encoded as UTF-8, and make the tokenizer, SQLite
and the JSON encoder fail. `clean_text` replaces each with U+FFFD, the replacement character,
so that the rest of the text is still read.
"""

from __future__ import annotations

import re

__all__ = ["REPLACEMENT", "clean_text", "has_surrogates"]

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether `text` holds a lone surrogate (a code point no UTF-8 encoder accepts)."""
    return _SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD; any other text is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(REPLACEMENT, text)
    return text
