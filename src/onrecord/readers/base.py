"""The reader contract and the registry of readers."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from typing import Protocol

from onrecord.model import Reading

# Built-in reader modules, most specific first; each defines a module-level `reader`.
DEFAULT_READERS = (
    "onrecord.readers.webvtt",
    "onrecord.readers.subrip",
    "onrecord.readers.sbv",
    "onrecord.readers.youtube_json3",
    "onrecord.readers.whisperx_json",
    "onrecord.readers.whisper_json",
    "onrecord.readers.whisper_tsv",
    "onrecord.readers.diarized_json",
    "onrecord.readers.qmsum_json",
    "onrecord.readers.ami_json",
    "onrecord.readers.tinyrec_json",
    "onrecord.readers.caption_segments",
    "onrecord.readers.rttm",
    "onrecord.readers.named_transcript",
    "onrecord.readers.markdown",
    "onrecord.readers.text_document",
    "onrecord.readers.plain_text",
)


class Reader(Protocol):
    """A format: `sniff` says how sure it is that `text` is this format, `read` parses it.

    `sniff` returns 0.0 (not this format) to 1.0 (certainly this format); it sees the
    decoded text and the file name's suffix (lower case, with the dot, or "").
    `read` raises InputError naming the line or cue when the content is broken.
    """

    name: str
    description: str

    def sniff(self, text: str, suffix: str) -> float: ...

    def read(self, text: str) -> Reading: ...


@cache
def registry() -> dict[str, Reader]:
    """Every available reader by name: the built-ins, then any installed plugin."""
    readers: dict[str, Reader] = {}
    for module_name in DEFAULT_READERS:
        reader = importlib.import_module(module_name).reader
        readers[reader.name] = reader
    for ep in entry_points(group="onrecord.readers"):
        reader = ep.load()
        readers.setdefault(reader.name, reader)
    return readers
