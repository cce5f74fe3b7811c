"""Citations over real HTTP: a quote from a source without times links to its turn in the
transcript page, and names its chapter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serve_support import cli, running, variant

FERRIES = Path(__file__).parent / "fixtures" / "web" / "night_ferries.md"
CARD = """
[agents.omar]
title = "Omar Haddad, night ferry captain"
speaks_as = ["Omar Haddad"]
sources = ["Night ferries"]
"""


@pytest.fixture(scope="module")
def timeless(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("timeless")
    # The interview with its [00:14] marks taken out: turns and chapters, and no times.
    text = re.sub(r"\\\[\d\d:\d\d\\\] ", "", FERRIES.read_text(encoding="utf-8"))
    assert "[0" not in text
    (folder / "ferries.md").write_text(text, encoding="utf-8")
    root = variant(served_workspace, folder / "ws", "rate_limit = 0")
    with (root / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write(CARD)
    cli(root, "add", str(folder / "ferries.md"), "--title", "Night ferries")
    with running(root) as url:
        yield url


def test_a_quote_without_a_time_links_to_its_turn_and_names_its_chapter(timeless: str) -> None:
    answer = httpx.post(f"{timeless}/api/agents/omar/ask", json={"question": "When do you cancel a crossing?"}).json()
    assert answer["status"] == "answered" and answer["citations"]
    for citation in answer["citations"]:
        assert citation["start"] is None
        assert citation["url"] == f"{timeless}/sources/{citation['source']['id']}#turn-{citation['turn']}"
        page = httpx.get(citation["url"])
        assert page.status_code == 200 and f'id="turn-{citation["turn"]}"' in page.text
    assert "Weather and safety" in {c["chapter"] for c in answer["citations"]}


def test_the_openai_answer_lists_the_same_links(timeless: str) -> None:
    body = {"model": "omar", "messages": [{"role": "user", "content": "When do you cancel a crossing?"}]}
    completion = httpx.post(f"{timeless}/v1/chat/completions", json=body).json()
    text = completion["choices"][0]["message"]["content"]
    for citation in completion["citations"]:
        assert citation["url"] in text
    assert "(Weather and safety)" in text


def test_a_quote_with_a_time_keeps_its_moment(timeless: str) -> None:
    answer = httpx.post(f"{timeless}/api/agents/mara/ask", json={"question": "How do you keep the bees calm?"}).json()
    assert answer["citations"]
    assert all(
        c["start"] is not None and c["url"].startswith("https://video.example.org/") for c in answer["citations"]
    )
