"""The service behind the app: snapshots, the answer cache, and the store changing under it."""

from __future__ import annotations

import json
from pathlib import Path

from onrecord.serve.service import Service, conversation_key
from onrecord.workspace import Workspace
from tests.serve_support import cli, eventually, variant

OPERA = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n<v Mara Quill>Two of my hives stand on the roof of the opera"
    " house in Oslo, just above the stage door, and the singers call them the chorus.\n"
)


def test_conversations_alike_but_for_case_and_spacing_share_a_key() -> None:
    key = conversation_key("mara", "How do  you keep bees?", ["Hello"], 7)
    assert key == conversation_key("mara", "how do you keep BEES?", [" hello "], 7)
    assert key != conversation_key("mara", "How do you keep bees?", ["Hello"], 8)
    assert key != conversation_key("other", "How do you keep bees?", ["Hello"], 7)
    assert key != conversation_key("mara", "How do you keep bees?", [], 7)


def test_an_answer_asked_again_comes_from_the_cache_until_the_store_changes(
    served_workspace: Path, tmp_path: Path
) -> None:
    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 0")
    service = Service(root)
    try:
        first = service.ask("mara", "How do you keep the bees calm?")
        again = service.ask("mara", "how do you keep the bees calm?")
        assert again is first and (service.hits, service.misses) == (1, 1)
        assert len(service.workspace.store.logged_questions()) == 2  # both asks are logged
        question = "Why are there hives on the roof of the opera house in Oslo?"
        assert service.ask("mara", question).status == "no_answer"
        talk = tmp_path / "opera.vtt"
        talk.write_text(OPERA, encoding="utf-8")
        cli(root, "add", str(talk), "--title", "Hive Talk")
        answered = eventually(lambda: service.ask("mara", question), lambda a: a.status == "answered")
        assert answered.status == "answered" and "opera" in answered.answer
    finally:
        service.close()


def test_the_server_embeds_what_was_imported_without_an_index(served_workspace: Path, tmp_path: Path) -> None:
    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 0")
    service = Service(root)
    try:
        service.warm()
        talk = tmp_path / "opera.vtt"
        talk.write_text(OPERA, encoding="utf-8")
        cli(root, "add", str(talk), "--title", "Hive Talk", "--no-index")
        question = "Why are there hives on the roof of the opera house in Oslo?"
        answered = eventually(lambda: service.ask("mara", question), lambda a: a.status == "answered")
        assert answered.status == "answered"
        assert service.workspace.pending_index() == 0
    finally:
        service.close()


def test_indexing_goes_on_when_a_source_is_removed_while_it_embeds(served_workspace: Path, tmp_path: Path) -> None:
    # `onrecord remove` in another process while `add` embeds: add finishes, the rest is indexed.
    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 0")
    talks = []
    for n in range(3):
        path = tmp_path / f"talk{n}.vtt"
        cues = ""
        for i in range(130):
            clock = f"{i // 60:02d}:{i % 60:02d}"
            voice = ("Mara Quill", "Host")[i % 2]
            cues += (
                f"{clock}:00.000 --> {clock}:09.000\n<v {voice}>Hive {i} of talk {n} stands on the roof of hall {i}."
                " Its bees fly over the river to the lime trees in the park, and back by dusk.\n\n"
            )
        path.write_text(f"WEBVTT\n\n{cues}", encoding="utf-8")
        talks.append(path)
    added = json.loads(cli(root, "add", *map(str, talks), "--no-index", "--json"))["sources"]
    with Workspace.open(root) as workspace, Workspace.open(root) as other:
        removed = []

        def remove_one(_: int) -> None:
            # After the first chunk of passages is embedded (the last source is in a later one).
            if not removed:
                removed.append(added[-1]["id"])
                other.store.remove_source(added[-1]["id"])

        pending = workspace.pending_index()
        assert pending > 256  # more than one chunk
        report = workspace.update_index(progress=remove_one)
        assert removed and report.embedded == pending
        assert workspace.pending_index() == 0
        assert added[-1]["id"] not in {s.id for s in workspace.store.sources()}
