"""Writes docs/configuration.md from the settings model (onrecord/config.py), so the reference
cannot drift from the code.

Run: python scripts/config_docs.py  (tests/test_docs.py fails when docs/configuration.md is stale).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from onrecord import config

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"

# Each table of onrecord.toml: its heading, the model of its keys, and what it is for.
SECTIONS: list[tuple[str, type[BaseModel], str]] = [
    ("[store]", config.StoreSettings, "Where the workspace keeps its data."),
    ("[embedding]", config.EmbeddingSettings, "The embedding model of dense retrieval."),
    ("[input]", config.InputSettings, config.InputSettings.__doc__ or ""),
    ("[speakers]", config.SpeakerSettings, config.SpeakerSettings.__doc__ or ""),
    ("[rerank]", config.RerankSettings, config.RerankSettings.__doc__ or ""),
    ("[serve]", config.ServeSettings, config.ServeSettings.__doc__ or ""),
    ("[llm]", config.LLMSettings, (config.LLMSettings.__doc__ or "") + " The whole table is optional."),
    ("[rails]", config.RailsSettings, config.RailsSettings.__doc__ or ""),
    (
        "[rails.moderation]",
        config.ModerationSettings,
        (config.ModerationSettings.__doc__ or "") + " The whole table is optional.",
    ),
    ("[agents.NAME]", config.AgentCard, "An agent card: one table per agent; NAME is its model id and URL part."),
    ("[[agents.NAME.avoid]]", config.AvoidTopic, "A topic the agent stays away from, one table each."),
]


def _kind(field: FieldInfo) -> str:
    text = str(field.annotation).replace("typing.", "").replace("pydantic.types.", "").replace(" | None", "")
    for name in ("str", "int", "float", "bool"):
        text = text.replace(f"<class '{name}'>", name)
    text = text.replace("SecretStr", "str (secret)")
    if text.startswith("Literal["):
        text = "one of " + text[len("Literal[") : -1].replace("'", '"')
    bounds = [f"{sign} {getattr(m, attr)}" for m in field.metadata for attr, sign in _BOUNDS if hasattr(m, attr)]
    return ", ".join([text, *bounds])


_BOUNDS = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"), ("min_length", "length ≥"))


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        value: Any = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if isinstance(value, BaseModel) or value is None:
        return "unset" if value is None else ""
    return f"`{json.dumps(value)}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render() -> str:
    parts = [
        "# Configuration reference\n",
        "Generated from the settings model (`src/onrecord/config.py`) by `python scripts/config_docs.py`; "
        "do not edit by hand.\n",
        "A workspace's settings are one file, `onrecord.toml`, in the workspace folder (`onrecord init` "
        "writes one). Every key is optional unless marked required; an unknown key is an error that "
        "names its table and key. A secret (a password, an API key) is never a value here: a setting "
        "names the environment variable that holds it.\n",
    ]
    for heading, model, about in SECTIONS:
        rows = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
        for name, field in model.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
                continue
            rows.append(f"| `{name}` | {_cell(_kind(field))} | {_default(field)} | {_cell(field.description or '')} |")
        parts.append(f"## {heading}\n\n{_cell(about)}\n\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


if __name__ == "__main__":
    DOCS.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCS}")
