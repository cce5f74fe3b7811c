"""onrecord: turn what someone said on the record into a cited, bounded AI stand-in."""

from onrecord.errors import ConfigError, ConflictError, InputError, NotFoundError, OnrecordError, StoreError
from onrecord.model import Chapter, Cue, Edit, Reading, Sentence, Source, Speaker, Transcript, Turn, Word
from onrecord.workspace import Workspace

__all__ = [
    "Chapter",
    "ConfigError",
    "ConflictError",
    "Cue",
    "Edit",
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
