"""Second stage, input side: what a reranker reads for each first-stage candidate.

A candidate is read with the end of the question that prompted it, then who said it and
what they said: an answer rarely repeats its question's subject ("I think it matters
because ..."), and the question that led to it carries it. The bundled selector was
trained on exactly this text (training/selector_pairs.py imports it), so it must not
change without training the selector again.
"""

from __future__ import annotations

# Words of the prompting turn a reranker reads: its last words are the question.
PROMPT_WORDS = 24
# What separates the prompt from the passage (BERT's separator, a plain word to other models).
SEPARATOR = " [SEP] "


def candidate_text(text: str, speaker: str, prompt: str = "") -> str:
    """The text a reranker scores against a question: prompt tail, then `speaker: text`."""
    said = f"{speaker}: {text.strip()}" if speaker else text.strip()
    context = " ".join(prompt.split()[-PROMPT_WORDS:])
    return f"{context}{SEPARATOR}{said}" if context else said
