"""Plugin loading shared by every hook: the built-in modules first, then installed entry points.

Core features register the way a third party would: each built-in module defines a
module-level object, listed by module name in its hook's defaults; a plugin package
declares an entry point in the hook's group. Nothing is loaded until a registry is asked.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import Any

from onrecord.errors import ConfigError


def load(defaults: Sequence[str], attribute: str, group: str) -> dict[str, Any]:
    """Every plugin by its `name`: each default module's `attribute`, then each entry point of
    `group` (a plugin never replaces a built-in of the same name)."""
    found: dict[str, Any] = {}
    for module_name in defaults:
        plugin = getattr(importlib.import_module(module_name), attribute)
        found[plugin.name] = plugin
    for ep in entry_points(group=group):
        plugin = ep.load()
        found.setdefault(plugin.name, plugin)
    return found


def named(found: dict[str, Any], name: str, setting: str, kind: str) -> Any:
    """The plugin called `name` among `found`, or a ConfigError naming `setting` and listing them."""
    if name not in found:
        known = ", ".join(sorted(found))
        raise ConfigError(f"{setting}: unknown {kind} {name!r} (available: {known})")
    return found[name]
