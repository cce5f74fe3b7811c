"""What the reader tests share: the fixture folder, the interview they render, a bag of words."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def fixture_module(name: str) -> ModuleType:
    """A module of the fixtures folder (interview.py, make_fixtures.py), imported by path."""
    if str(FIXTURES) not in sys.path:
        sys.path.insert(0, str(FIXTURES))
    spec = importlib.util.spec_from_file_location(f"readers_fixture_{name}", FIXTURES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bag(text: str) -> Counter[str]:
    """Words without case, punctuation or caption markup (">>")."""
    words = (re.sub(r"[^\w']", "", token.lower()).strip("'") for token in text.replace(">>", " ").split())
    return Counter(word for word in words if word)


def difference(a: Counter[str], b: Counter[str]) -> int:
    """How many words one bag has that the other lacks, both ways."""
    return sum(((a - b) + (b - a)).values())
