"""Opening an input file before any reader sees it: refused by type and size before it is read,
and by its longest line and word count before it is parsed and repaired ([input] settings)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from onrecord.config import InputSettings
from onrecord.errors import InputError
from onrecord.model import Reading

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def load(path: Path, limits: InputSettings | None = None) -> bytes:
    """The bytes of the regular file `path`; InputError naming it when it is something else
    (a device, a FIFO, a dangling link), larger than `limits.max_file_bytes`, or unreadable."""
    limits = limits or InputSettings()
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; its type is refused below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(
                f"dangling symbolic link (to {os.readlink(path)}, which does not exist)", path=path
            ) from None
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("symbolic link loop (the link leads back to itself)", path=path) from None
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        for is_kind, kind in _KINDS:
            if is_kind(info.st_mode):
                raise InputError(f"is {kind}, not a file", path=path)
        if info.st_size > limits.max_file_bytes:
            raise InputError(
                f"the file is {_megabytes(info.st_size)}; the largest file onrecord imports is "
                f"{_megabytes(limits.max_file_bytes)} ([input] max_file_bytes in onrecord.toml)",
                path=path,
            )
        try:
            # One byte past the limit tells a file that grew since fstat.
            data = file.read(limits.max_file_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    if len(data) > limits.max_file_bytes:
        raise InputError(
            f"the file is larger than {_megabytes(limits.max_file_bytes)} ([input] max_file_bytes in onrecord.toml)",
            path=path,
        )
    return data


def check_lines(text: str, limits: InputSettings) -> None:
    """InputError when a line of `text` is longer than `limits.max_line_chars` (JSON is exempt)."""
    if len(text) <= limits.max_line_chars:
        return
    start = 0
    number = 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limits.max_line_chars:
            raise InputError(
                f"the line is {end - start:,} characters long; the longest line onrecord reads is "
                f"{limits.max_line_chars:,} ([input] max_line_chars in onrecord.toml)",
                where=f"line {number}",
            )
        start = end + 1
        number += 1


def check_words(reading: Reading, limits: InputSettings) -> None:
    """InputError when the file holds more than `limits.max_source_words` words."""
    count = 0
    for cue in reading.cues:
        count += len(cue.text.split())
        if count > limits.max_source_words:
            raise InputError(
                f"more than {limits.max_source_words:,} words in one source "
                "([input] max_source_words in onrecord.toml); split the file"
            )
