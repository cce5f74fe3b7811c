"""Where a workspace keeps its sources: small storage contracts and their backends."""

from onrecord.store.protocol import (
    CitedMoment,
    LoggedQuestion,
    PassageStore,
    QuestionLog,
    Scope,
    SourceStore,
    SourceSummary,
    Store,
    VectorStore,
)
from onrecord.store.sqlite import SQLiteStore

__all__ = [
    "CitedMoment",
    "LoggedQuestion",
    "PassageStore",
    "QuestionLog",
    "SQLiteStore",
    "Scope",
    "SourceStore",
    "SourceSummary",
    "Store",
    "VectorStore",
]
