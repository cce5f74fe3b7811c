"""Import: files -> readers -> repair -> store, one source per file, one transaction each."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from onrecord import corrections
from onrecord.config import InputSettings
from onrecord.errors import InputError, OnrecordError, StoreError
from onrecord.index import passages
from onrecord.model import Source, Transcript
from onrecord.readers import load, read_bytes
from onrecord.repair import repair
from onrecord.store import SourceSummary, Store
from onrecord.text import clean_text


@dataclass(slots=True)
class ImportOptions:
    format: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    speakers: dict[str, str] = field(default_factory=dict)
    # A file imported before is repaired again (keeping its fields, names and the owner's
    # edits) instead of being skipped.
    again: bool = False
    # The workspace's [input] limits (largest file, longest line, most words).
    limits: InputSettings = field(default_factory=InputSettings)

    def __post_init__(self) -> None:
        # Command-line values may carry bytes that are not UTF-8 (as lone surrogates).
        self.title = clean_text(self.title) if self.title is not None else None
        self.speakers = {clean_text(label): clean_text(name) for label, name in self.speakers.items()}


@dataclass(slots=True)
class ImportReport:
    added: list[SourceSummary] = field(default_factory=list)
    # Files whose exact bytes were already imported, with the source they became.
    duplicates: list[tuple[Path, SourceSummary]] = field(default_factory=list)
    # Files repaired again (`again`), with the owner's edits that no longer applied.
    repaired: list[tuple[SourceSummary, list[str]]] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)
    # --speaker labels that no imported file had.
    unknown_labels: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unknown_labels


def parse_speaker(value: str) -> tuple[str, str]:
    """`LABEL=NAME` -> (label, name)."""
    label, sep, name = value.partition("=")
    if not sep or not label.strip() or not name.strip():
        raise InputError(f"expected LABEL=NAME, got {value!r}", path="--speaker")
    return label.strip(), name.strip()


def validate(options: ImportOptions) -> None:
    """Check the options that apply to every file before touching any."""
    if options.date is not None:
        corrections.check_date(options.date)
    if options.url is not None:
        corrections.check_url(options.url)


def expand(paths: Iterable[str | Path | InputError]) -> Iterator[Path | InputError]:
    """Files in argument order; a folder gives every entry inside it that is not a folder,
    sorted, hidden ones skipped (links that lead nowhere too: the reader refuses them by name).
    A folder with nothing to import gives an InputError in place of its files."""
    for raw in paths:
        if isinstance(raw, InputError):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                if child.is_dir() or any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                found = True
                yield child
            if not found:
                yield InputError("nothing to import: the folder holds no files", path=path)
        else:
            yield path


def _title(path: Path) -> str:
    return re.sub(r"[_-]+", " ", path.stem).strip() or path.name


@dataclass(slots=True)
class Imported:
    """What importing one file did: `status` is "added", "duplicate" (the same bytes were
    imported before, nothing changed) or "repaired" (imported before and, with `again`,
    repaired again; `skipped` says which of the owner's edits no longer applied)."""

    summary: SourceSummary
    labels: set[str]
    status: str
    skipped: list[str] = field(default_factory=list)


def import_file(store: Store, path: Path, options: ImportOptions) -> Imported:
    """Import one file. Raises InputError when the file cannot be read."""
    data = load(path, options.limits)
    data_hash = hashlib.sha256(data).hexdigest()
    existing = store.find_by_sha256(data_hash)
    if existing is not None and not options.again:
        return Imported(existing, set(store.speaker_names(existing.id)), "duplicate")
    reading = read_bytes(data, path, options.format, options.limits)
    del data
    transcript = repair(reading)
    if not transcript.turns:
        raise InputError("no text to import", path=path)
    if existing is not None:
        source, skipped = _repair_again(store, existing.id, transcript, options)
        summary = store.find_by_sha256(data_hash)
        assert summary is not None
        return Imported(summary, {s.label for s in source.transcript.speakers}, "repaired", skipped)
    for speaker in transcript.speakers:
        if speaker.label in options.speakers:
            speaker.name = options.speakers[speaker.label]
    source = Source(
        id=data_hash[:12],
        # A file name need not be UTF-8: what is stored is text.
        title=options.title or reading.title or clean_text(_title(path)),
        format=reading.format,
        sha256=data_hash,
        transcript=transcript,
        url=options.url,
        date=options.date,
        path=clean_text(str(path)),
        kind=reading.kind,
    )
    labels = {s.label for s in transcript.speakers}
    try:
        store.add_source(source, passages.cut(source))
    except StoreError:
        # Another import of the same bytes (a second `add` at the same time) stored it first.
        existing = store.find_by_sha256(data_hash)
        if existing is None:
            raise
        return Imported(existing, labels, "duplicate")
    summary = store.find_by_sha256(data_hash)
    assert summary is not None
    return Imported(summary, labels, "added")


def _repair_again(
    store: Store, source_id: str, transcript: Transcript, options: ImportOptions
) -> tuple[Source, list[str]]:
    """The stored source with `transcript` (a new repair of its file) in place of its own:
    its title, URL, date and speaker names kept (the options' win), the owner's edits
    applied again over it; one transaction, refused if the source changed meanwhile."""
    source = store.get_source(source_id)
    names = {s.label: s.name for s in source.transcript.speakers}
    for speaker in transcript.speakers:
        speaker.name = options.speakers.get(speaker.label, names.get(speaker.label))
    source.transcript = transcript
    skipped = corrections.reapply(source, store.edits(source_id))
    source.title = options.title or source.title
    source.url = options.url or source.url
    source.date = options.date or source.date
    store.replace_transcript(source, passages.cut(source))
    return source, skipped


def import_paths(
    store: Store,
    paths: Iterable[str | Path | InputError],
    options: ImportOptions,
    progress: Callable[[Path | InputError], None] | None = None,
) -> ImportReport:
    """Import every file; a bad file is reported and skipped, the others still import."""
    validate(options)
    report = ImportReport()
    seen_labels: set[str] = set()
    for path in expand(paths):
        if isinstance(path, InputError):
            report.failed.append(path)
            if progress is not None:
                progress(path)
            continue
        try:
            done = import_file(store, path, options)
        except InputError as exc:
            report.failed.append(exc.located(path))
        except OnrecordError as exc:
            report.failed.append(InputError(exc.message, path=path))
        else:
            if done.status == "added":
                report.added.append(done.summary)
            elif done.status == "repaired":
                report.repaired.append((done.summary, done.skipped))
            else:
                report.duplicates.append((path, done.summary))
            seen_labels.update(done.labels)
        if progress is not None:
            progress(path)
    report.unknown_labels = sorted(set(options.speakers) - seen_labels)
    return report


def name_speakers(store: Store, source_id: str, speakers: dict[str, str]) -> None:
    """Name speakers of an imported source (no re-import)."""
    for label, name in speakers.items():
        store.name_speaker(source_id, label, name)
