"""Recent text vectors, kept in front of the embedding model (a cachetools LRU behind a lock).

A question is embedded more than once on its way through an agent (the guard screens it,
then the agent searches in the owner's voice and in every voice), and a server is asked
the same questions again. Keeping recent vectors makes each one embedding, and a question
asked again costs none. Passages are embedded past it (they are embedded once, stored).
Many threads use one cache: what a call needs is copied out under the lock, so another
thread's eviction can never take a vector from under it; the model runs outside the lock.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from cachetools import LRUCache

from onrecord.index.embed import EmbeddingModel, checked

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# Texts whose vectors are kept (384 float32 each: 1.5 kB; 4096 of them: 6 MB).
SIZE = 4096


class CachedModel:
    """`model` with its most recently used vectors kept, least recently used dropped first."""

    def __init__(self, model: EmbeddingModel, size: int = SIZE) -> None:
        self.model = model
        self.name = model.name
        self.dimensions = model.dimensions
        self._vectors: LRUCache[str, npt.NDArray[np.float32]] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        import numpy as np

        distinct = list(dict.fromkeys(texts))
        with self._lock:
            found = {text: vector for text in distinct if (vector := self._vectors.get(text)) is not None}
        missing = [text for text in distinct if text not in found]
        if missing:
            # Checked and normalised as passage vectors are (embed.checked): a plugin that forgot
            # to normalise would otherwise tilt every query's scores.
            fresh = checked(self.model, self.model.embed_batch(missing), len(missing))
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._vectors[text] = vector
                    found[text] = vector
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)
