"""Picks the reader for a file from its content (the suffix only breaks ties)."""

from __future__ import annotations

from pathlib import Path

from onrecord.config import InputSettings
from onrecord.errors import InputError, UnknownFormatError
from onrecord.model import Reading
from onrecord.readers import files, jsondoc
from onrecord.readers.base import Reader, registry

# A reader must be at least this sure before we trust it with a file.
MIN_CONFIDENCE = 0.3


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), or UTF-16 with a BOM; never binary."""
    if not data.strip():
        raise InputError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-16 text (byte {exc.start})") from None
    elif b"\x00" in data[:8192]:
        raise InputError("this is a binary file, not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(f"not UTF-8 text (byte {exc.start})", where=f"line {line}") from None
    # Windows and old Mac line ends read as one: a line holding only "\r" is not blank.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect(text: str, suffix: str = "") -> Reader:
    """The reader most sure of `text`; UnknownFormatError when none is sure enough."""
    scored = sorted(
        ((reader.sniff(text, suffix), reader.name, reader) for reader in registry().values()),
        key=lambda item: (-item[0], item[1]),
    )
    best_score, _, best = scored[0]
    if best_score < MIN_CONFIDENCE:
        raise _unknown(text)
    return best


def _unknown(text: str) -> InputError:
    """Why no reader took `text`: broken JSON is an error in the file, the rest an unknown format."""
    head = text.lstrip("\ufeff \t\n")
    if jsondoc.looks_like_json(head):
        doc = jsondoc.load(text)  # raises when the JSON itself is broken, naming the line
        if isinstance(doc, dict):
            keys = ", ".join(list(map(str, doc))[:6]) or "none"
            shape = f"an object with keys {keys}"
        else:
            shape = f"a list of {len(doc)} items" if isinstance(doc, list) else f"a {type(doc).__name__}"
        return UnknownFormatError(f"unknown format: JSON ({shape}) that no reader recognises; try --format")
    if head.startswith("<"):
        return UnknownFormatError("unknown format: XML or HTML markup, not a transcript format onrecord reads")
    return UnknownFormatError("unknown format: not a transcript (too few words: numbers, a table or code?)")


def read_path(path: Path, format: str | None = None, limits: InputSettings | None = None) -> Reading:
    """Read one file into a `Reading`; every error names `path`."""
    return read_bytes(files.load(path, limits), path, format, limits)


def read_bytes(data: bytes, path: Path, format: str | None = None, limits: InputSettings | None = None) -> Reading:
    """Read the content of `path` into a `Reading`, within `limits`; every error names `path`."""
    limits = limits or InputSettings()
    try:
        text = decode(data)
        if not jsondoc.looks_like_json(text.lstrip("\ufeff")):
            files.check_lines(text, limits)
        if format is not None:
            readers = registry()
            if format not in readers:
                raise InputError(f"unknown format {format!r} (known: {', '.join(sorted(readers))})")
            reader = readers[format]
        else:
            reader = detect(text, path.suffix.lower())
        reading = reader.read(text)
        files.check_words(reading, limits)
        return reading
    except InputError as exc:
        raise exc.located(path) from None
    finally:
        jsondoc.forget()
