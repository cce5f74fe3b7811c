"""The owner's token: what lets the owner, and nobody in the audience, see the owner pages.

The token is `[serve] owner_token` in onrecord.toml when set, else a random one that
`onrecord token` keeps in the workspace file `owner-token` (readable by its user only).
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from onrecord.errors import ConfigError
from onrecord.workspace import Workspace

TOKEN_FILE = "owner-token"


def _path(workspace: Workspace) -> Path:
    return workspace.root / TOKEN_FILE


def _write(path: Path, token: str) -> None:
    # Created with mode 0600 from the start, never world-readable for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(token + "\n")


def token(workspace: Workspace) -> str | None:
    """The owner token in force, or None when there is none yet."""
    configured = workspace.settings.serve.owner_token
    if configured is not None:
        return configured.get_secret_value()
    path = _path(workspace)
    if path.exists():
        return path.read_text(encoding="utf-8").strip() or None
    return None


def ensure_token(workspace: Workspace, *, new: bool = False) -> str:
    """The owner token, made (or with `new`, replaced) in the workspace when needed."""
    if workspace.settings.serve.owner_token is not None:
        if new:
            raise ConfigError("the owner token is set in onrecord.toml ([serve] owner_token): change it there")
        return workspace.settings.serve.owner_token.get_secret_value()
    current = None if new else token(workspace)
    if current is None:
        current = secrets.token_urlsafe(32)
        _write(_path(workspace), current)
    return current


def matches(expected: str | None, given: str | None) -> bool:
    """Whether `given` is the owner token (compared in constant time)."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
