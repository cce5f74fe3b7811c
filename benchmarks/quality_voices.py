"""Turn splitting of unlabelled speech (repair.voices) against labelled public transcripts.

Usage:
    python benchmarks/quality_voices.py /work/shared/data/changelog/*.md /work/shared/data/qmsum/val/*.json
        [--dev NAME ...] [--width 50] [--per-file]

Each labelled transcript (Changelog podcast Markdown with `**Name:**` turns, or a QMSum
meeting JSON) loses its speaker names and is re-flowed into caption-like lines of about
`--width` characters, broken mid-sentence; `voices.split` then rebuilds the turns and its
split is compared word by word with the truth (see turn_metrics.py): turn-boundary
precision/recall/F1 within 3 words and exact, and the word-level speaker error after the
best one-to-one and many-to-one mapping of predicted labels to true speakers. Two trivial
baselines are measured the same way: one speaker throughout, and a change after every
question. The development subset (the files whose weights were looked at while tuning)
defaults to the first 3 files of each kind in sorted order and is reported apart.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import textwrap
from pathlib import Path

import turn_metrics
from onrecord.model import Cue
from onrecord.repair import voices

_NAME = re.compile(r"^\*\*(.+?):\*\*\s*(.*)$")
_STAMP = re.compile(r"\\\[\d{1,2}:\d{2}(?::\d{2})?\\\]")
_ESCAPE = re.compile(r"\\([\[\]*_`#])")
_MEETING_NOISE = re.compile(r"\{[a-z]+\}")
_DETOKENIZE = (
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r" ([,.?!;:])"), r"\1"),
)


def changelog(path: Path) -> list[tuple[str, str]]:
    """(speaker, text) turns of a Changelog transcript."""
    turns: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _NAME.match(line.strip())
        if match:
            turns.append((match.group(1).strip(), match.group(2)))
        elif line.strip() and turns:
            turns[-1] = (turns[-1][0], f"{turns[-1][1]} {line.strip()}")
    return [(name, _ESCAPE.sub(r"\1", _STAMP.sub(" ", text))) for name, text in turns]


def qmsum(path: Path) -> list[tuple[str, str]]:
    """(speaker, text) turns of a QMSum meeting, detokenised and without noise marks."""
    data = json.loads(path.read_text(encoding="utf-8"))
    turns = []
    for turn in data["meeting_transcripts"]:
        text = _MEETING_NOISE.sub(" ", turn["content"])
        for pattern, repl in _DETOKENIZE:
            text = pattern.sub(repl, text)
        turns.append((turn["speaker"], text))
    return turns


def captions(turns: list[tuple[str, str]], width: int) -> tuple[list[Cue], list[str], list[str]]:
    """Caption-like lines without speakers, and the words with their true speakers."""
    words, speakers = [], []
    for name, text in turns:
        for word in text.split():
            words.append(word)
            speakers.append(name)
    lines = textwrap.wrap(" ".join(words), width=width, break_long_words=False, break_on_hyphens=False)
    return [Cue(line, line=n) for n, line in enumerate(lines, start=1)], words, speakers


def predicted(cues: list[Cue]) -> tuple[list[str], list[str]]:
    words, labels = [], []
    for turn in voices.split(cues, set()):
        for word in turn.text.split():
            words.append(word)
            labels.append(turn.speaker)
    return words, labels


def measure(path: Path, width: int) -> dict[str, dict[str, float]]:
    turns = changelog(path) if path.suffix == ".md" else qmsum(path)
    cues, words, truth = captions(turns, width)
    got, labels = predicted(cues)
    if got != words:
        sys.exit(f"{path}: voices.split did not keep every word in order")
    return {
        "voices": turn_metrics.report(labels, truth),
        "one speaker": turn_metrics.report(turn_metrics.one_speaker(words), truth),
        "every question": turn_metrics.report(turn_metrics.question_baseline(words), truth),
        "_": {"words": float(len(words)), "speakers": float(len(set(truth)))},
    }


COLUMNS = ("P@3", "R@3", "F1@3", "F1@0", "err1:1", "errN:1", "errRole", "turns", "true_turns")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--dev", nargs="*", help="file names of the development subset")
    parser.add_argument("--width", type=int, default=50)
    parser.add_argument("--per-file", action="store_true")
    args = parser.parse_args()

    kinds: dict[str, list[Path]] = {}
    for path in sorted(args.paths, key=lambda p: p.name):
        if path.suffix == ".md" and changelog(path):
            kinds.setdefault("changelog", []).append(path)
        elif path.suffix == ".json":
            kinds.setdefault("qmsum", []).append(path)
    dev = set(args.dev) if args.dev is not None else {p.name for paths in kinds.values() for p in paths[:3]}

    print(f"width {args.width}; dev subset: {', '.join(sorted(dev))}")
    header = f"{'dataset':<16}{'split':<6}{'method':<16}" + "".join(f"{c:>10}" for c in COLUMNS)
    print(header)
    for kind, paths in kinds.items():
        results = {path: measure(path, args.width) for path in paths}
        if args.per_file:
            for path, result in results.items():
                row = result["voices"]
                print(f"  {path.name:<28}" + "".join(f"{row[c]:>10.3f}" for c in COLUMNS))
        for split in ("dev", "test", "all"):
            chosen = [r for p, r in results.items() if split == "all" or (p.name in dev) == (split == "dev")]
            if not chosen:
                continue
            words = sum(r["_"]["words"] for r in chosen)
            for method in ("voices", "one speaker", "every question"):
                means = {c: statistics.mean(r[method][c] for r in chosen) for c in COLUMNS}
                print(f"{kind:<16}{split:<6}{method:<16}" + "".join(f"{means[c]:>10.3f}" for c in COLUMNS))
            print(f"{'':<16}{'':<6}({len(chosen)} files, {int(words)} words)")


if __name__ == "__main__":
    main()
