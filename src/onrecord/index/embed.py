"""Index, dense side: the embedding model contract, the registry of models, and batched embedding.

An embedding model is a plugin with one method, `embed_batch`. The built-in model is a
module-level `model` like any plugin's and is listed in `DEFAULT_EMBEDDING_MODELS`; a third
party registers one through the `onrecord.embedding_models` entry point group (see
`registry`). Importing this module loads no model and no numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

from onrecord import plugins
from onrecord.errors import OnrecordError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

DEFAULT_MODEL = "all-MiniLM-L6-v2"

# Built-in model modules; each defines a module-level `model`, cheap until it first embeds.
DEFAULT_EMBEDDING_MODELS = ("onrecord.index.minilm",)

ENTRY_POINT_GROUP = "onrecord.embedding_models"

# Called after each batch with how many texts it embedded (click's ProgressBar.update fits).
Progress = Callable[[int], None]


class EmbeddingModel(Protocol):
    """Turns texts into vectors whose dot product is their cosine similarity.

    `name` identifies the vectors: an index built with one name is never searched with
    another. `embed_batch` returns float32 of shape (len(texts), dimensions), each row of unit
    length, in the order of `texts`; it must accept any text, cutting what is too long.
    Loading weights belongs in the first `embed_batch`, not in the constructor, so that
    listing models stays cheap.
    """

    name: str
    dimensions: int

    def embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]: ...


@cache
def registry() -> dict[str, EmbeddingModel]:
    """Every available embedding model by name: the built-ins, then any installed plugin."""
    return plugins.load(DEFAULT_EMBEDDING_MODELS, "model", ENTRY_POINT_GROUP)


def get_model(name: str = DEFAULT_MODEL) -> EmbeddingModel:
    """The model called `name`, or a ConfigError that lists the ones there are."""
    model: EmbeddingModel = plugins.named(registry(), name, "[embedding] model", "embedding model")
    return model


def embed(
    model: EmbeddingModel, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
) -> npt.NDArray[np.float32]:
    """Embed `texts` in batches; row i of the result is the unit vector of texts[i].

    Texts are batched by length, so that a batch pads its short texts little, and the rows
    are put back in the order given. `progress` hears after each batch.
    """
    import numpy as np

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    vectors = np.empty((len(texts), model.dimensions), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        vectors[rows] = checked(model, model.embed_batch([texts[i] for i in rows]), len(rows))
        if progress is not None:
            progress(len(rows))
    return vectors


def checked(model: EmbeddingModel, batch: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.float32]:
    """The batch, as float32 unit vectors, or an error naming the model that broke the contract."""
    import numpy as np

    batch = np.asarray(batch, dtype=np.float32)
    if batch.shape != (count, model.dimensions):
        raise OnrecordError(
            f"embedding model {model.name} returned shape {batch.shape} for {count} texts, "
            f"expected ({count}, {model.dimensions})"
        )
    # Cosine scores are dot products downstream: a plugin that forgot to normalise would
    # silently favour long vectors, so normalise here (a no-op for models that did).
    norms = np.linalg.norm(batch, axis=1, keepdims=True)
    norms[norms == 0] = 1
    normalised: npt.NDArray[np.float32] = (batch / norms).astype(np.float32, copy=False)
    return normalised
