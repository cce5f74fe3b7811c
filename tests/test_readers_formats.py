"""Each reader on the shapes its format takes in the wild (fixtures and small inline files)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from onrecord.model import Cue, Reading
from onrecord.readers import detect, read_bytes, read_path, registry
from onrecord.repair import repair
from tests.readers_support import FIXTURES, bag, fixture_module

interview = fixture_module("interview")


def read_text(text: str, name: str) -> Reading:
    return read_bytes(text.encode("utf-8"), Path(name))


def speakers(reading: Reading) -> list[str | None]:
    return [cue.speaker for cue in reading.cues]


# WebVTT


def test_utf16_and_utf8_with_windows_line_ends_read_the_same() -> None:
    vtt = (
        "WEBVTT\r\n\r\n2\r\n00:00:01.000 --> 00:00:02.000\r\nHello there.\r\n\r\n"
        "3\r\n00:00:03.000 --> 00:00:04.000\r\nSecond cue.\r\n"
    )
    as_utf8 = read_bytes(vtt.encode("utf-8"), Path("a.vtt"))
    for encoding in ("utf-16", "utf-16-be"):
        data = vtt.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + vtt.encode(encoding)
        assert read_bytes(data, Path("a.vtt")).cues == as_utf8.cues
    assert [(c.text, c.start) for c in as_utf8.cues] == [("Hello there.", 1.0), ("Second cue.", 3.0)]


def test_vtt_edge_cases_bom_notes_style_region_no_hours_and_voices() -> None:
    reading = read_path(FIXTURES / "edge_no_hours_bom.vtt")
    assert reading.format == "webvtt"
    text = " ".join(cue.text for cue in reading.cues)
    for markup in ("NOTE", "Exported", "::cue", "REGION", "width", "intro", "q-1", "<", "&amp;", "region:"):
        assert markup not in text
    assert "soil & compost" in text
    assert speakers(reading) == ["Priya Nair", "Audience", "Priya Nair", "Dan Okafor", "Priya Nair", "Dan Okafor"]
    # Two voices in one cue share its times; a voice open over two lines keeps both lines.
    assert reading.cues[2].start == reading.cues[3].start == 6.1
    assert reading.cues[4].text == "Of course, go ahead, Dan. We have plenty of time."
    assert (reading.cues[-1].start, reading.cues[-1].end) == (60.0, 63.25)


def test_vtt_rolling_youtube_captions_keep_each_word_once() -> None:
    reading = read_path(FIXTURES / "interview_youtube_auto.vtt")
    raw = (FIXTURES / "interview_youtube_auto.vtt").read_text(encoding="utf-8")
    # The file shows most lines twice or three times; the reading has each once.
    assert sum(bag(raw.replace("<", " <").replace(">", "> ")).values()) > 2 * sum(bag(interview_text()).values())
    assert bag(" ".join(cue.text for cue in reading.cues)) == bag(interview_text())
    starts = [w.start for cue in reading.cues for w in cue.words or ()]
    assert starts == sorted(starts)


def interview_text() -> str:
    return " ".join(text for _, text in interview.TURNS)


def test_vtt_exported_without_blank_line_between_cues_and_inline_word_times() -> None:
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n"
        "00:00:02.000 --> 00:00:04.000\nthere<00:00:02.500><c> my</c><00:00:03.000><c> friend</c>\n"
    )
    reading = read_text(text, "a.vtt")
    assert [cue.text for cue in reading.cues] == ["hello", "there my friend"]
    words = reading.cues[1].words or []
    assert [(w.text, w.start, w.end) for w in words] == [("there", 2.0, 2.5), ("my", 2.5, 3.0), ("friend", 3.0, 4.0)]


def test_vtt_without_voice_tags_takes_names_written_in_the_text() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nANA: Ready?\n\n00:02.000 --> 00:03.000\nBEN: Yes.\n\n"
    text += "00:03.000 --> 00:04.000\nANA: Go.\n\n00:04.000 --> 00:05.000\nand keep going\n"
    assert speakers(read_text(text, "a.vtt")) == ["ANA", "BEN", "ANA", None]


def test_vtt_matches_webvtt_py_on_plain_files() -> None:
    # An independent parser as the oracle for the text and times of ordinary files.
    import webvtt

    theirs = webvtt.read(str(FIXTURES / "interview.vtt"))
    ours = read_path(FIXTURES / "interview.vtt")
    assert [(c.voice, c.text) for c in theirs] == [(c.speaker, c.text) for c in ours.cues]
    # webvtt-py reads the short-form times too (it leaves "&amp;" undecoded, so text is not compared).
    edge = webvtt.read(str(FIXTURES / "edge_no_hours_bom.vtt"))
    assert sorted({c.start_in_seconds for c in edge}) == sorted(
        {int(c.start or 0) for c in read_path(FIXTURES / "edge_no_hours_bom.vtt").cues}
    )


# SRT and SBV


def test_srt_speaker_prefixes_dashes_and_markup() -> None:
    reading = read_path(FIXTURES / "edge_speaker_prefixes.srt")
    assert reading.format == "srt"
    assert [(c.speaker, c.text) for c in reading.cues] == [
        (None, "[Music]"),
        ("JOHN", "So where were you on the night of the storm?"),
        ("JOHN", "Tell me."),
        ("LUCIA", "I was at home."),
        (None, "The radio was on. I heard the thunder."),  # {\an8}, <i> and a blank line inside the cue
        ("LUCIA", "Ask the neighbours."),  # [Lucia] and LUCIA: are one speaker
        (None, ">> Did you?"),  # dialogue dashes mark a change of voice
        (None, ">> No."),
        ("LUCIA", "Not yet."),
    ]
    assert reading.voice_markers


def test_srt_a_single_name_like_word_is_not_a_speaker() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nNote: the bridge is closed.\n\n"
    text += "2\n00:00:02,000 --> 00:00:03,000\nSo we walked.\n"
    reading = read_text(text, "a.srt")
    assert speakers(reading) == [None, None]
    assert reading.cues[0].text == "Note: the bridge is closed."


def test_srt_matches_the_srt_library_on_the_interview() -> None:
    import srt

    theirs = list(srt.parse((FIXTURES / "interview.srt").read_text(encoding="utf-8")))
    ours = read_path(FIXTURES / "interview.srt").cues
    assert [(s.start.total_seconds(), s.end.total_seconds()) for s in theirs] == [(c.start, c.end) for c in ours]


def test_sbv_reads_times_and_voice_markers() -> None:
    reading = read_path(FIXTURES / "interview.sbv")
    assert reading.format == "sbv" and reading.voice_markers
    assert reading.cues[0].start == 1.0
    assert sum(1 for cue in reading.cues if cue.text.startswith(">>")) == len(interview.TURNS)


# JSON formats


def test_whisperx_keeps_word_speakers_and_unaligned_numerals() -> None:
    reading = read_path(FIXTURES / "interview.whisperx.json")
    mixed = [cue for cue in reading.cues if len({w.speaker for w in cue.words or ()}) > 1]
    assert len(mixed) == 1  # the segment where a turn changes inside it
    assert mixed[0].speaker == "SPEAKER_00"
    assert {w.speaker for w in mixed[0].words or ()} == {"SPEAKER_00", "SPEAKER_01"}
    numerals = [w for cue in reading.cues for w in cue.words or () if w.text[:1].isdigit()]
    assert numerals and all(w.start is None for w in numerals)


def test_whisper_json_tsv_agree_on_segments() -> None:
    from_json = read_path(FIXTURES / "interview.whisper.json").cues
    from_tsv = read_path(FIXTURES / "interview.whisper.tsv").cues
    assert [(c.text, c.start, c.end) for c in from_json] == [(c.text, c.start, c.end) for c in from_tsv]


def test_json3_skips_line_breaks_and_window_events() -> None:
    doc = {
        "events": [
            {"tStartMs": 0, "dDurationMs": 9000, "id": 1, "wpWinPosId": 1},
            {
                "tStartMs": 500,
                "dDurationMs": 2000,
                "wWinId": 1,
                "segs": [{"utf8": "so"}, {"utf8": " we", "tOffsetMs": 400}],
            },
            {"tStartMs": 2400, "dDurationMs": 100, "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\n"}]},
            {"tStartMs": 2500, "dDurationMs": 1500, "segs": [{"utf8": "Manual caption, one seg."}]},
        ]
    }
    reading = read_text(json.dumps(doc), "captions.json")
    assert reading.format == "youtube-json3"
    assert [c.text for c in reading.cues] == ["so we", "Manual caption, one seg."]
    assert [(w.text, w.start, w.end) for w in reading.cues[0].words or ()] == [("so", 0.5, 0.9), ("we", 0.9, 2.5)]
    assert reading.cues[1].words is None


def test_diarized_list_and_segments_object_read_the_same() -> None:
    items = [
        {"start": 0.0, "end": 2.0, "speaker": "SPEAKER_00", "text": "Hello there."},
        {"start": 2.0, "end": 3.5, "speaker": "SPEAKER_01", "text": "Hi."},
    ]
    bare = read_text(json.dumps(items), "a.json")
    wrapped = read_text(json.dumps({"segments": items}), "b.json")
    assert bare.format == wrapped.format == "diarized-json"
    assert [(c.speaker, c.text) for c in bare.cues] == [(c.speaker, c.text) for c in wrapped.cues]


def test_qmsum_topics_become_chapters_through_repair() -> None:
    reading = read_path(FIXTURES / "interview.qmsum.json")
    assert reading.chapters == [(2, "How it started"), (10, "Trouble on the roof")]
    transcript = repair(reading)
    assert [c.title for c in transcript.chapters] == ["How it started", "Trouble on the roof"]
    assert all("How it started" not in turn.text for turn in transcript.turns)


def test_ami_dialogue_acts_are_sorted_by_time() -> None:
    acts = [
        {"id": "x.B.1", "speaker": "B", "starttime": "5.5", "endtime": "7.0", "text": "Right .", "label": "stl"},
        {"id": "x.A.1", "speaker": "A", "starttime": "2.0", "endtime": "5.0", "text": "Okay , shall we start ?"},
    ]
    reading = read_text(json.dumps(acts), "meeting.json")
    assert reading.format == "ami-json"
    assert [(c.speaker, c.start) for c in reading.cues] == [("A", 2.0), ("B", 5.5)]


def test_tinyrec_skips_screen_actions_and_keeps_topics() -> None:
    doc = {
        "meeting_id": "m1",
        "annotation": {"coarse": [[0, 1, "Intro"], [2, 3, "Demo"]]},
        "entries": [
            {"idx": 0, "kind": "utterance", "start": 0.0, "end": 2.0, "speaker": "Ana", "text": "Hi all."},
            {"idx": 1, "kind": "action", "type": "SHARING", "start": 2.0, "end": 3.0, "text": "Ana shared a window."},
            {"idx": 2, "kind": "utterance", "start": 3.0, "end": 6.0, "speaker": "Ana", "text": "Here is the demo."},
            {"idx": 3, "kind": "utterance", "start": 6.0, "end": 7.0, "speaker": "Bo", "text": "Nice."},
        ],
    }
    reading = read_text(json.dumps(doc), "session.json")
    assert reading.format == "tinyrec-json"
    assert [c.text for c in reading.cues] == ["Hi all.", "Here is the demo.", "Nice."]
    assert reading.chapters == [(0, "Intro"), (1, "Demo")]


def test_caption_segments_still_read_and_outrank_lookalike_lists() -> None:
    segments = [
        {"i": 0, "speaker": "Speaker 1", "text": "Hello >> hi"},
        {"i": 1, "speaker": "Speaker 2", "text": "Yes."},
    ]
    reading = read_text(json.dumps(segments), "seed.txt")
    assert reading.format == "caption-segments" and reading.voice_markers


# Named transcripts


def test_named_transcript_stamps_ends_and_continuations() -> None:
    reading = read_path(FIXTURES / "edge_named_mixed.txt")
    assert reading.format == "named-transcript"
    assert reading.cues[0].speaker is None  # an introduction before anyone speaks
    ruth = [c for c in reading.cues if c.speaker == "Ruth Adeyemi"]
    assert ruth[0].text.endswith("with a tone generator.")  # continuation lines join the turn
    assert ruth[0].start == 9 and ruth[0].end == 41  # ends where the next turn starts
    assert (ruth[2].start, ruth[2].text[:7]) == (70, "It fed ")  # "(01:10)" starts a timed paragraph
    assert reading.cues[-1].end is None


def test_named_transcript_markdown_podcast_style() -> None:
    text = (
        "**Ana Ruiz:** Welcome to the show. \\[laughter\\]\n\n"
        "**Bo Chen:** \\[00:01:05\\] Thanks. I *really* mean it.\n\n"
        "And a second paragraph.\n\n"
        "**Break**: \\[00:02:00\\]\n\n"
        "**Ana Ruiz:** \\[00:02:10\\] We're back.\n\n"
        "**Bo Chen:** Good.\n"
    )
    reading = read_text(text, "episode.md")
    assert reading.format == "named-transcript"
    assert [(c.speaker, c.text) for c in reading.cues] == [
        ("Ana Ruiz", "Welcome to the show. [laughter]"),
        ("Bo Chen", "Thanks. I really mean it."),
        ("Bo Chen", "And a second paragraph."),
        ("Ana Ruiz", "We're back."),
        ("Bo Chen", "Good."),
    ]
    assert reading.cues[1].start == 65 and reading.cues[2].end == 120  # the break ends the turn before it


def test_otter_export_names_and_times_on_their_own_line() -> None:
    reading = read_path(FIXTURES / "interview_otter.txt")
    assert reading.cues[1].speaker == interview.GUEST
    assert reading.cues[1].start is not None and reading.cues[0].end == reading.cues[1].start


# Documents


def test_markdown_document_title_chapters_lists_and_no_code() -> None:
    reading = read_path(FIXTURES / "edge_document.md")
    assert (reading.format, reading.kind) == ("markdown", "document")
    assert reading.title == "Keeping a Worm Bin in a Small Flat"
    assert [title for _, title in reading.chapters] == ["What you need", "Feeding"]
    texts = [cue.text for cue in reading.cues]
    assert "A few hundred red wigglers, from a local supplier." in texts
    assert not any("greens:" in t or "https://" in t or "**" in t or "|" in t for t in texts)
    first_of_feeding = reading.chapters[1][0]
    assert texts[first_of_feeding].startswith("Feed small amounts")


def test_markdown_chapters_reach_the_imported_source(cli: Callable[..., Result]) -> None:
    added = json.loads(cli("add", str(FIXTURES / "edge_document.md"), "--json").stdout)["sources"][0]
    assert added["chapters"] == 2 and added["title"] == "Keeping a Worm Bin in a Small Flat"
    shown = json.loads(cli("show", added["id"], "--as", "json").stdout)
    assert [c["title"] for c in shown["chapters"]] == ["What you need", "Feeding"]
    assert not any("What you need" in t["text"] for t in shown["turns"])


def test_a_heading_that_heads_nothing_is_no_chapter() -> None:
    text = "# Title\n\n## One\n\nFirst paragraph of text.\n\n## Two\n\nSecond one.\n\n## Dangling\n"
    reading = read_text(text, "a.md")
    assert [(c.title, c.turn) for c in repair(reading).chapters] == [("One", 0), ("Two", 1)]


def test_text_document_against_caption_text() -> None:
    document = read_path(FIXTURES / "edge_document.txt")
    assert (document.format, document.kind, document.title) == (
        "text-document",
        "document",
        "Notes on running a tool library",
    )
    assert document.chapters == [(2, "What we learned")]
    assert len(document.cues) == 4
    for name in ("edge_captions.txt", "interview.whisper.txt"):
        captions = read_path(FIXTURES / name)
        assert (captions.format, captions.kind) == ("caption-text", "speech"), name


def test_every_reader_is_registered_with_a_name_and_description() -> None:
    names = set(registry())
    assert {
        "webvtt", "srt", "sbv", "youtube-json3", "whisper-json", "whisper-tsv", "whisperx-json", "diarized-json",
        "named-transcript", "markdown", "text-document", "caption-text", "caption-segments", "qmsum-json",
        "ami-json", "tinyrec-json", "rttm",
    } <= names  # fmt: skip
    assert all(reader.description for reader in registry().values())


def test_suffix_only_breaks_ties() -> None:
    vtt = (FIXTURES / "interview.vtt").read_text(encoding="utf-8")
    assert detect(vtt, ".txt").name == "webvtt"
    whisper = (FIXTURES / "interview.whisper.json").read_text(encoding="utf-8")
    assert detect(whisper, ".srt").name == "whisper-json"


def test_cue_lines_point_into_the_file() -> None:
    reading = read_path(FIXTURES / "interview.srt")
    lines = (FIXTURES / "interview.srt").read_text(encoding="utf-8").split("\n")
    cue: Cue = reading.cues[5]
    assert cue.line is not None and lines[cue.line - 1].strip() == "6"


def test_a_cue_without_the_blank_line_before_it_keeps_its_number_out_of_the_text() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n2\n00:00:03,000 --> 00:00:04,000\nSecond cue.\n"
    vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello.\n2\n00:00:03.000 --> 00:00:04.000\nSecond cue.\n"
    for text, name in ((srt, "a.srt"), (vtt, "a.vtt")):
        cues = read_text(text, name).cues
        assert [(c.text, c.start) for c in cues] == [("Hello.", 1.0), ("Second cue.", 3.0)], name
