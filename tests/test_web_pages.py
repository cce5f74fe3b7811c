"""The server-rendered pages through the real app in process: transcripts, the chat page, escaping."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.model import Chapter, Source, Speaker, Transcript, Turn
from onrecord.serve import create_app
from onrecord.workspace import Workspace

SCRIPT = '<script>alert("from a transcript")</script>'

TURNS = [
    Turn("S1", "The first cut is the hardest one to make.", start=2.0, end=6.0, teaser=True),
    Turn("S0", "Welcome to the show. Who are you?", start=10.0, end=14.0),
    Turn("S1", f"I build boats. Someone once typed {SCRIPT} into our guest book.", start=14.0, end=30.5),
    Turn("S0", "And the first cut?", start=3700.0, end=3702.0),
    Turn("S1", "The first cut is the hardest one to make.", start=3702.0, end=3710.0),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("web-pages")
    with Workspace.init(root) as workspace:
        workspace.store.add_source(
            Source(
                id="boats01",
                title="Boats & <em>people</em>",
                format="webvtt",
                sha256="0" * 64,
                url="https://example.org/boats.mp3",
                transcript=Transcript(
                    turns=TURNS,
                    chapters=[Chapter("Cold <b>open</b>", 0, 2.0), Chapter("The workshop", 1, 10.0)],
                    speakers=[Speaker("S0", "Ida Host"), Speaker("S1", None)],
                ),
            )
        )
        workspace.store.add_source(
            Source(
                id="trap02",
                title="A trap",
                format="markdown",
                sha256="1" * 64,
                url="javascript:alert(1)",
                transcript=Transcript(turns=[Turn("A", "Nothing here.", start=1.0)]),
            )
        )
    config = root / "onrecord.toml"
    config.write_text(
        config.read_text()
        + '\n[agents.boats]\ntitle = "Boats <i>and</i> builders"\ndisclosure = "An AI, not a <b>person</b>."\n'
        + 'topics = ["boats", "wood"]\n'
    )
    with TestClient(create_app(root, warm=False)) as test_client:
        yield test_client


class _Page(HTMLParser):
    """The elements of a page by id, and every script element it has."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str | None]] = {}
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.assets: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "id" in found and found["id"] is not None:
            self.ids[found["id"]] = found
        if tag == "script":
            self.scripts.append(found)
            self.assets.append(str(found.get("src")))
        if tag in ("link", "img", "iframe") and (found.get("href") or found.get("src")):
            self.assets.append(str(found.get("href") or found.get("src")))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))


def test_transcript_page_has_an_anchor_per_turn_chapters_and_times(client: TestClient) -> None:
    response = client.get("/sources/boats01")
    assert response.status_code == 200
    page = _Page(response.text)
    assert [i for i in page.ids if i.startswith("turn-")] == [f"turn-{n}" for n in range(len(TURNS))]
    # Chapters link to their first turn; times read like a player's (past the hour too).
    assert page.links.count("#turn-1") >= 2
    assert "1:01:40" in response.text
    assert "0:14" in response.text
    assert "Ida Host" in response.text
    assert 'class="turn teaser" id="turn-0"' in response.text
    assert 'class="turn" id="turn-4"' in response.text
    assert "https://example.org/boats.mp3#t=14" in page.links


def test_text_from_sources_and_cards_is_escaped(client: TestClient) -> None:
    transcript = client.get("/sources/boats01").text
    assert _Page(transcript).scripts == []
    assert "&lt;script&gt;alert(&#34;from a transcript&#34;)&lt;/script&gt;" in transcript
    assert "Boats &amp; &lt;em&gt;people&lt;/em&gt;" in transcript
    assert "Cold &lt;b&gt;open&lt;/b&gt;" in transcript
    chat = client.get("/agents/boats").text
    assert "Boats &lt;i&gt;and&lt;/i&gt; builders" in chat
    assert "An AI, not a &lt;b&gt;person&lt;/b&gt;." in chat
    # The page runs only its own script file.
    assert [s.get("src") for s in _Page(chat).scripts] == ["/static/chat.js"]


def test_a_source_url_that_is_not_a_web_link_is_never_a_link(client: TestClient) -> None:
    page = _Page(client.get("/sources/trap02").text)
    assert not [href for href in page.links if "javascript" in href.lower()]


def test_pages_forbid_inline_scripts(client: TestClient) -> None:
    for path in ("/", "/agents/boats", "/sources/boats01", "/widget"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_chat_page_shows_title_disclosure_and_a_labelled_question_box(client: TestClient) -> None:
    page = _Page(client.get("/agents/boats").text)
    assert page.ids["conversation"]["data-agent"] == "boats"
    assert page.ids["log"]["aria-live"] == "polite"
    assert "question" in page.ids
    assert 'for="question"' in client.get("/agents/boats").text
    assert "Talks about: boats, wood" in client.get("/agents/boats").text
    assert page.ids["conversation"]["data-embed"] == "false"
    assert _Page(client.get("/agents/boats?embed=1").text).ids["conversation"]["data-embed"] == "true"


@pytest.mark.parametrize(
    ("path", "says"),
    [("/agents/nobody", "no agent named “nobody”"), ("/sources/nothing", "no source with id “nothing”")],
)
def test_unknown_agent_or_source_is_a_404_page(client: TestClient, path: str, says: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert says in response.text


def test_unknown_names_are_escaped_on_the_404_page(client: TestClient) -> None:
    response = client.get("/agents/%3Cscript%3Ex")
    assert response.status_code == 404
    assert _Page(response.text).scripts == []
    assert "&lt;script&gt;x" in response.text


def test_index_lists_agents_and_sources(client: TestClient) -> None:
    page = _Page(client.get("/").text)
    assert "/agents/boats" in page.links
    assert {"/sources/boats01", "/sources/trap02"} <= set(page.links)


def test_assets_are_served_here_and_nothing_else_is(client: TestClient) -> None:
    static = Path(__file__).parents[1] / "src" / "onrecord" / "serve" / "static"
    for path, kind in (("/static/style.css", "text/css"), ("/static/chat.js", "text/javascript")):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(kind)
        assert response.text == (static / path.rsplit("/", 1)[1]).read_text()
    widget = client.get("/widget.js")
    assert widget.status_code == 200 and "data-agent" in widget.text
    assert widget.headers["content-type"].startswith("text/javascript")
    # The button's title is filled in as an ASCII JSON literal: markup in it stays inert text.
    assert 'var TITLES = {"boats": "Boats <i>and</i> builders"};' in widget.text
    for bad in ("/static/..%2Fweb.py", "/static/web.py", "/static/nothing.css"):
        assert client.get(bad).status_code == 404


def test_widget_page_gives_the_snippet_for_each_agent(client: TestClient) -> None:
    text = client.get("/widget").text
    assert '&lt;script src="http://testserver/widget.js" data-agent="boats"&gt;&lt;/script&gt;' in text


def test_pages_load_assets_only_from_this_server(client: TestClient) -> None:
    for path in ("/", "/agents/boats", "/sources/boats01", "/widget"):
        assets = _Page(client.get(path).text).assets
        assert assets
        assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets), assets
