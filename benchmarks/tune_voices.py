"""Choose the voices model's weights by coordinate search on development transcripts.

    python benchmarks/tune_voices.py --segments ../shared/seeds/000_8f600fad7cc5ffb9.txt \
        benchmarks/labels/seed000_speakers.json --changelog ../shared/data/changelog/gotime_go-time-329.md \
        ../shared/data/changelog/gotime_go-time-331.md ../shared/data/changelog/gotime_go-time-333.md \
        --hearings ../shared/data/qmsum/train/education_*.json [--rounds 3]

The development groups are a labelled interview (seed 000, speakers and `>>` stripped),
Changelog podcasts and QMSum committee hearings from QMSum's training split; each is
re-flowed into caption lines as in quality_voices.py. The objective is the mean over the
groups of the mean over their files of (F1side + role) / 2: the two-party view of where the
voice changes and who speaks. Each round tries every weight of `VoiceModel` a step up and a
step down and keeps a change that raises the objective; steps halve after each round. It
prints every kept change and the final weights as Python, to be written into
`voice_model.VoiceModel` by hand (and recorded in docs/decisions.md). With `--calibrate`
it fits only the map from the model's confidence to how often a turn's words are right
(run it after the weights are set). Seed 003 is never read here: its figures are a
measurement, not an objective.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
from pathlib import Path

import quality_voices
import turn_metrics
from onrecord.model import Cue
from onrecord.repair import voice_model, voices

Transcript = tuple[list[Cue], list[str], list[str]]


def load(args: argparse.Namespace) -> dict[str, list[Transcript]]:
    groups: dict[str, list[Transcript]] = {}
    if args.segments:
        groups["interview"] = [quality_voices.captions(quality_voices.segments(*args.segments), args.width)]
    if args.changelog:
        groups["changelog"] = [quality_voices.captions(quality_voices.changelog(p), args.width) for p in args.changelog]
    if args.hearings:
        groups["hearing"] = [quality_voices.captions(quality_voices.qmsum(p), args.width) for p in args.hearings]
    return groups


def score(model: voice_model.VoiceModel, groups: dict[str, list[Transcript]]) -> dict[str, float]:
    out = {}
    for name, transcripts in groups.items():
        values = []
        for cues, words, truth in transcripts:
            labels = [turn.speaker for turn in voices.split(cues, set(), model) for _ in turn.text.split()]
            row = turn_metrics.report(labels, truth, words)
            values.append((row["F1side"] + row["role"]) / 2)
        out[name] = statistics.mean(values)
    return out


def calibration(groups: dict[str, list[Transcript]]) -> tuple[float, float]:
    """(slope, offset) of the logistic map from the model's raw turn confidence (its log-odds)
    to the share of the turn's words whose role is right, fitted by Newton's method on the
    development turns, word-weighted, each group weighing the same."""
    import numpy as np

    xs, ys, ws = [], [], []
    raw = dataclasses.replace(voice_model.MODEL, calibration_slope=1.0, calibration_offset=0.0)
    for transcripts in groups.values():
        group_x, group_y, group_w = [], [], []
        for cues, words, truth in transcripts:
            built = voices.split(cues, set(), raw)
            labels = [turn.speaker for turn in built for _ in turn.text.split()]
            sides = turn_metrics.sides(words, truth)
            mapping = turn_metrics.best_mapping(labels, sides)
            position = 0
            for turn in built:
                n = len(turn.text.split())
                right = sum(mapping.get(turn.speaker) == side for side in sides[position : position + n])
                p = min(max(turn.confidence, 1e-4), 1 - 1e-4)
                group_x.append(np.log(p / (1 - p)))
                group_y.append(right / n)
                group_w.append(n)
                position += n
        total = sum(group_w)
        xs += group_x
        ys += group_y
        ws += [w / total for w in group_w]
    x, y, w = np.array(xs), np.array(ys), np.array(ws)
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum(w * (p - y) * x), np.sum(w * (p - y))])
        h = np.array([[np.sum(w * p * (1 - p) * x * x), np.sum(w * p * (1 - p) * x)],
                      [np.sum(w * p * (1 - p) * x), np.sum(w * p * (1 - p))]])  # fmt: skip
        a, b = np.array([a, b]) - np.linalg.solve(h + 1e-9 * np.eye(2), g)
    return round(float(a), 3), round(float(b), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", nargs=2, type=Path, metavar=("SEED", "LABELS"))
    parser.add_argument("--changelog", nargs="*", type=Path, default=[])
    parser.add_argument("--hearings", nargs="*", type=Path, default=[])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--width", type=int, default=50)
    parser.add_argument("--calibrate", action="store_true", help="fit only the confidence calibration")
    args = parser.parse_args()
    groups = load(args)
    if args.calibrate:
        slope, offset = calibration(groups)
        print(f"calibration_slope = {slope}, calibration_offset = {offset}")
        return
    model = voice_model.MODEL
    parts = score(model, groups)
    best = statistics.mean(parts.values())
    print(f"start {best:.4f} {parts}")
    fields = [
        f for f in dataclasses.fields(model) if f.type in ("float", float) and not f.name.startswith("calibration")
    ]
    steps = {f.name: 0.5 for f in fields}
    for round_ in range(args.rounds):
        for field in fields:
            for sign in (1, -1):
                value = round(getattr(model, field.name) + sign * steps[field.name], 3)
                candidate = dataclasses.replace(model, **{field.name: value})
                parts = score(candidate, groups)
                objective = statistics.mean(parts.values())
                if objective > best + 1e-4:
                    model, best = candidate, objective
                    print(f"round {round_}: {field.name} = {value}: {best:.4f} {parts}", flush=True)
                    break
        steps = {name: step / 2 for name, step in steps.items()}
    print(model)


if __name__ == "__main__":
    main()
