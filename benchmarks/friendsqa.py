"""FriendsQA (TV-show scenes with questions answered inside utterances) as onrecord sees it.

Each scene becomes a "Name: text" transcript; a question's evidence is its answer phrases
(a span answer) or its answer utterance (an answer that is a speaker). Shared by the
benchmarks and by training/selector_pairs.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord import evaluate

_DETOKENIZE = [
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r" ([,.!?;:%])"), r"\1"),
    (re.compile(r"\b(gon|wan|got) na\b"), r"\1na"),
    (re.compile(r"\$ "), "$"),
]


def detokenize(text: str) -> str:
    """FriendsQA's tokenised text ("It 's gon na be ok .") as people write it."""
    text = " ".join(text.split())
    for pattern, replacement in _DETOKENIZE:
        text = pattern.sub(replacement, text)
    return text


@dataclass(slots=True)
class Scene:
    id: str
    utterances: list[dict[str, Any]]
    questions: list[dict[str, Any]]

    def transcript(self) -> str:
        """The scene as "Name: text" lines (a scene note is said by "Scene")."""
        lines = []
        for utterance in self.utterances:
            speakers = [str(s) for s in utterance.get("speakers", []) if s] or ["Someone"]
            name = " and ".join("Scene" if s == "#NOTE#" else s for s in speakers)
            lines.append(f"{name}: {detokenize(str(utterance.get('utterance', '')))}")
        return "\n".join(lines) + "\n"

    def utterance(self, uid: int) -> str | None:
        if 0 <= uid < len(self.utterances):
            return detokenize(str(self.utterances[uid].get("utterance", "")))
        return None

    def evidence(self, question: dict[str, Any]) -> evaluate.Question:
        """The question with its answers as evidence phrases, or its answer utterance as
        evidence text when the answer is a speaker."""
        phrases, texts = [], []
        for answer in question["answers"]:
            if answer.get("is_speaker"):
                said = self.utterance(int(answer["utterance_id"]))
                if said:
                    texts.append(said)
            else:
                phrases.append(detokenize(str(answer["answer_text"])))
        item = evaluate.Question(str(question["question"]), id=f"{self.id}-{question['id']}")
        if phrases:
            item.phrases = phrases
        else:
            item.evidence_text = texts
        return item


def scenes(path: Path) -> Iterator[Scene]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for scene in data["data"]:
        for n, paragraph in enumerate(scene["paragraphs"]):
            yield Scene(f"{scene['title']}-{n}", paragraph["utterances:"], paragraph["qas"])


def write_scenes(path: Path, folder: Path) -> list[tuple[Path, Scene]]:
    """Every scene of a FriendsQA file written as a transcript in `folder`."""
    written = []
    for scene in scenes(path):
        file = folder / f"{scene.id}.txt"
        file.write_text(scene.transcript(), encoding="utf-8")
        written.append((file, scene))
    return written
