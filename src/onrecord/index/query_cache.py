"""Recent query vectors, kept in front of the embedding model.

A question is embedded more than once on its way through an agent (the guard screens it,
then the agent searches in the owner's voice and in every voice), and a server is asked
the same questions again. Keeping recent vectors makes each one embedding, and a question
asked again costs none. Passages are embedded past it (they are embedded once, stored).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

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
        self.size = size
        self._vectors: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._lock = threading.Lock()

    def embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        import numpy as np

        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        # Checked and normalised as passage vectors are (embed.checked): a plugin that forgot
        # to normalise would otherwise tilt every query's scores.
        fresh = (
            dict(zip(missing, checked(self.model, self.model.embed_batch(missing), len(missing)), strict=True))
            if missing
            else {}
        )
        with self._lock:
            rows = []
            for text in texts:
                vector = fresh.get(text)
                if vector is None:
                    vector = self._vectors[text]
                    self._vectors.move_to_end(text)
                else:
                    self._vectors[text] = vector
                rows.append(vector)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        if not rows:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack(rows).astype(np.float32, copy=False)
