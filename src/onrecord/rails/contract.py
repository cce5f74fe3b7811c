"""Rails, the plugin contract: a boundary model judges questions, and the registry of models.

A boundary model is a plugin with one method, `judge_batch`, as an embedding model has
`embed_batch`. The bundled classifier is a module-level `model` listed in
`DEFAULT_BOUNDARY_MODELS`; a third party registers one through the `onrecord.boundary_models`
entry point group and names it in onrecord.toml (`[rails] model`). Importing this module
loads no model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from onrecord import plugins
from onrecord.rails.head import LABELS

DEFAULT_MODEL = "onrecord-boundaries"

# Built-in boundary model modules; each defines a module-level `model`, cheap until it first judges.
DEFAULT_BOUNDARY_MODELS = ("onrecord.rails.bundled",)

ENTRY_POINT_GROUP = "onrecord.boundary_models"


@dataclass(frozen=True, slots=True)
class Judgement:
    """What a question is, for the rails: a label of LABELS, how sure, and who said so.

    `safe`: it may go on to the archive; `harmful` and `self_harm`: a request for dangerous
    help (the second about hurting oneself); `attack`: an attempt to make the agent drop its
    card, reveal it, speak as the human or say given words; `identity`: a question about
    what the agent is, which its disclosure answers.
    """

    label: str
    confidence: float
    by: str

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown boundary label {self.label!r} (labels: {', '.join(LABELS)})")


class BoundaryModel(Protocol):
    """Judges questions. `judge_batch` returns one Judgement per text, in order; it must accept
    any text (any length, language or script) and never wave one through unjudged. Loading
    weights belongs in the first call, not in the constructor."""

    name: str

    def judge_batch(self, texts: list[str]) -> list[Judgement]: ...


@cache
def registry() -> dict[str, BoundaryModel]:
    """Every available boundary model by name: the built-ins, then any installed plugin."""
    return plugins.load(DEFAULT_BOUNDARY_MODELS, "model", ENTRY_POINT_GROUP)


def get_model(name: str = DEFAULT_MODEL) -> BoundaryModel:
    """The boundary model called `name`, or a ConfigError that lists the ones there are."""
    model: BoundaryModel = plugins.named(registry(), name, "[rails] model", "boundary model")
    return model
