"""Second stage, the bundled selector's input: (question, candidate) pairs as BERT token ids.

Training (training/train_selector.py) and the runtime (selector.py) both encode through
`encode_pairs`, so the model meets at run time exactly what it learned on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Tokenizer

# The question keeps at most this many tokens, the pair at most MAX_TOKENS (the candidate
# is cut first): longer inputs cost time and the answer's start is what matters.
QUESTION_TOKENS = 40
MAX_TOKENS = 128


class Pairs(NamedTuple):
    """A padded batch: token ids, attention mask and token types, each (pairs, tokens)."""

    ids: npt.NDArray[np.int64]
    mask: npt.NDArray[np.int64]
    types: npt.NDArray[np.int64]


def pair_tokenizer(tokenizer: Tokenizer) -> Tokenizer:
    """A copy of a BERT tokenizer set to cut pairs (candidate first) and pad each batch."""
    from tokenizers import Tokenizer

    pairs = Tokenizer.from_str(tokenizer.to_str())
    pairs.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
    pairs.enable_padding(pad_id=0, pad_token="[PAD]")
    return pairs


def _question(tokenizer: Tokenizer, question: str) -> str:
    """The question cut to QUESTION_TOKENS tokens (at a word boundary)."""
    encoding = tokenizer.encode(question, add_special_tokens=False)
    if len(encoding.ids) <= QUESTION_TOKENS:
        return question
    end = encoding.offsets[QUESTION_TOKENS - 1][1]
    return question[:end]


def encode_pairs(tokenizer: Tokenizer, question: str, candidates: list[str]) -> Pairs:
    """The question paired with each candidate, for a tokenizer made by `pair_tokenizer`."""
    import numpy as np

    asked = _question(tokenizer, question)
    encodings = tokenizer.encode_batch([(asked, text) for text in candidates])
    return Pairs(
        np.array([e.ids for e in encodings], dtype=np.int64),
        np.array([e.attention_mask for e in encodings], dtype=np.int64),
        np.array([e.type_ids for e in encodings], dtype=np.int64),
    )
