"""The storage contracts as tests: every Store backend must pass all of these suites.

A backend's test module subclasses each suite and provides two fixtures: `store`, an empty
store, and `other`, a second handle on the same data (another connection, as another
process would have).
"""

from tests.store_conformance.passages import PassageStoreConformance
from tests.store_conformance.questions import QuestionLogConformance
from tests.store_conformance.sources import SourceStoreConformance, make_source
from tests.store_conformance.store import StoreConformance
from tests.store_conformance.vectors import VectorStoreConformance

__all__ = [
    "PassageStoreConformance",
    "QuestionLogConformance",
    "SourceStoreConformance",
    "StoreConformance",
    "VectorStoreConformance",
    "make_source",
]
