"""Repair of plain caption text (chapters, cold open, voices) against hand labels of a seed.

Usage:
    python benchmarks/quality_chapters.py /work/shared/seeds/003_b61c96ef783a3b54.txt benchmarks/labels/seed003.json

Reads the file with the caption-text reader, runs the whole repair and prints:
- chapters: precision/recall of the title lines found against the labelled ones, and for
  each title how far (in spoken words) the chapter's start is from the labelled start,
  next to how far the title line itself is (the start without any moving), and whether
  the start cuts a sentence;
- cold open: precision/recall of the words marked `teaser` against the labelled ones;
- turns: on the labelled stretch (from the real start to `turns_end`), turn-boundary
  precision/recall/F1 within 3 words and exact, and the word-level speaker error after
  the best one-to-one mapping, with the baselines (one speaker, a change at every question).
It also checks that every spoken word of the file is in exactly one turn, in order.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import turn_metrics
from onrecord.config import SpeakerSettings
from onrecord.readers.plain_text import reader
from onrecord.repair import chapters, repair

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# The speaker-confidence bar an agent quotes at.
BAR = SpeakerSettings().min_confidence


def words_by_line(text: str) -> list[tuple[int, str]]:
    return [(n, word) for n, line in enumerate(text.split("\n"), start=1) for word in line.split()]


def _bare(word: str) -> str:
    return word.strip(".,;:!?…\"'-").lower()


def locate(words: list[tuple[int, str]], anchor: list[object]) -> int:
    """Index in `words` of the anchor's first word: searched from the start of its line."""
    line, phrase = int(str(anchor[0])), [_bare(w) for w in str(anchor[1]).split()]
    for i in range(len(words)):
        if words[i][0] >= line and [_bare(w) for _, w in words[i : i + len(phrase)]] == phrase:
            return i
    sys.exit(f"anchor not found: {anchor}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seed", type=Path)
    parser.add_argument("labels", type=Path)
    args = parser.parse_args()
    text = args.seed.read_text(encoding="utf-8")
    labels = json.loads(args.labels.read_text(encoding="utf-8"))

    reading = reader.read(text)
    transcript = repair(reading)
    _, titles = chapters.find(reading.cues)
    found_lines = {title.line for title in titles}
    true_lines = set(labels["titles"])

    # Spoken words: the file's words without the labelled title lines.
    everything = words_by_line(text)
    spoken = [(n, w) for n, w in everything if n not in true_lines]
    got = [(turn_index, w) for turn_index, turn in enumerate(transcript.turns) for w in turn.text.split()]
    kept = [w for n, w in everything if n not in found_lines]
    if [w for _, w in got] != kept:
        sys.exit("FAIL: the turns do not hold every spoken word exactly once, in order")
    print(
        f"verbatim: every spoken word in exactly one turn, in order ({len(kept)} words, {len(transcript.turns)} turns)"
    )

    hit = found_lines & true_lines
    print("\n== chapters")
    print(
        f"titles found {len(found_lines)}, labelled {len(true_lines)}, correct {len(hit)}: "
        f"precision {len(hit) / max(len(found_lines), 1):.3f}, recall {len(hit) / max(len(true_lines), 1):.3f}"
    )
    if found_lines - true_lines:
        print(f"  speech taken for a title: lines {sorted(found_lines - true_lines)}")
    if true_lines - found_lines:
        print(f"  titles missed: lines {sorted(true_lines - found_lines)}")
    if found_lines == true_lines:
        # Word index (in `spoken`) where each chapter starts, by the transcript's turns.
        first_word = {}
        count = 0
        for i, turn in enumerate(transcript.turns):
            first_word[i] = count
            count += len(turn.text.split())
        moved, at_title, exact, whole = [], [], 0, 0
        for chapter, title in zip(transcript.chapters, sorted(titles, key=lambda t: t.cue), strict=True):
            start = first_word[chapter.turn]
            truth = locate(spoken, labels["chapter_starts"][str(title.line)])
            title_at = next(i for i, (n, _) in enumerate(spoken) if n > (title.line or 0))
            cut = start > 0 and not _SENTENCE_END.search(spoken[start - 1][1])
            moved.append(abs(start - truth))
            at_title.append(abs(title_at - truth))
            exact += start == truth
            whole += not cut
            print(
                f"  line {title.line:>4} {title.text[:44]!r:<48} start {start - title_at:+4d} words from the title;"
                f" labelled start {truth - title_at:+4d}{'' if not cut else '  (cuts a sentence)'}"
            )
        n = len(moved)
        print(
            f"chapter starts: exactly at the labelled sentence {exact}/{n}; mean distance to the labelled start "
            f"{sum(moved) / n:.1f} words (title line itself: {sum(at_title) / n:.1f}); "
            f"starts that keep the sentence whole {whole}/{n}"
        )

    print("\n== cold open")
    teaser_end = locate(spoken, labels["teaser_end"])
    flagged = {i for i, (turn_index, _) in enumerate(got) if transcript.turns[turn_index].teaser}
    truth_teaser = set(range(teaser_end))
    both = len(flagged & truth_teaser)
    print(
        f"words marked teaser {len(flagged)}, labelled {len(truth_teaser)}: "
        f"precision {both / max(len(flagged), 1):.3f}, recall {both / max(len(truth_teaser), 1):.3f}; "
        f"teaser turns {sum(t.teaser for t in transcript.turns)}"
    )

    print("\n== turns (labelled stretch)")
    anchors = [(locate(spoken, [line, phrase]), role) for role, line, phrase in labels["turns"]]
    end = locate(spoken, labels["turns_end"])
    start = anchors[0][0]
    truth_roles = []
    for k, (at, role) in enumerate(anchors):
        upto = anchors[k + 1][0] if k + 1 < len(anchors) else end
        truth_roles.extend([role] * (upto - at))
    predicted = [transcript.turns[turn_index].speaker for turn_index, _ in got[start:end]]
    words = [w for _, w in got[start:end]]
    print(f"{end - start} words, {len(anchors)} labelled turns ({(end - start) / len(got):.0%} of the transcript)")
    print(f"{'method':<16}" + "".join(f"{c:>10}" for c in ("P@3", "R@3", "F1@3", "F1@0", "err1:1", "turns")))
    for name, labels_ in (
        ("voices", predicted),
        ("one speaker", turn_metrics.one_speaker(words)),
        ("every question", turn_metrics.question_baseline(words)),
    ):
        row = turn_metrics.report(labels_, truth_roles)
        print(f"{name:<16}" + "".join(f"{row[c]:>10.3f}" for c in ("P@3", "R@3", "F1@3", "F1@0", "err1:1", "turns")))

    mapping = turn_metrics.best_mapping(predicted, truth_roles)
    host = next((label for label, role in mapping.items() if role == "host"), None)
    confidence = [transcript.turns[turn_index].confidence for turn_index, _ in got[start:end]]
    sure = [mapping.get(p) == t for p, t, c in zip(predicted, truth_roles, confidence, strict=True) if c >= BAR]
    print(
        f"voices at confidence >= {BAR}: {len(sure) / len(predicted):.1%} of the labelled words,"
        f" {sum(sure) / max(len(sure), 1):.1%} of them with the right speaker"
    )
    # A question of the host's stored as the guest's: the labelled host words of a sentence
    # ending in "?" given to the other label.
    asked = wrong = 0
    sentence: list[int] = []
    for k, word in enumerate(words):
        sentence.append(k)
        if _SENTENCE_END.search(word):
            if word.rstrip("\"')]").endswith("?") and truth_roles[sentence[-1]] == "host":
                asked += 1
                wrong += predicted[sentence[-1]] != host
            sentence = []
    print(f"questions of the host: {asked}, stored as the guest's: {wrong}")


if __name__ == "__main__":
    main()
