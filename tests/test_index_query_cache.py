"""The serving cache of text vectors gives what the model gives, and keeps only the recent."""

from __future__ import annotations

import numpy as np

from onrecord.index.embed import get_model
from onrecord.index.query_cache import CachedModel


def test_same_vectors_as_the_model_in_order() -> None:
    model = get_model()
    cached = CachedModel(model, size=2)
    texts = ["How do bees stay warm?", "Smoke calms the guards.", "How do bees stay warm?"]
    expected = model.embed_batch(texts)
    got = cached.embed_batch(texts)
    assert got.dtype == np.float32 and got.shape == expected.shape
    assert np.allclose(got, expected, atol=1e-5)
    # Asked again, partly from the cache, partly new: still the model's vectors.
    again = cached.embed_batch(["Smoke calms the guards.", "Varroa mites in autumn"])
    assert np.allclose(again, model.embed_batch(["Smoke calms the guards.", "Varroa mites in autumn"]), atol=1e-5)
    assert cached.embed_batch([]).shape == (0, model.dimensions)


def test_least_recently_used_goes_first() -> None:
    cached = CachedModel(get_model(), size=2)
    cached.embed_batch(["one"])
    cached.embed_batch(["two"])
    cached.embed_batch(["one"])  # "one" is now the more recent
    cached.embed_batch(["three"])
    assert list(cached._vectors) == ["one", "three"]


class _Unnormalised:
    """A plugin model that forgets to normalise, and one that returns the wrong shape."""

    name = "plugin"
    dimensions = 3

    def __init__(self, shape_ok: bool = True) -> None:
        self.shape_ok = shape_ok

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        rows = len(texts) if self.shape_ok else len(texts) + 1
        return np.full((rows, 3), 2.0, dtype=np.float32)


def test_query_vectors_are_checked_and_normalised_like_passage_vectors() -> None:
    import pytest

    from onrecord.errors import OnrecordError

    got = CachedModel(_Unnormalised()).embed_batch(["a", "b"])
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0)
    with pytest.raises(OnrecordError, match="plugin returned shape"):
        CachedModel(_Unnormalised(shape_ok=False)).embed_batch(["a"])
