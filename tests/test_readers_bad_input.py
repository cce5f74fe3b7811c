"""Bad files: each gives one InputError naming the file, the problem and where; never a partial reading."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from onrecord.errors import InputError, UnknownFormatError
from onrecord.readers import read_path
from tests.readers_support import FIXTURES

WHISPER = (FIXTURES / "interview.whisper.json").read_text(encoding="utf-8")
VTT_HEAD = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFine.\n\n"
SEGMENTS = [{"start": 0, "end": 1, "text": "a"}, {"start": 5, "end": 2, "text": "b"}]
WORDS = [{"word": "a", "start": 0, "end": 1, "score": 0.9}, {"word": "b", "start": "soon", "score": 0.9}]
ALIGNED = {"start": 0, "end": 2, "text": "a b", "speaker": "S0", "words": WORDS}
RTTM = b"SPEAKER mix 1 0.00 5.29 <NA> <NA> FEE016 <NA> <NA>\nSPEAKER mix 1 2.59 0.36 <NA> <NA> FEE013 <NA> <NA>\n"


def _qmsum_spans(spans: object) -> str:
    turns = [{"speaker": "A", "content": "We keep bees on the roof."}]
    text = json.dumps({"meeting_transcripts": turns, "topic_list": [{"topic": "Bees", "relevant_text_span": spans}]})
    return text.replace("Infinity", "1e400")


# (file name, content, phrases the message must hold, whether the format is unknown rather than broken)
BAD: list[tuple[str, bytes, tuple[str, ...], bool]] = [
    ("cut.json", WHISPER[: len(WHISPER) // 2].encode(), ("invalid JSON", "line ", "cut short"), False),
    ("broken.json", b'{"segments": [{"start": 1, }]}', ("invalid JSON", "line 1, column"), False),
    ("empty.srt", b"", ("empty",), False),
    ("blank.srt", b"\n\n  \n", ("empty",), False),
    ("binary.vtt", b"WEBVTT\x00\x01\x02\x00" * 20, ("binary",), False),
    ("latin1.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nCaf\xe9\n".encode("latin-1"), ("not UTF-8", "line 4"), False),
    (
        "seconds.vtt",
        (VTT_HEAD + "00:00:03.000 --> 00:00:75.000\nNo.\n").encode(),
        ("seconds must be below 60", "line 6", "cue 2"),
        False,
    ),
    (
        "minutes.vtt",
        (VTT_HEAD + "00:60:00.000 --> 01:00:01.000\nNo.\n").encode(),
        ("minutes must be below 60", "line 6"),
        False,
    ),
    (
        "backwards.srt",
        b"1\n00:00:05,000 --> 00:00:09,000\nOne\n\n2\n00:00:12,000 --> 00:00:10,000\nTwo\n",
        ("before it starts", "line 6, cue 2"),
        False,
    ),
    (
        "notime.srt",
        b"1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\nTwo\n",
        ("without a timing line", "line 5, cue 2"),
        False,
    ),
    (
        "bad.sbv",
        b"0:00:01.000,0:00:02.000\nOne\n\n0:00:03.000,0:00:9x.000\nTwo\n",
        ("timing line", "line 4, cue 2"),
        False,
    ),
    ("nocues.vtt", b"WEBVTT\n\nNOTE only a note\n", ("no WebVTT cues",), False),
    ("loose.vtt", (VTT_HEAD + "Text with no timing line\n").encode(), ("without a timing line", "line 6"), False),
    (
        "seg.json",
        json.dumps({"language": "en", "segments": SEGMENTS}).encode(),
        ("before it starts", "segments[1]"),
        False,
    ),
    (
        "word.json",
        json.dumps({"segments": [ALIGNED], "word_segments": []}).encode(),
        ("segments[0].words[1]", "numbers"),
        False,
    ),
    (
        "events.json3",
        json.dumps({"events": [{"tStartMs": -40, "segs": [{"utf8": "hi"}]}]}).encode(),
        ("negative", "events[0]"),
        False,
    ),
    (
        "nan.json",
        b'[{"i": 0, "speaker": "A", "text": "hi", "start": NaN, "end": 2}]',
        ("'start' must be a number", "segment 0"),
        False,
    ),
    (
        "infinite.json",
        json.dumps({"segments": [{"start": 0, "end": 1e400, "text": "Hi.", "speaker": "A"}]}).encode(),
        ("'end' must be a number", "segments[0]"),
        False,
    ),
    (
        "acts.json",
        json.dumps(
            [{"speaker": "A", "starttime": i, "endtime": i + 1, "text": "yes"} for i in range(60)] + ["oops"]
        ).encode(),
        ("dialogue act must be an object", "[60]"),
        False,
    ),
    (
        "signed.vtt",
        (VTT_HEAD.replace("00:00:01.000", "-1:00:00.000", 1)).encode(),
        ("not a timestamp",),
        False,
    ),
    ("times.tsv", b"start\tend\ttext\n0\t900\tFine\nsoon\t1200\tNo\n", ("milliseconds", "line 3"), False),
    (
        "stamp.txt",
        b"Ana: [00:00:05] Hello.\nBo: [00:01:75] Hi.\nAna: Fine.\n",
        ("seconds must be below 60", "line 2"),
        False,
    ),
    (
        "order.txt",
        b"[00:05:00] Ana: Hello.\n[00:01:00] Bo: Hi.\n[00:06:00] Ana: Fine.\nBo: Ok.\n",
        ("time goes backwards", "line 2"),
        False,
    ),
    # Values of the wrong type or out of range (issue 16): refused by name, never a TypeError,
    # KeyError or OverflowError.
    *[
        (f"span-{n}.json", _qmsum_spans(span).encode(), (phrase, "topic_list[0].relevant_text_span"), False)
        for n, (span, phrase) in enumerate(
            [(3.5, "got float"), (True, "got bool"), ([{"a": 1}], "[first, last]"), ([[1e400, 2]], "whole number")]
        )
    ],
    (
        "huge-word.json",
        json.dumps({"segments": [{**ALIGNED, "words": [{**WORDS[0], "end": 2**70}]}], "word_segments": []}).encode(),
        ("segments[0].words[0]", "between 0 and"),
        False,
    ),
    (
        "huge-int.json",
        b'{"segments": [{"start": 0, "end": 1' + b"0" * 400 + b', "text": "Hi.", "speaker": "A"}]}',
        ("'end' is out of range", "segments[0]"),
        False,
    ),
    (
        "huge-ms.json3",
        json.dumps({"events": [{"tStartMs": 10**21, "segs": [{"utf8": "hi"}]}]}).encode(),
        ("out of range", "events[0]"),
        False,
    ),
    ("huge-hours.srt", b"1\n999999999:00:00,000 --> 999999999:00:01,000\nOne\n", ("impossible time",), False),
    ("huge.tsv", b"start\tend\ttext\n0\t" + b"9" * 30 + b"\tNo\n", ("impossible time", "line 2"), False),
    ("speakers.rttm", RTTM, ("speaker timings only, no words",), False),
    ("numbers.csv", b"1,2,3\n4,5,6\n7.5,8,9\n", ("unknown format", "too few words"), True),
    ("other.json", json.dumps({"rows": [1, 2, 3], "ok": True}).encode(), ("unknown format", "JSON", "rows"), True),
    (
        "page.html",
        b"<!doctype html><html><body><p>Hello there, friends.</p></body></html>",
        ("unknown format", "HTML"),
        True,
    ),
    ("random.bin", bytes(range(128, 256)) * 8, ("not UTF-8",), False),
]


@pytest.mark.parametrize(("name", "content", "phrases", "unknown"), BAD, ids=[b[0] for b in BAD])
def test_bad_file_raises_one_error_naming_file_problem_and_place(
    tmp_path: Path, name: str, content: bytes, phrases: tuple[str, ...], unknown: bool
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_path(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for phrase in phrases:
        assert phrase in message, message
    assert isinstance(caught.value, UnknownFormatError) == unknown
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nowhere.vtt")


def test_plain_words_stay_readable_as_captions(tmp_path: Path) -> None:
    # The fallback is for text of words; "[Music]" at the start is not JSON.
    path = tmp_path / "notes.txt"
    path.write_text("[Music]\nso we started the engine\nand drove off\n", encoding="utf-8")
    assert read_path(path).format == "caption-text"


def test_cli_reports_each_bad_file_once_and_imports_the_good_ones(cli: Callable[..., Result], tmp_path: Path) -> None:
    bad = []
    for name, content, _, _ in BAD[:12] + BAD[-4:]:
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        bad.append(path)
    missing = tmp_path / "in" / "missing.srt"
    good = [FIXTURES / "interview.vtt", FIXTURES / "edge_document.md"]
    assert cli("add", str(FIXTURES / "interview.srt")).exit_code == 0
    before = json.loads(cli("sources", "--json").stdout)

    only_bad = cli("add", *map(str, [*bad, missing]))
    assert only_bad.exit_code != 0
    assert json.loads(cli("sources", "--json").stdout) == before

    result = cli("add", str(good[0]), *map(str, bad), str(missing), str(good[1]), "--json")
    assert result.exit_code != 0
    lines = result.stderr.strip().split("\n")
    assert len(lines) == len(bad) + 1
    for path, line in zip([*bad, missing], lines, strict=True):
        assert line.startswith(f"onrecord: error: {path}: "), line
    assert "Traceback" not in result.output
    added = json.loads(result.stdout)["sources"]
    assert [s["format"] for s in added] == ["webvtt", "markdown"]
    after = json.loads(cli("sources", "--json").stdout)["sources"]
    assert len(after) == len(before["sources"]) + 2
