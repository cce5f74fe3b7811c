"""One interview exported by one tool in many formats imports to the same words and the same end time."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from onrecord.readers import read_path
from tests.readers_support import FIXTURES, bag, difference, fixture_module

interview = fixture_module("interview")
make_fixtures = fixture_module("make_fixtures")

EXPECTED_FORMAT = {
    "interview.vtt": "webvtt",
    "interview.srt": "srt",
    "interview.sbv": "sbv",
    "interview_youtube_auto.vtt": "webvtt",
    "interview.json3": "youtube-json3",
    "interview.whisper.json": "whisper-json",
    "interview.whisper.tsv": "whisper-tsv",
    "interview.whisper.txt": "caption-text",
    "interview.whisperx.json": "whisperx-json",
    "interview.diarized.json": "diarized-json",
    "interview_named.txt": "named-transcript",
    "interview_otter.txt": "named-transcript",
    "interview_podcast.md": "named-transcript",
    "interview.qmsum.json": "qmsum-json",
}
REFERENCE = bag(" ".join(text for _, text in interview.TURNS))
LAST_WORD_END = interview.timed_words()[-1][3]


def test_every_format_of_the_interview_is_covered() -> None:
    assert set(EXPECTED_FORMAT) == set(make_fixtures.INTERVIEW)


def test_committed_fixtures_are_what_the_generator_renders() -> None:
    for name, text in make_fixtures.render_all().items():
        assert (FIXTURES / name).read_text(encoding="utf-8") == text, f"{name} is stale: run make_fixtures.py"


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMAT))
def test_each_export_reads_to_the_interviews_words(name: str) -> None:
    reading = read_path(FIXTURES / name)
    assert reading.format == EXPECTED_FORMAT[name]
    words = bag(" ".join(cue.text for cue in reading.cues))
    assert difference(words, REFERENCE) <= 0.01 * sum(REFERENCE.values()), (words - REFERENCE, REFERENCE - words)
    if reading.cues[-1].end is not None:  # named transcripts stamp starts only
        assert abs(reading.cues[-1].end - LAST_WORD_END) <= 2.0


def test_the_exports_import_to_the_same_words_and_end_through_the_cli(cli: Callable[..., Result]) -> None:
    names = sorted(EXPECTED_FORMAT)
    result = cli("add", *(str(FIXTURES / name) for name in names), "--json")
    assert result.exit_code == 0, result.stderr
    sources = json.loads(result.stdout)["sources"]
    assert [s["format"] for s in sources] == [EXPECTED_FORMAT[name] for name in names]
    total = sum(REFERENCE.values())
    for name, source in zip(names, sources, strict=True):
        shown = json.loads(cli("show", source["id"], "--as", "json").stdout)
        assert difference(bag(" ".join(t["text"] for t in shown["turns"])), REFERENCE) <= 0.01 * total, name
        last = shown["turns"][-1]
        if last["end"] is not None:
            assert abs(last["end"] - LAST_WORD_END) <= 2.0, name


def test_formats_with_speakers_name_the_same_two_people_in_the_same_order() -> None:
    expected = [speaker for speaker, _ in interview.TURNS]
    for name in ("interview.vtt", "interview_named.txt", "interview_otter.txt", "interview_podcast.md"):
        reading = read_path(FIXTURES / name)
        turns = [cue.speaker for cue in reading.cues]
        collapsed = [s for n, s in enumerate(turns) if n == 0 or turns[n - 1] != s]
        assert collapsed == expected, name
    # Formats that label speakers by diariser id or first name still alternate the same way.
    for name in ("interview.srt", "interview.diarized.json", "interview.qmsum.json"):
        turns = [cue.speaker for cue in read_path(FIXTURES / name).cues if cue.speaker]
        collapsed = [s for n, s in enumerate(turns) if n == 0 or turns[n - 1] != s]
        assert len(collapsed) == len(expected), name
        assert len(set(collapsed)) == 2, name


def test_word_timings_match_the_interview_clock() -> None:
    clock = [(word, start) for _, word, start, _ in interview.timed_words()]
    for name in ("interview.json3", "interview_youtube_auto.vtt", "interview.whisper.json"):
        words = [w for cue in read_path(FIXTURES / name).cues for w in cue.words or ()]
        assert len(words) == len(clock), name
        for word, (expected_word, expected_start) in zip(words, clock, strict=True):
            assert bag(word.text) == bag(expected_word)
            assert word.start is not None and abs(word.start - expected_start) < 0.002, (name, word)
            assert word.end is not None and word.end > word.start


def test_paths_in_tests_are_relative_to_the_fixture_folder() -> None:
    assert Path(FIXTURES / "interview.vtt").is_file()
