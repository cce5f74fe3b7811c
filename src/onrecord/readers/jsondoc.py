"""The one parse of a JSON file that every JSON reader's `sniff` and `read` share.

Detection asks each reader how sure it is; for JSON that means looking at the parsed
structure (Whisper puts its long `text` before `segments`, so the head of the file says
little). The last parse is cached so a file is parsed once, not once per reader.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any

from onrecord.errors import InputError
from onrecord.readers.timecode import MAX_SECONDS
from onrecord.text import clean_text

# JSON starts with an object, or with a list of values; "[Music] ..." and "[00:01:02] Ana: ..." are text.
_JSON_START = re.compile(r"\s*(?:\{|\[\s*(?:[\[{\"\]]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*[,\]]|true|false|null))")


def looks_like_json(text: str) -> bool:
    return _JSON_START.match(text[:200]) is not None


# A \uD800-\uDFFF escape: JSON may spell a lone surrogate, which no store can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@lru_cache(maxsize=1)
def _parse(text: str) -> Any:
    try:
        doc = json.loads(text)
        return _cleaned(doc) if _SURROGATE_ESCAPE.search(text) else doc
    except json.JSONDecodeError as exc:
        return exc
    except RecursionError:
        return json.JSONDecodeError("nested too deeply", text, 0)


def _cleaned(value: Any) -> Any:
    """`value` with every string (keys too) passed through text.clean_text."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): _cleaned(item) for key, item in value.items()}
    return value


def try_load(text: str) -> Any:
    """The parsed document, or None when `text` is not JSON."""
    if not looks_like_json(text):
        return None
    doc = _parse(text)
    return None if isinstance(doc, json.JSONDecodeError) else doc


def load(text: str) -> Any:
    """The parsed document; InputError naming the line and column when it is not valid JSON."""
    doc = _parse(text)
    if isinstance(doc, json.JSONDecodeError):
        # An error on the last line (an unclosed string or list) is what a truncated file gives.
        last_line = text.rstrip().count("\n") + 1
        hint = " (the file looks cut short)" if doc.lineno >= last_line and last_line > 1 else ""
        raise InputError(f"invalid JSON: {doc.msg}{hint}", where=f"line {doc.lineno}, column {doc.colno}")
    return doc


def forget() -> None:
    """Drop the cached parse once a file has been read."""
    _parse.cache_clear()


def records(doc: Any, *keys: str) -> list[dict[str, Any]] | None:
    """`doc` itself when it is a non-empty list of objects, else the first such list under one of `keys`."""
    candidates = [doc] if isinstance(doc, list) else [doc.get(k) for k in keys] if isinstance(doc, dict) else []
    for value in candidates:
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value[:50]):
            return value
    return None


def has_keys(items: list[dict[str, Any]], *keys: str) -> bool:
    """Whether the first items (a sample) all carry every key."""
    sample = items[:20]
    return all(all(k in item for k in keys) for item in sample)


def text_field(item: dict[str, Any], key: str, where: str) -> str:
    """A required string field."""
    value = item.get(key)
    if not isinstance(value, str):
        raise InputError(f"{key!r} must be a string, got {_kind(value)}", where=where)
    return value


def optional_text(item: dict[str, Any], key: str, where: str) -> str | None:
    """An optional string field (empty counts as missing); numbers are written out (speaker 1)."""
    value = item.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError(f"{key!r} must be a string, got {_kind(value)}", where=where)
    return value.strip() or None


def seconds(item: dict[str, Any], key: str, where: str, *, per_second: int = 1) -> float | None:
    """An optional number field, a time: `per_second` units make a second (1000 for
    milliseconds); InputError unless it is finite and between 0 and timecode.MAX_SECONDS."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InputError(f"{key!r} must be a number, got {item[key][:40]!r}", where=where) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{key!r} must be a number, got {_kind(value)}", where=where)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{key!r} must be a number, got {value}", where=where)
    if value < 0:
        raise InputError(f"{key!r} must not be negative ({_number(value)})", where=where)
    if value > MAX_SECONDS * per_second:
        unit = "s" if per_second == 1 else "ms"
        most = f"{MAX_SECONDS * per_second:,} {unit}"
        raise InputError(
            f"{key!r} is out of range ({_number(value)} {unit}); times must be at most {most}",
            where=where,
        )
    return float(value)


def span(item: dict[str, Any], start_key: str, end_key: str, where: str) -> tuple[float | None, float | None]:
    """Start and end of one record; InputError when it ends before it starts."""
    start = seconds(item, start_key, where)
    end = seconds(item, end_key, where)
    if start is not None and end is not None and end < start:
        raise InputError(f"ends ({end:g} s) before it starts ({start:g} s)", where=where)
    return start, end


def _number(value: float) -> str:
    """A number for a message; a huge int (which float() would overflow) is cut short."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}... ({len(text)} digits)"


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
