"""Mutated input files for the reader fuzz suite (tests/test_readers_fuzz.py and
benchmarks/fuzz_readers.py): a seed file of every format, changed at random the ways real
files break (cut short, bytes lost or doubled, a value of the wrong type or out of range,
invalid Unicode), and the property every import must hold."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from onrecord import importer
from onrecord.errors import OnrecordError
from onrecord.store import Store
from tests.readers_support import FIXTURES

_AMI = [
    {"id": f"a{i}", "speaker": "AB"[i % 2], "starttime": str(i * 2.5), "endtime": str(i * 2.5 + 2), "text": t}
    for i, t in enumerate(["we keep bees", "on the roof of the market", "forty hives in all", "since twenty ten"])
]
_TINYREC = {
    "title": "Hive check",
    "entries": [
        {"idx": 0, "kind": "utterance", "start": 0.0, "end": 2.0, "speaker": "A", "text": "Open the first hive."},
        {"idx": 1, "kind": "action", "start": 2.0, "end": 3.0, "text": "click"},
        {"idx": 2, "kind": "utterance", "start": 3.0, "end": 5.0, "speaker": "B", "text": "The queen is there."},
    ],
    "annotation": {"coarse": [[0, 2, "Inspection"]]},
}
_SEGMENTS = [
    {"i": 0, "speaker": "Speaker 1", "text": "So how did the hives start?"},
    {"i": 1, "speaker": "Speaker 1", "text": ">> With one box on my balcony and a lot of"},
    {"i": 2, "speaker": "Speaker 2", "text": "luck. Then the neighbours asked for honey."},
]


def seeds() -> list[tuple[str, bytes]]:
    """(file name, content): one valid file of every format the readers know."""
    found = [
        (path.name, path.read_bytes())
        for path in sorted(FIXTURES.iterdir())
        if path.is_file() and path.suffix in {".vtt", ".srt", ".sbv", ".json", ".json3", ".tsv", ".txt", ".md"}
    ]
    found += [
        ("acts.json", json.dumps(_AMI).encode()),
        ("session.json", json.dumps(_TINYREC).encode()),
        ("segments.json", json.dumps(_SEGMENTS).encode()),
    ]
    return found


# Values that break readers that trust a file: wrong types, out of range, invalid Unicode.
_ODD_VALUES: list[Any] = [
    10**21,
    2**64,
    10**400,
    1e308,
    -1,
    -1e-9,
    3.5,
    True,
    False,
    None,
    "",
    "soon",
    "1e400",
    "NaN",
    [],
    {},
    [[1e300, 2]],
    [{"a": 1}],
    "\ud800",
    "what \udcff now",
    "x" * 5000,
    [1, [2, [3, [4]]]],
]
_ODD_TEXT = [
    "-->",
    "\n\n",
    "99:99:99.999",
    "999999999:00:00,000",
    "-1:00",
    "\x00",
    "<v ",
    ">>",
    "\r",
    "1e400",
    "9" * 40,
    "\ufeff",
    "\\ud800",
    "[00:00:0",
    "Speaker:",
]
_NUMBER = re.compile(rb"\d+")


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `doc` (dict keys and list indices), breadth limited."""
    paths = [path]
    if isinstance(doc, dict):
        for key, value in list(doc.items())[:40]:
            paths += _nodes(value, (*path, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc[:40]):
            paths += _nodes(value, (*path, index))
    return paths


def _json_mutation(doc: Any, rng: random.Random) -> Any:
    paths = _nodes(doc)
    path = rng.choice(paths)
    if not path:
        return rng.choice(_ODD_VALUES)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    move = rng.random()
    if move < 0.6:
        parent[key] = rng.choice(_ODD_VALUES)
    elif move < 0.75 and isinstance(parent, dict):
        del parent[key]
    elif move < 0.9:
        parent[key] = [parent[key]]
    elif isinstance(parent, list):
        parent.append(rng.choice(_ODD_VALUES))
    else:
        parent[rng.choice(["start", "end", "speaker", "text", "words", "relevant_text_span"])] = rng.choice(_ODD_VALUES)
    return doc


def _byte_mutation(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return rng.choice(_ODD_TEXT).encode("utf-8", "surrogatepass")
    at = rng.randrange(len(data))
    move = rng.randrange(7)
    if move == 0:  # cut short
        return data[:at]
    if move == 1:  # a run of bytes lost
        return data[:at] + data[at + rng.randint(1, 200) :]
    if move == 2:  # a run doubled
        end = at + rng.randint(1, 400)
        return data[:end] + data[at:end] + data[end:]
    if move == 3:  # one byte changed, maybe to one that is not UTF-8
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    if move == 4:  # a number made odd
        numbers = list(_NUMBER.finditer(data))
        if numbers:
            match = rng.choice(numbers)
            odd = rng.choice([b"9" * rng.randint(10, 500), b"-1", b"1e400", b"99", b"0" * 30, b""])
            return data[: match.start()] + odd + data[match.end() :]
    # a piece of caption syntax or odd text dropped in
    piece = rng.choice(_ODD_TEXT).encode("utf-8", "surrogatepass")
    return data[:at] + piece + data[at:]


def mutate(name: str, data: bytes, rng: random.Random) -> bytes:
    """`data` changed one to three times; JSON is often changed by value rather than by byte."""
    for _ in range(rng.randint(1, 3)):
        if name.endswith((".json", ".json3")) and rng.random() < 0.6:
            try:
                doc = json.loads(data)
            except (ValueError, RecursionError):
                data = _byte_mutation(data, rng)
                continue
            data = json.dumps(_json_mutation(doc, rng)).encode("utf-8", "surrogatepass")
        else:
            data = _byte_mutation(data, rng)
    return data


def import_holds(store: Store, folder: Path, name: str, data: bytes) -> str:
    """Import `data` as the file `name`; returns "added", "already" or "refused". Raises
    AssertionError when the property breaks: an exception outside OnrecordError escapes (it
    is re-raised as it is), or a refused file changed what is stored."""
    path = folder / name
    path.write_bytes(data)
    before = store.counts()
    try:
        done = importer.import_file(store, path, importer.ImportOptions())
    except OnrecordError:
        after = store.counts()
        assert after == before, f"{name}: refused, yet the store changed: {before} -> {after}"
        return "refused"
    if done.status != "added":
        return "already"
    after = store.counts()
    assert after["sources"] == before["sources"] + 1, f"{name}: added, yet {before} -> {after}"
    source = store.get_source(done.summary.id)
    assert source.transcript.turns, f"{name}: a source without turns was stored"
    return "added"
