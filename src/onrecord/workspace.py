"""A workspace: a folder with onrecord.toml and the data store, opened lazily."""

from __future__ import annotations

from pathlib import Path

from onrecord import config
from onrecord.config import CONFIG_NAME, Settings
from onrecord.errors import ConfigError, NotFoundError
from onrecord.store import SQLiteStore, Store


class Workspace:
    """Settings and store of one workspace; the store opens on first use."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        self._store: Store | None = None

    @classmethod
    def open(cls, root: str | Path, *, create: bool = False) -> Workspace:
        """Open the workspace at `root`; with `create`, make it when it is missing."""
        root = Path(root)
        if not (root / CONFIG_NAME).exists():
            if not create:
                raise NotFoundError(f"{root}: not an onrecord workspace (no {CONFIG_NAME}); run `onrecord init`")
            return cls.init(root)
        return cls(root, config.load(root / CONFIG_NAME))

    @classmethod
    def init(cls, root: str | Path) -> Workspace:
        """Create a workspace at `root` (an existing one is left as it is)."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise ConfigError(f"{root}: exists and is not a folder")
        root.mkdir(parents=True, exist_ok=True)
        path = root / CONFIG_NAME
        if not path.exists():
            path.write_text(config.DEFAULT_TOML, encoding="utf-8")
        workspace = cls(root, config.load(path))
        _ = workspace.store  # opening the store creates it with its schema
        return workspace

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = SQLiteStore(self.root / self.settings.store.path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
