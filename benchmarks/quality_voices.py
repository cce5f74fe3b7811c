"""Turn splitting of unlabelled speech (repair.voices) against labelled public transcripts.

Usage:
    python benchmarks/quality_voices.py /work/shared/data/changelog/*.md /work/shared/data/qmsum/val/*.json
        [--segments SEED000 LABELS] [--dev NAME ...] [--width 50] [--per-file]

Each labelled transcript (Changelog podcast Markdown with `**Name:**` turns, a QMSum
meeting JSON, or with `--segments` a caption-segments file with hand-labelled turn starts,
as seed 000) loses its speaker names (and `>>` markers) and is re-flowed into caption-like
lines of about `--width` characters, broken mid-sentence; `voices.split` then rebuilds the
turns and its split is compared word by word with the truth (see turn_metrics.py).

Kinds: `changelog` (podcast panels), `hearing` (QMSum committee hearings: members ask,
witnesses answer), `meeting` (QMSum design and research meetings), `interview` (--segments).
Columns: turn-boundary precision/recall/F1 within 3 words against every speaker change;
the two-party view (`F1side`, `role`): each true speaker folded into the asking side (more
questions per word than the transcript as a whole) or the answering side, boundary F1 on
changes of side and the share of words whose predicted role is the true side (best
one-to-one mapping of predicted labels to sides); `err1:1`/`errN:1`: word-level speaker
error after the best one-to-one and many-to-one mapping; `errRole`: error against the
first speaker vs everyone else. Below each split: the share of words in turns at or above
the speaker-confidence bar an agent quotes at, and how many of those have the right role.
Two trivial baselines are measured the same way: one speaker throughout, and a change
after every question. The development subset (the files the weights were chosen on)
defaults to the first 3 files of each kind in sorted order (none of the hearings: their
development files are QMSum's training split); `--segments` is always
development (seed 000 is the only labelled interview we may tune on).
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
from onrecord.config import SpeakerSettings
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


def segments(path: Path, labels: Path) -> list[tuple[str, str]]:
    """(speaker, text) turns of a caption-segments file by its hand-labelled turn starts."""
    from quality_speakers import gold_words

    words = gold_words(json.loads(path.read_text(encoding="utf-8")), json.loads(labels.read_text(encoding="utf-8")))
    turns: list[tuple[str, str]] = []
    for word in words:
        if turns and turns[-1][0] == word["gold"]:
            turns[-1] = (word["gold"], f"{turns[-1][1]} {word['text']}")
        else:
            turns.append((word["gold"], word["text"]))
    return turns


def kind(path: Path) -> str:
    if path.suffix == ".md":
        return "changelog"
    return "hearing" if path.name.startswith(("education", "covid")) else "meeting"


def captions(turns: list[tuple[str, str]], width: int) -> tuple[list[Cue], list[str], list[str]]:
    """Caption-like lines without speakers, and the words with their true speakers."""
    words, speakers = [], []
    for name, text in turns:
        for word in text.split():
            words.append(word)
            speakers.append(name)
    lines = textwrap.wrap(" ".join(words), width=width, break_long_words=False, break_on_hyphens=False)
    return [Cue(line, line=n) for n, line in enumerate(lines, start=1)], words, speakers


def predicted(cues: list[Cue]) -> tuple[list[str], list[str], list[float]]:
    words, labels, confidence = [], [], []
    for turn in voices.split(cues, set()):
        for word in turn.text.split():
            words.append(word)
            labels.append(turn.speaker)
            confidence.append(turn.confidence)
    return words, labels, confidence


def sure(labels: list[str], confidence: list[float], sides: list[str], bar: float) -> dict[str, float]:
    """`sure`: the share of words in turns whose confidence reaches `bar` (what an agent may
    quote as someone's words); `sureRole`: how many of those have the right role."""
    mapping = turn_metrics.best_mapping(labels, sides)
    kept = [mapping.get(label) == side for label, c, side in zip(labels, confidence, sides, strict=True) if c >= bar]
    return {"sure": len(kept) / max(len(labels), 1), "sureRole": sum(kept) / max(len(kept), 1)}


def measure(path: Path, width: int, labels: Path | None = None) -> dict[str, dict[str, float]]:
    turns = segments(path, labels) if labels is not None else changelog(path) if path.suffix == ".md" else qmsum(path)
    cues, words, truth = captions(turns, width)
    got, labels, confidence = predicted(cues)
    if got != words:
        sys.exit(f"{path}: voices.split did not keep every word in order")
    return {
        "voices": turn_metrics.report(labels, truth, words)
        | sure(labels, confidence, turn_metrics.sides(words, truth), BAR),
        "one speaker": turn_metrics.report(turn_metrics.one_speaker(words), truth, words),
        "every question": turn_metrics.report(turn_metrics.question_baseline(words), truth, words),
        "_": {"words": float(len(words)), "speakers": float(len(set(truth)))},
    }


COLUMNS = ("P@3", "R@3", "F1@3", "F1side", "role", "err1:1", "errN:1", "errRole", "turns", "true_turns")
# The speaker-confidence bar an agent quotes at (config.SpeakerSettings.min_confidence).
BAR = SpeakerSettings().min_confidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--segments", nargs=2, type=Path, metavar=("SEED", "LABELS"), help="a labelled interview")
    parser.add_argument("--dev", nargs="*", help="file names of the development subset")
    parser.add_argument("--width", type=int, default=50)
    parser.add_argument("--per-file", action="store_true")
    args = parser.parse_args()

    kinds: dict[str, list[Path]] = {}
    for path in sorted(args.paths, key=lambda p: p.name):
        if path.suffix == ".json" or changelog(path):
            kinds.setdefault(kind(path), []).append(path)
    # Hearings were tuned on from QMSum's training split (tune_voices.py): every one here is test.
    dev = (
        set(args.dev)
        if args.dev is not None
        else {p.name for k, paths in kinds.items() if k != "hearing" for p in paths[:3]}
    )
    labels: dict[Path, Path] = {}
    if args.segments:
        kinds["interview"] = [args.segments[0]]
        labels[args.segments[0]] = args.segments[1]
        dev.add(args.segments[0].name)

    print(f"width {args.width}; dev subset: {', '.join(sorted(dev))}")
    header = f"{'dataset':<16}{'split':<6}{'method':<16}" + "".join(f"{c:>10}" for c in COLUMNS)
    print(header)
    for name, paths in kinds.items():
        results = {path: measure(path, args.width, labels.get(path)) for path in paths}
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
                print(f"{name:<16}{split:<6}{method:<16}" + "".join(f"{means[c]:>10.3f}" for c in COLUMNS))
            confident = {c: statistics.mean(r["voices"][c] for r in chosen) for c in ("sure", "sureRole")}
            print(
                f"{'':<16}{'':<6}voices at confidence >= {BAR}: {confident['sure']:.1%} of words,"
                f" {confident['sureRole']:.1%} of them with the right role"
            )
            print(f"{'':<16}{'':<6}({len(chosen)} files, {int(words)} words)")


if __name__ == "__main__":
    main()
