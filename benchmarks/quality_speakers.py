"""Word-level speaker error of repaired turns against hand-labelled turn starts.

    python benchmarks/quality_speakers.py SEED_PATH LABELS_PATH [--speed]

SEED_PATH is a caption-segments JSON file (a list of {i, speaker, text}); LABELS_PATH holds
gold turn starts as (segment, word index into the segment's whitespace tokens, speaker), as in
benchmarks/labels/seed000_speakers.json. The seed goes through the real reader and repair
pipeline; the repaired turns' words are aligned to the gold words (the seed's tokens minus
`>>` and non-speech such as [laughter]) and scored. Two baselines are scored on the same
words: the raw segment labels, and a majority vote of the labels over each `>>` piece. Then
the same captions without their labels (`>>` only) go through repair, where the voices
model decides who speaks, scored after the better of the two ways to map its labels.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from onrecord.model import Reading, Turn
from onrecord.readers import read_path
from onrecord.repair import repair, turns
from onrecord.repair.markers import MarkerModel

MARKER = ">>"


def spoken(tokens: list[str]) -> list[bool]:
    """Which tokens are words: not a `>>`, not inside [brackets] (a sound, not speech)."""
    out, inside = [], False
    for token in tokens:
        opens = token.startswith("[")
        out.append(token != MARKER and not (inside or opens))
        if opens:
            inside = True
        if inside and token.endswith("]"):
            inside = False
    return out


def gold_words(segments: list[dict], labels: dict) -> list[dict]:
    """Every gold spoken word with its gold speaker, segment label and `>>` piece."""
    starts = {(t["segment"], t["word"]): labels["speakers"][t["speaker"]] for t in labels["turns"]}
    words = []
    speaker = None
    piece = 0
    for n, segment in enumerate(segments):
        tokens = segment["text"].split()
        for k, (token, is_word) in enumerate(zip(tokens, spoken(tokens), strict=True)):
            speaker = starts.get((n, k), speaker)
            if token == MARKER:
                piece += 1
            if is_word:
                words.append({"text": token, "gold": speaker, "label": segment.get("speaker"), "piece": piece})
    return words


def majority_vote(words: list[dict]) -> list[str]:
    """Each `>>` piece takes the label most of its words carry (the first label on a tie)."""
    votes: dict[int, Counter[str]] = {}
    for word in words:
        votes.setdefault(word["piece"], Counter())[word["label"]] += 1
    winner = {piece: counts.most_common(1)[0][0] for piece, counts in votes.items()}
    return [winner[word["piece"]] for word in words]


def turn_words(built: list[Turn]) -> tuple[list[str], list[str]]:
    texts, speakers = [], []
    for turn in built:
        tokens = turn.text.split()
        for token, is_word in zip(tokens, spoken(tokens), strict=True):
            if is_word:
                texts.append(token)
                speakers.append(turn.speaker)
    return texts, speakers


def score(words: list[dict], texts: list[str], speakers: list[str]) -> tuple[float, float]:
    """(% of gold words found in the output, % of found words with the wrong speaker)."""
    matcher = difflib.SequenceMatcher(None, [w["text"] for w in words], texts, autojunk=False)
    kept = wrong = 0
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            kept += 1
            wrong += words[block.a + k]["gold"] != speakers[block.b + k]
    return 100 * kept / len(words), 100 * wrong / max(kept, 1)


def _wder(words: list[dict], reading: Reading, model: MarkerModel) -> float:
    built = turns.build(reading.cues, voice_markers=reading.voice_markers, breaks=set(), marker_model=model)
    return score(words, *turn_words(built))[1]


def speed(reading: Reading, copies: int) -> tuple[float, float]:
    """Words per second of turns.build alone and of the whole repair, over `copies` of the cues."""
    cues = reading.cues * copies
    big = Reading(format=reading.format, cues=cues, kind=reading.kind, voice_markers=reading.voice_markers)
    words = sum(len(cue.text.split()) for cue in cues)
    begin = time.perf_counter()
    turns.build(cues, voice_markers=big.voice_markers, breaks=set())
    build_rate = words / (time.perf_counter() - begin)
    begin = time.perf_counter()
    repair(big)
    return build_rate, words / (time.perf_counter() - begin)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seed", type=Path)
    parser.add_argument("labels", type=Path)
    parser.add_argument("--speed", action="store_true", help="also time the pipeline (100 copies of the seed)")
    args = parser.parse_args()

    raw = args.seed.read_bytes()
    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    if labels.get("sha256") not in (None, hashlib.sha256(raw).hexdigest()):
        print(f"warning: {args.seed} is not the file the labels were made for", file=sys.stderr)
    words = gold_words(json.loads(raw), labels)

    def error(guess: list[str]) -> float:
        return 100 * sum(w["gold"] != g for w, g in zip(words, guess, strict=True)) / len(words)

    reading = read_path(args.seed)
    transcript = repair(reading)
    kept, wder = score(words, *turn_words(transcript.turns))

    print(f"seed: {args.seed.name}: {len(words)} gold spoken words, {len(labels['turns'])} gold turns")
    print()
    print("| speakers from | WDER % | words kept % | turns |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| raw segment labels | {error([w['label'] for w in words]):.2f} | 100.00 | |")
    print(f"| majority vote over `>>` pieces | {error(majority_vote(words)):.2f} | 100.00 | |")
    print(f"| onrecord repair | {wder:.2f} | {kept:.2f} | {len(transcript.turns)} |")
    # The same captions with their labels removed: `>>` alone says where the voice changes,
    # the voices model who speaks (labels named in order of appearance, so the best mapping).
    bare = Reading(reading.format, [replace(cue, speaker=None) for cue in reading.cues], reading.kind, None, True)
    unlabelled = repair(bare)
    texts, guessed = turn_words(unlabelled.turns)
    names = sorted({speaker for speaker in guessed})
    best = min(
        (score(words, texts, [dict(zip(names, order, strict=False)).get(s, s) for s in guessed]) for order in
         (sorted(labels["speakers"].values()), sorted(labels["speakers"].values(), reverse=True))),
        key=lambda result: result[1],
    )  # fmt: skip
    print(f"| labels removed, `>>` only (voices model) | {best[1]:.2f} | {best[0]:.2f} | {len(unlabelled.turns)} |")
    print()
    print("Sensitivity: WDER % of the repair by marker model (rows: change; columns: boundary; interior 0.95):")
    print()
    columns = (0.5, 0.6, 0.8, 0.95, 0.99)
    print("| change \\ boundary | " + " | ".join(str(b) for b in columns) + " |")
    print("| ---: |" + " ---: |" * len(columns))
    for change in (0.6, 0.8, 0.95, 0.99):
        row = [_wder(words, reading, MarkerModel(change=change, boundary=b)) for b in columns]
        print(f"| {change} | " + " | ".join(f"{x:.2f}" for x in row) + " |")
    interiors = (0.8, 0.9, 0.99, 0.999)
    row = [_wder(words, reading, MarkerModel(interior=i)) for i in interiors]
    print()
    print(
        "interior "
        + ", ".join(f"{i}: {x:.2f}" for i, x in zip(interiors, row, strict=True))
        + " (change 0.95, boundary 0.6)"
    )

    if args.speed:
        build_rate, repair_rate = speed(reading, 100)
        print()
        print(f"speed: turns.build {build_rate:,.0f} words/s; whole repair {repair_rate:,.0f} words/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
