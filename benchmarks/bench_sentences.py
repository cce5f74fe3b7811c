"""Sentence splitting speed: ours (sentencex + our rules) beside other segmenters, if installed.

    python benchmarks/bench_sentences.py PATHS...

Reads each file as a transcript (through the readers and repair), then splits every turn's
text with each segmenter and prints words per second of CPU time on one core. pysbd and
syntok are measured only when importable (they are not dependencies: `pip install pysbd
syntok` into a scratch target to compare). This is the measurement behind choosing
sentencex for repair/sentences.py.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path


def _texts(paths: list[str]) -> list[str]:
    from onrecord.readers import read_path
    from onrecord.repair import repair

    texts: list[str] = []
    for raw in paths:
        path = Path(raw)
        for file in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            try:
                texts += [turn.text for turn in repair(read_path(file)).turns]
            except Exception as exc:  # a file no reader takes is reported, not fatal
                print(f"skipped {file}: {exc}", file=sys.stderr)
    return texts


def _segmenters() -> dict[str, Callable[[str], object]]:
    from onrecord.repair import sentences

    found: dict[str, Callable[[str], object]] = {"onrecord (sentencex + rules)": lambda t: sentences.split(t, [])}
    try:
        sentencex = importlib.import_module("sentencex")
        found["sentencex alone"] = lambda t: sentencex.get_sentence_boundaries("en", t)
    except ImportError:
        pass
    try:
        pysbd = importlib.import_module("pysbd")
        segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        found["pysbd (char_span)"] = segmenter.segment
    except ImportError:
        pass
    try:
        syntok = importlib.import_module("syntok.segmenter")
        found["syntok"] = lambda t: [s for p in syntok.process(t) for s in p]
    except ImportError:
        pass
    return found


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = _texts(sys.argv[1:])
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} turns, {words:,} words")
    for name, split in _segmenters().items():
        # Slow segmenters get a sample, so the run stays short.
        sample_words, spent = 0, 0.0
        start = time.process_time()
        for text in texts:
            split(text)
            sample_words += len(text.split())
            spent = time.process_time() - start
            if spent > 20:
                break
        print(f"  {name:<30} {sample_words / spent:>14,.0f} words/s  ({sample_words:,} words)")


if __name__ == "__main__":
    main()
