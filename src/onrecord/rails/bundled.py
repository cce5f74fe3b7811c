"""Rails, the bundled boundary model: a calibrated classifier over the bundled encoder's vectors.

The head (head.py) was trained from public safety and attack prompts and prompts written
for onrecord (training/rails/README.md says which, under which licences, and the one
command that trains it again); its arrays and card ship beside this module. A question is
embedded by all-MiniLM-L6-v2 (index/minilm.py, the encoder the head was trained on), in
windows when it is long, so an instruction hidden at the end of a pasted page is read too.
No torch, no network; nothing loads until the first `judge_batch`.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Sequence
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from onrecord.errors import OnrecordError
from onrecord.rails.contract import Judgement
from onrecord.rails.head import LABELS, UNSAFE, Head, combine, windows

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NAME = "onrecord-boundaries"
ARRAYS = "boundaries.npz"
CARD = "boundaries.json"

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]
_LETTER = re.compile(r"[^\W_]")


class BoundaryClassifier:
    """The bundled classifier. `embed` replaces the encoder (the agent passes its cached copy
    of the same model, so a question is embedded once for the rails and the search)."""

    name = NAME

    def __init__(self, embed: Embed | None = None) -> None:
        self._embed = embed
        self._lock = threading.Lock()
        self._head: Head | None = None
        self._card: dict[str, Any] = {}

    @property
    def encoder(self) -> str:
        """The name of the embedding model whose vectors the head reads."""
        return str(self.card()["encoder"])

    def with_encoder(self, embed: Embed) -> BoundaryClassifier:
        """The same classifier reading vectors from `embed` (which must be the same encoder)."""
        return BoundaryClassifier(embed)

    def card(self) -> dict[str, Any]:
        self._load()
        return self._card

    def judge_batch(self, texts: list[str]) -> list[Judgement]:
        # A text without a letter or a digit in any script ("¿?", "...") gives the head no
        # features and the encoder only noise: it asks for nothing, so it is safe.
        readable = [i for i, text in enumerate(texts) if _LETTER.search(text)]
        judged = [Judgement("safe", 1.0, self.name) for _ in texts]
        for i, row in zip(readable, self.probabilities([texts[i] for i in readable]), strict=True):
            judged[i] = self._judgement(row)
        return judged

    def probabilities(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One row of label probabilities (head.LABELS order) per text."""
        import numpy as np

        head = self._load()
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        parts = [windows(text) for text in texts]
        texts = [window for part in parts for window in part]
        rows = head.probabilities(self._encode(texts), texts)
        out, start = [], 0
        for part in parts:
            out.append(combine(rows[start : start + len(part)]))
            start += len(part)
        return np.stack(out)

    def _encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        if self._embed is not None:
            return self._embed(texts)
        from onrecord.index.minilm import model

        return model.embed_batch(texts)

    def _judgement(self, row: npt.NDArray[np.float32]) -> Judgement:
        unsafe = {label: float(row[LABELS.index(label)]) for label in UNSAFE}
        if sum(unsafe.values()) >= self._card["refuse_at"]:
            label = max(unsafe, key=unsafe.__getitem__)
            return Judgement(label, sum(unsafe.values()), self.name)
        # An attack's probability is often shared with "identity" or "safe" ("be the real
        # person"): it has a bar of its own, below the one the look-alikes of harm set.
        if unsafe["attack"] >= self._card.get("attack_at", 1.0):
            return Judgement("attack", unsafe["attack"], self.name)
        identity = float(row[LABELS.index("identity")])
        if identity >= self._card["identity_at"]:
            return Judgement("identity", identity, self.name)
        return Judgement("safe", float(row[LABELS.index("safe")]), self.name)

    def _load(self) -> Head:
        with self._lock:
            if self._head is None:
                self._head, self._card = _read()
            return self._head


def _read() -> tuple[Head, dict[str, Any]]:
    import numpy as np

    folder = files("onrecord.rails")
    try:
        card = json.loads(folder.joinpath(CARD).read_text(encoding="utf-8"))
        with np.load(io.BytesIO(folder.joinpath(ARRAYS).read_bytes())) as arrays:
            count = len([k for k in arrays.files if k.startswith("b")])
            layers = [(arrays[f"w{i}"], arrays[f"b{i}"]) for i in range(count)]
            words = arrays["words"].astype("float32")
    except (OSError, ValueError, KeyError) as e:
        raise OnrecordError(f"the bundled boundary classifier cannot be read: {e}") from e
    if card.get("labels") != list(LABELS):
        raise OnrecordError(f"the bundled boundary classifier has labels {card.get('labels')}, expected {list(LABELS)}")
    return Head(layers, words, float(card["temperature"])), card


model = BoundaryClassifier()
