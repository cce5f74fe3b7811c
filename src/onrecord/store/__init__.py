"""Where a workspace keeps its sources: a storage contract and its backends."""

from onrecord.store.protocol import CitedMoment, LoggedQuestion, Scope, SourceSummary, Store
from onrecord.store.sqlite import SQLiteStore

__all__ = ["CitedMoment", "LoggedQuestion", "SQLiteStore", "Scope", "SourceSummary", "Store"]
