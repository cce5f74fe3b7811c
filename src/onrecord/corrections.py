"""Owner corrections of an imported source: one turn's speaker, a split, a merge, its title, URL or date.

Each correction is checked against the stored transcript (a bad turn or sentence number,
an empty name: InputError, nothing changed), applied (`repair.edits`), and stored with the
transcript, the source's passages cut again and the edit itself, in one transaction. The
store refuses the write when the source changed since it was read (ConflictError), so two
processes never half-apply each other's work. The passages' vectors are made by the next
index update, for that source only (the CLI and the server run it at once). The edits are
kept beside the import: a new repair of the same file (`importer`, with `again`) gets them
applied once more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

from onrecord.errors import ConflictError, InputError
from onrecord.index import passages
from onrecord.model import Edit, Source, Transcript, Turn
from onrecord.repair import edits
from onrecord.store import Store


@dataclass(slots=True, frozen=True)
class Uncertain:
    """A turn whose speaker repair is not sure of."""

    index: int
    turn: Turn


def check_turn(source: Source, index: int) -> Turn:
    """Turn `index` of the source; InputError naming the range when there is none."""
    turns = source.transcript.turns
    if not 0 <= index < len(turns):
        raise InputError(f"source {source.id} has turns 0 to {len(turns) - 1}; there is no turn {index}", path="TURN")
    return turns[index]


def read(store: Store, source_id: str, revision: int | None = None) -> Source:
    """The stored source to correct; with `revision` (the one a page showed the owner),
    ConflictError when it has changed since, so a correction is never made blind."""
    source = store.get_source(source_id)
    if revision is not None and revision != source.revision:
        raise ConflictError(f"source {source_id} changed since this page was made; nothing was changed: reload it")
    return source


def set_speaker(store: Store, source_id: str, index: int, name: str, revision: int | None = None) -> Source:
    """Turn `index` was said by `name` (a speaker's label or name, or someone new)."""
    name = name.strip()
    if not name:
        raise InputError("the speaker's name is empty", path="NAME")
    source = read(store, source_id, revision)
    check_turn(source, index)
    first, last = _words_of(source.transcript, index)
    return _commit(store, source, Edit("speaker", {"first": first, "last": last, "speaker": name}))


def split_turn(store: Store, source_id: str, index: int, sentence: int, revision: int | None = None) -> Source:
    """Turn `index` becomes two: a new turn starts at its sentence `sentence` (counted from 0)."""
    source = read(store, source_id, revision)
    turn = check_turn(source, index)
    count = len(turn.sentences)
    if not 1 <= sentence < count:
        raise InputError(
            f"turn {index} has {count} sentence{'s' if count != 1 else ''}: a split goes at sentence 1 to {count - 1}"
            if count > 1
            else f"turn {index} has one sentence: there is nothing to split",
            path="--at",
        )
    first, _ = _words_of(source.transcript, index)
    at = first + len(turn.text[: turn.sentences[sentence].begin].split())
    return _commit(store, source, Edit("split", {"at": at}))


def merge_turn(store: Store, source_id: str, index: int, revision: int | None = None) -> Source:
    """Turn `index` and the turn after it become one turn, with turn `index`'s speaker."""
    source = read(store, source_id, revision)
    check_turn(source, index)
    if index + 1 >= len(source.transcript.turns):
        raise InputError(f"turn {index} is the last turn of source {source.id}: there is no next turn", path="TURN")
    at, _ = _words_of(source.transcript, index + 1)
    return _commit(store, source, Edit("merge", {"at": at}))


def edit_source(
    store: Store, source_id: str, *, title: str | None = None, url: str | None = None, date: str | None = None
) -> Source:
    """Change a source's title, URL or date (an empty URL or date clears it)."""
    changes: dict[str, str | None] = {}
    if title is not None:
        if not title.strip():
            raise InputError("the title is empty", path="--title")
        changes["title"] = title.strip()
    if url is not None:
        changes["url"] = check_url(url.strip()) if url.strip() else None
    if date is not None:
        changes["date"] = check_date(date.strip()) if date.strip() else None
    if not changes:
        raise InputError("nothing to change: give --title, --url or --date")
    source = store.get_source(source_id)
    return _commit(store, source, Edit("source", changes))


def check_url(url: str) -> str:
    if not re.match(r"https?://\S+$", url):
        raise InputError(f"not an http(s) URL: {url!r}", path="--url")
    return url


def check_date(value: str) -> str:
    try:
        Date.fromisoformat(value)
    except ValueError:
        raise InputError(f"not a date of the form YYYY-MM-DD: {value!r}", path="--date") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InputError(f"not a date of the form YYYY-MM-DD: {value!r}", path="--date")
    return value


def apply(source: Source, edit: Edit) -> None:
    """One edit applied to a source held in memory (its transcript, or its fields)."""
    if edit.kind == "source":
        for field, value in edit.data.items():
            if field in ("title", "url", "date"):
                setattr(source, field, value)
        return
    edits.apply(source.transcript, edit)


def reapply(source: Source, kept: list[Edit]) -> list[str]:
    """The owner's earlier edits applied over a new repair of the same file, in order; each
    that no longer applies is skipped and described in the list returned."""
    skipped = []
    for edit in kept:
        try:
            apply(source, edit)
        except InputError as exc:
            skipped.append(f"{edit.kind} edit of {edit.made or 'earlier'}: {exc.message}")
    return skipped


def uncertain(source: Source, bar: float) -> list[Uncertain]:
    """The turns whose speaker confidence is under `bar`, in order (cold-open turns too)."""
    return [Uncertain(i, turn) for i, turn in enumerate(source.transcript.turns) if turn.confidence < bar]


def _words_of(transcript: Transcript, index: int) -> tuple[int, int]:
    """(first word, one past the last word) of turn `index`, in the transcript's words."""
    first = edits.word_starts(transcript)[index]
    return first, first + len(transcript.turns[index].text.split())


def _commit(store: Store, source: Source, edit: Edit) -> Source:
    apply(source, edit)
    store.replace_transcript(source, passages.cut(source), edit)
    return source
