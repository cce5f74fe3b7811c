"""onrecord: turn what someone said on the record into a cited, bounded AI stand-in."""

from onrecord.errors import ConfigError, InputError, NotFoundError, OnrecordError, StoreError
from onrecord.model import Chapter, Cue, Reading, Sentence, Source, Speaker, Transcript, Turn, Word
from onrecord.workspace import Workspace

__all__ = [
    "Chapter",
    "ConfigError",
    "Cue",
    "InputError",
    "NotFoundError",
    "OnrecordError",
    "Reading",
    "Sentence",
    "Source",
    "Speaker",
    "StoreError",
    "Transcript",
    "Turn",
    "Word",
    "Workspace",
]
