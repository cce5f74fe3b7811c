"""Rails, choosing the boundary model: the one onrecord.toml names, behind a moderation server if one is set."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from onrecord.config import RailsSettings
from onrecord.rails.bundled import BoundaryClassifier
from onrecord.rails.contract import BoundaryModel, get_model

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]


def boundary_model(settings: RailsSettings, embed: Embed | None = None, encoder: str = "") -> BoundaryModel:
    """The rails' model for these settings. `embed` (an embedding model named `encoder`, such
    as a searcher's cached one) is shared with the bundled classifier when it is the encoder
    the classifier was trained on, so a question is embedded once."""
    model = get_model(settings.model)
    if isinstance(model, BoundaryClassifier) and embed is not None and encoder == model.encoder:
        model = model.with_encoder(embed)
    if settings.moderation is None:
        return model
    from onrecord.rails.moderation import ModerationModel

    return ModerationModel(settings.moderation, model)
