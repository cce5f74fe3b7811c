"""show --as md|txt|vtt|srt: documents for people, captions that players (and parsers) accept."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import srt
import webvtt
from click.testing import Result

from onrecord.errors import InputError
from onrecord.export import export
from onrecord.export.captions import MAX_CUE_CHARS, cues
from onrecord.model import Chapter, Source, Speaker, Transcript, Turn
from onrecord.repair import sentences

Run = Callable[..., Result]
FIXTURES = Path(__file__).parent / "fixtures" / "export"
TIMED = FIXTURES / "bakery_timed.json"
NAMES = {"Speaker 1": "Ada Host", "Speaker 2": "Rosa Lind"}


def _add(cli: Run, path: Path) -> str:
    args = ["add", str(path), "--json", "--url", "https://example.org/bakery"]
    for label, name in NAMES.items():
        args += ["--speaker", f"{label}={name}"]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["sources"][0]["id"])


def _shown(cli: Run, source_id: str, as_: str) -> str:
    result = cli("show", source_id, "--as", as_)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _turns(cli: Run, source_id: str) -> list[dict[str, object]]:
    return list(json.loads(_shown(cli, source_id, "json"))["turns"])


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _words(text: str) -> list[str]:
    return text.split()


def test_vtt_parses_back_with_voices_and_every_word(cli: Run) -> None:
    source_id = _add(cli, TIMED)
    turns = _turns(cli, source_id)
    parsed = webvtt.from_string(_shown(cli, source_id, "vtt"))
    captions = list(parsed)
    assert captions
    assert {c.voice for c in captions} == set(NAMES.values())
    said = [w for c in captions for w in _words(html.unescape(c.text))]
    assert said == [w for t in turns for w in _words(str(t["text"]))]
    # Each cue's voice is the speaker of the turn its words come from.
    by_turn = [(str(t["speaker"]), w) for t in turns for w in _words(str(t["text"]))]
    assert [(c.voice, w) for c in captions for w in _words(html.unescape(c.text))] == by_turn


def test_srt_parses_back_with_speaker_prefixes_and_every_word(cli: Run) -> None:
    source_id = _add(cli, TIMED)
    turns = _turns(cli, source_id)
    subtitles = list(srt.parse(_shown(cli, source_id, "srt")))
    assert [s.index for s in subtitles] == list(range(1, len(subtitles) + 1))
    said: list[tuple[str, str]] = []
    for subtitle in subtitles:
        speaker, sep, text = subtitle.content.partition(": ")
        assert sep and speaker in NAMES.values()
        said += [(speaker, w) for w in _words(text)]
    assert said == [(str(t["speaker"]), w) for t in turns for w in _words(str(t["text"]))]


@pytest.mark.parametrize("as_", ["vtt", "srt"])
def test_cues_are_short_ordered_and_inside_their_turns(cli: Run, as_: str) -> None:
    source_id = _add(cli, TIMED)
    turns = _turns(cli, source_id)
    text = _shown(cli, source_id, as_)
    if as_ == "vtt":
        captions = list(webvtt.from_string(text))
        timed = [(_seconds(c.start), c.text) for c in captions]
        ends = [_seconds(c.end) for c in captions]
        bodies = [html.unescape(body) for _, body in timed]
    else:
        subtitles = list(srt.parse(text))
        timed = [(s.start.total_seconds(), s.content) for s in subtitles]
        ends = [s.end.total_seconds() for s in subtitles]
        bodies = [s.content.partition(": ")[2] for s in subtitles]
    starts = [start for start, _ in timed]
    assert starts == sorted(starts)
    assert all(end > start for start, end in zip(starts, ends, strict=True))
    first = min(float(str(t["start"])) for t in turns)
    last = max(float(str(t["end"])) for t in turns)
    assert first <= starts[0] and ends[-1] <= last
    for body in bodies:
        assert len(body.split("\n")) <= 2
        assert len(body.replace("\n", " ")) <= MAX_CUE_CHARS
    # The long second turn is cut into several cues.
    assert len(bodies) > sum(1 for _ in turns)


def test_vtt_escapes_what_would_break_a_cue(cli: Run) -> None:
    text = _shown(cli, _add(cli, TIMED), "vtt")
    body = text.split("\n\n", 2)[2]
    assert "-->" not in body.replace(" --> ", "")
    assert "&lt;2" in body and "&amp;" in body


def test_captions_of_an_untimed_source_are_refused(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("We opened the first shop in May.\nIt rained all day.\n", encoding="utf-8")
    result = cli("add", str(path), "--json")
    source_id = json.loads(result.stdout)["sources"][0]["id"]
    for as_ in ("vtt", "srt"):
        refused = cli("show", source_id, "--as", as_)
        assert refused.exit_code == InputError.exit_code
        assert "no timings" in refused.stderr and "--as md or txt" in refused.stderr
        assert refused.stdout == ""
    assert "We opened the first shop in May." in _shown(cli, source_id, "txt")


def test_word_timed_sentences_give_their_own_times() -> None:
    text = "I baked bread. Then I sold it."
    anchors = [(m.start(), 10.0 + 0.5 * n) for n, m in enumerate(re.finditer(r"\S+", text))]
    turn = Turn("Speaker 2", text, start=10.0, end=13.5, anchors=anchors)
    turn.sentences = sentences.split(text, anchors, turn_end=turn.end)
    source = _source(Transcript([turn], speakers=[Speaker("Speaker 2", "Rosa Lind")]))
    assert [(c.start, c.end, c.lines) for c in cues(source)] == [
        (10.0, 11.5, ["I baked bread."]),
        (11.5, 13.5, ["Then I sold it."]),
    ]


def _source(transcript: Transcript, url: str | None = "https://example.org/ep1") -> Source:
    return Source(id="abc123", title="The bakery *story*", format="test", sha256="0", transcript=transcript, url=url)


def _documented() -> Source:
    """A cold open, then two chapters; speakers named or not."""
    turns = [
        Turn("A", "Ovens are hard to buy.", start=0.0, end=2.0, teaser=True),
        Turn("B", "We nearly closed!", start=2.0, end=3.5, teaser=True),
        Turn("A", "Welcome to the show.", start=5.0, end=7.0),
        Turn("B", "Thanks for having me.", start=7.0, end=9.0),
        Turn("A", "# 1. How did it start? Use *flour_power* <now>.", start=65.0, end=70.0),
        Turn("B", "- In my kitchen.", start=3725.0, end=3730.0),
    ]
    chapters = [Chapter("Intro", 2, 5.0), Chapter("Beginnings", 4, 65.0)]
    return _source(Transcript(turns, chapters, [Speaker("A", "Ada Host"), Speaker("B")]))


def test_markdown_has_title_link_cold_open_chapters_and_stamped_turns() -> None:
    md = export(_documented(), "md")
    lines = md.split("\n")
    assert lines[0] == "# The bakery \\*story\\*"
    assert "Source: <https://example.org/ep1>" in lines
    order = [
        "## Cold open",
        "**Ada Host** [00:00:00]",
        "**B** [00:00:02]",
        "## Intro",
        "**Ada Host** [00:00:05]",
        "## Beginnings",
        "**Ada Host** [00:01:05]",
        "**B** [01:02:05]",
    ]
    positions = [lines.index(line) for line in order]
    assert positions == sorted(positions)
    # Turn text follows its speaker line; what Markdown would read as markup is escaped.
    assert lines[lines.index("**Ada Host** [00:01:05]") + 1] == (
        "\\# 1. How did it start? Use \\*flour\\_power\\* \\<now\\>."
    )
    assert lines[lines.index("**B** [01:02:05]") + 1] == "\\- In my kitchen."


def test_markdown_closes_a_cold_open_that_no_chapter_follows() -> None:
    source = _documented()
    source.transcript.chapters = []
    lines = export(source, "md").split("\n")
    assert lines.index("## Cold open") < lines.index("---") < lines.index("**Ada Host** [00:00:05]")


def test_markdown_without_times_or_link() -> None:
    transcript = Transcript([Turn("Author", "A plain note.")], speakers=[Speaker("Author")])
    md = export(_source(transcript, url=None), "md")
    assert "Source:" not in md and "**Author**\nA plain note." in md


def test_text_is_speaker_lines_with_chapter_lines() -> None:
    source = _documented()
    lines = export(source, "txt").split("\n")
    assert lines[:2] == ["The bakery *story*", "https://example.org/ep1"]
    spoken = [line for line in lines if ": " in line]
    assert spoken == [f"{source.transcript.speaker_name(t.speaker)}: {t.text}" for t in source.transcript.turns]
    assert lines.index("== Cold open ==") < lines.index("== Intro ==") < lines.index("== Beginnings ==")
    assert lines.index("== Beginnings ==") < lines.index("Ada Host: # 1. How did it start? Use *flour_power* <now>.")


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError):
        export(_documented(), "docx")
