"""The one exception tree of onrecord, and the messages users see.

    OnrecordError                  any failure we expect and can explain (exit 1, HTTP 400)
    ├── InputError                 a file or value given to us is wrong: names it and where
    │   └── UnknownFormatError     no reader recognises the file
    ├── ConfigError                onrecord.toml is wrong: names the section and field
    ├── NotFoundError              a source, agent or speaker that does not exist (HTTP 404)
    └── StoreError                 the data store refused an operation
        └── ConflictError          someone else changed it meanwhile: nothing was written (HTTP 409)

The CLI turns these into one line on stderr and an exit code; the HTTP layer into a JSON
error with `http_status`. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class OnrecordError(Exception):
    """Root of every error onrecord raises on purpose."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(OnrecordError):
    """Bad input: `path` names the file (or field), `where` the line, cue or position."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, where: str | None = None) -> None:
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.where = where

    def __str__(self) -> str:
        parts = [p for p in (self.path, self.where) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message

    def located(self, path: str | Path) -> InputError:
        """The same error, naming `path` when it did not yet name a file."""
        if self.path is None:
            self.path = str(path)
        return self


class UnknownFormatError(InputError):
    """No reader recognised the content."""


class ConfigError(OnrecordError):
    """onrecord.toml (or a setting) is invalid."""

    exit_code = 3


class NotFoundError(OnrecordError):
    """A named thing does not exist in the workspace."""

    exit_code = 4
    http_status = 404


class StoreError(OnrecordError):
    """The data store could not do what was asked."""

    exit_code = 5
    http_status = 500


class ConflictError(StoreError):
    """Another writer changed the thing between our read and our write; nothing was written."""

    http_status = 409
