"""Speed of reading and repairing plain caption text, in words per second on one core.

Usage:
    python benchmarks/speed_captions.py /work/shared/seeds/003_b61c96ef783a3b54.txt [--words 1000000]

The file is repeated until it holds about `--words` words (so the input is one long
transcript, the worst case for the steps that look across the whole text), then read with
the caption-text reader and repaired; the time of each repair step is printed too.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from onrecord.readers.plain_text import reader
from onrecord.repair import chapters, clean, repair, sentences, teaser, voices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--words", type=int, default=1_000_000)
    args = parser.parse_args()
    one = args.path.read_text(encoding="utf-8").rstrip("\n")
    copies = max(1, args.words // len(one.split()))
    text = "\n".join([one] * copies)
    words = len(text.split())

    started = time.perf_counter()
    reading = reader.read(text)
    read_at = time.perf_counter()
    transcript = repair(reading)
    done = time.perf_counter()
    print(f"{words} words ({copies} copies), {len(transcript.turns)} turns, {len(transcript.chapters)} chapters")
    print(f"read   {read_at - started:6.2f} s")
    print(f"repair {done - read_at:6.2f} s")
    print(f"total  {done - started:6.2f} s = {words / (done - started):,.0f} words/s")

    # Each step on its own, on the same input, to see where the time goes.
    t0 = time.perf_counter()
    cues, titles = chapters.find(reading.cues)
    t1 = time.perf_counter()
    built = voices.split(cues, {title.cue for title in titles})
    t2 = time.perf_counter()
    built = teaser.mark(built, attribute=True)
    t3 = time.perf_counter()
    for turn in built:
        turn.sentences = sentences.split(turn.text, turn.anchors)
        turn.clean_text = clean.clean(turn.text)
    t4 = time.perf_counter()
    for name, seconds in (
        ("chapters", t1 - t0),
        ("voices", t2 - t1),
        ("teaser", t3 - t2),
        ("sentences+clean", t4 - t3),
    ):
        print(f"  {name:<16}{seconds:6.2f} s")


if __name__ == "__main__":
    main()
