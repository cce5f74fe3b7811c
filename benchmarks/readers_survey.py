"""Which files a folder holds import, as what, and why the others fail.

    python benchmarks/readers_survey.py /work/shared/data/formats/webvtt-py /work/shared/data/changelog ...

Prints one line per file: the detected format, cues, words, speakers, chapters and
whether cues are timed, or the error a user would see. Reads only; imports nothing.
"""

from __future__ import annotations

import sys

from onrecord.errors import InputError
from onrecord.importer import expand
from onrecord.readers import read_path


def main(paths: list[str]) -> None:
    for path in expand(paths):
        if isinstance(path, InputError):
            print(f"FAIL  {path}")
            continue
        if path.name.startswith(("LICENSE", "PROVENANCE", "README", "MANIFEST")):
            continue
        try:
            reading = read_path(path)
        except InputError as exc:
            print(f"FAIL  {exc}")
            continue
        words = sum(len(cue.text.split()) for cue in reading.cues)
        speakers = {cue.speaker for cue in reading.cues if cue.speaker}
        timed = sum(1 for cue in reading.cues if cue.start is not None)
        print(
            f"ok    {path}: {reading.format} ({reading.kind}); {len(reading.cues)} cues, {words} words, "
            f"{len(speakers)} speakers, {len(reading.chapters)} chapters, {timed} timed cues"
            + (f", title {reading.title!r}" if reading.title else "")
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["."])
