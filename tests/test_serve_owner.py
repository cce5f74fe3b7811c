"""The owner's side over real HTTP and the CLI: the token, the question log, insights."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from onrecord.cli import main
from tests.serve_support import cli, running, variant

QUESTIONS = [
    "How do you keep the bees calm?",
    "How do you keep your bees calm when you open the hive?",
    "What do you do about varroa mites?",
    "Are you married?",
    "What do you think about electric cars?",
    "Mail me at ana.b@example.org or call +1 (555) 123-4567: what do you charge for honey?",
    "<script>alert('owned')</script> what about the smoker?",
]


@pytest.fixture(scope="module")
def owned(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A served workspace that has been asked QUESTIONS, and its folder."""
    root = variant(served_workspace, tmp_path_factory.mktemp("owned") / "ws", "rate_limit = 0")
    with running(root) as url:
        for question in QUESTIONS:
            assert httpx.post(f"{url}/api/agents/mara/ask", json={"question": question}).status_code == 200
        yield url, root


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_needed_and_checked(owned: tuple[str, Path]) -> None:
    url, root = owned
    path = f"{url}/api/owner/insights"
    if not (root / "owner-token").exists():
        none_yet = httpx.get(path)
        assert none_yet.status_code == 401 and none_yet.json()["error"]["code"] == "no_owner_token"
    token = cli(root, "token").strip()
    assert len(token) >= 32 and cli(root, "token").strip() == token, "the token is kept"
    assert httpx.get(path).status_code == 401
    wrong = httpx.get(path, headers=bearer(token + "x"))
    assert wrong.status_code == 403 and "Traceback" not in wrong.text
    assert wrong.json()["error"]["code"] == "invalid_owner_token"
    assert httpx.get(path, cookies={"onrecord_owner": "nope"}).status_code == 403
    assert httpx.get(path, headers=bearer(token)).status_code == 200
    assert httpx.get(path, cookies={"onrecord_owner": token}).status_code == 200


def test_insights_group_and_redact(owned: tuple[str, Path]) -> None:
    url, root = owned
    data = httpx.get(f"{url}/api/owner/insights", headers=bearer(cli(root, "token").strip())).json()
    assert data["questions"] == len(QUESTIONS)
    assert sum(day["questions"] for day in data["over_time"]) == len(QUESTIONS)
    asked = [e for t in data["topics"] for e in t["examples"]]
    logged = json.dumps(data)
    assert "ana.b@example.org" not in logged and "555" not in logged
    assert any("[email]" in q and "[phone]" in q for q in asked)
    # The two phrasings of "keeping bees calm" are one topic; electric cars are another.
    calm = [t for t in data["topics"] if any("calm" in e for e in t["examples"])]
    assert len(calm) == 1 and calm[0]["questions"] == 2
    assert sum(t["questions"] for t in data["topics"]) == len(QUESTIONS)
    # Deflected questions are kept to the boundaries, not a gap in the archive: their own list.
    deflected = {e for t in data["deflected"] for e in t["examples"]}
    assert "Are you married?" in deflected
    assert {s for t in data["deflected"] for s in t["statuses"]} == {"deflected"}
    unanswered = {e for t in data["unanswered"] for e in t["examples"]}
    assert unanswered and "Are you married?" not in unanswered
    assert {s for t in data["unanswered"] for s in t["statuses"]} == {"no_answer"}
    assert data["cited"] and all(m["source"]["title"] == "Hive Talk" and m["citations"] >= 1 for m in data["cited"])
    counts = [m["citations"] for m in data["cited"]]
    assert counts == sorted(counts, reverse=True)


def test_nothing_raw_is_stored(owned: tuple[str, Path]) -> None:
    _, root = owned
    stored = b"".join(p.read_bytes() for p in root.glob("onrecord.db*"))
    assert b"ana.b@example.org" not in stored and b"123-4567" not in stored
    assert b"[email]" in stored


def test_insights_cli_prints_the_same(owned: tuple[str, Path]) -> None:
    url, root = owned
    over_http = httpx.get(f"{url}/api/owner/insights", headers=bearer(cli(root, "token").strip())).json()
    assert json.loads(cli(root, "insights", "--json")) == over_http
    text = cli(root, "insights")
    assert f"{len(QUESTIONS)} questions" in text
    assert "what to record next" in text and "Are you married?" in text.split("deflected: kept to")[1]
    assert "Hive Talk" in text
    assert json.loads(cli(root, "insights", "--json", "--agent", "nobody"))["questions"] == 0
    assert json.loads(cli(root, "insights", "--json", "--since", "2000-01-01"))["questions"] == len(QUESTIONS)
    # A date that is not one is an error naming it, not an empty page.
    bad = CliRunner().invoke(main, ["-w", str(root), "insights", "--since", "yesterday"])
    assert bad.exit_code != 0 and "since" in bad.output and "yesterday" in bad.output
    refused = httpx.get(f"{url}/api/owner/insights?since=yesterday", headers=bearer(cli(root, "token").strip()))
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "since"


def test_owner_page_login_by_form_and_escaped(owned: tuple[str, Path]) -> None:
    url, root = owned
    token = cli(root, "token").strip()
    with httpx.Client(base_url=url) as browser:
        first = browser.get("/owner")
        assert first.status_code == 401 and '<form class="login" method="post" action="/owner/login">' in first.text
        assert "Authorization" not in first.text and "Bearer" not in first.text
        wrong = browser.post("/owner/login", data={"token": "guess"})
        assert wrong.status_code == 403 and "onrecord_owner" not in browser.cookies
        login = browser.post("/owner/login", data={"token": token})
        assert login.status_code == 303 and login.headers["location"] == "/owner"
        assert "httponly" in login.headers["set-cookie"].lower()
        assert "samesite=strict" in login.headers["set-cookie"].lower()
        page = browser.get("/owner")
        assert page.status_code == 200
        assert "What people ask" in page.text
        assert "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text
        assert token not in page.text
        browser.post("/owner/logout")
        assert browser.get("/owner").status_code == 401


def test_new_token_replaces_the_old(owned: tuple[str, Path]) -> None:
    url, root = owned
    old = cli(root, "token").strip()
    new = cli(root, "token", "--new").strip()
    assert new != old
    assert httpx.get(f"{url}/api/owner/insights", headers=bearer(old)).status_code == 403
    assert httpx.get(f"{url}/api/owner/insights", headers=bearer(new)).status_code == 200


def test_token_from_the_config_wins(served_workspace: Path, tmp_path: Path) -> None:
    root = variant(served_workspace, tmp_path / "ws", 'owner_token = "configured-secret-token"')
    assert cli(root, "token").strip() == "configured-secret-token"
    result = cli_fails(root, "token", "--new")
    assert "onrecord.toml" in result


def cli_fails(root: Path, *args: str) -> str:
    from click.testing import CliRunner

    from onrecord.cli import main

    result = CliRunner().invoke(main, ["-w", str(root), *args])
    assert result.exit_code != 0
    return result.output


def test_logging_can_be_switched_off(served_workspace: Path, tmp_path: Path) -> None:
    root = variant(served_workspace, tmp_path / "ws", "log_questions = false\nrate_limit = 0")
    with running(root) as url:
        assert httpx.post(f"{url}/api/agents/mara/ask", json={"question": "Why smoke?"}).status_code == 200
    data = json.loads(cli(root, "insights", "--json"))
    assert data["questions"] == 0 and data["logging"] is False


def test_each_logged_question_keeps_the_vector_of_its_logged_text(owned: tuple[str, Path]) -> None:
    # The owner page groups questions by these: it never embeds thousands of them again per view.
    import numpy as np

    from onrecord.index.embed import get_model
    from onrecord.workspace import Workspace

    _, root = owned
    model = get_model()
    with Workspace.open(root) as workspace:
        logged = workspace.store.logged_questions()
        stored = workspace.store.question_vectors(model.name, [q.id for q in logged if q.id is not None])
    assert len(logged) == len(QUESTIONS) and set(stored) == {q.id for q in logged}
    redacted = next(q for q in logged if "[email]" in q.question)
    assert np.allclose(stored[redacted.id], model.embed_batch([redacted.question])[0], atol=1e-5)


def test_follow_ups_are_not_topics_and_quotes_are_what_was_quoted(served_workspace: Path, tmp_path: Path) -> None:
    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 0")
    quoted: set[str] = set()
    with running(root) as url:
        for question, history in ((QUESTIONS[0], []), ("why?", [QUESTIONS[0]]), ("tell me more", [QUESTIONS[0]])):
            body = {"question": question, "history": history}
            answer = httpx.post(f"{url}/api/agents/mara/ask", json=body).json()
            quoted |= {" ".join(c["quote"].split()) for c in answer["citations"]}
        data = httpx.get(f"{url}/api/owner/insights", headers=bearer(cli(root, "token").strip())).json()
    assert data["questions"] == 3 and data["follow_ups"] == 2
    assert [t["examples"] for t in data["topics"]] == [[QUESTIONS[0]]]
    # Each moment shows the words an answer quoted from it, not where its turn starts.
    assert data["cited"] and all(m["text"] in quoted for m in data["cited"]), (data["cited"], quoted)


SECURITY = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY"}


def test_owner_pages_send_the_security_headers_and_the_stylesheet(owned: tuple[str, Path]) -> None:
    url, root = owned
    with httpx.Client(base_url=url) as browser:
        pages = [browser.get("/owner"), browser.post("/owner/login", data={"token": "guess"})]
        login = browser.post("/owner/login", data={"token": cli(root, "token").strip()})
        pages.append(browser.get("/owner"))
        pages.append(browser.post("/owner/logout"))
    for response in [*pages, login]:
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert {k: response.headers.get(k) for k in SECURITY} == SECURITY
        assert response.headers["cache-control"] == "no-store"
    for response in pages[:3]:
        assert '<link rel="stylesheet" href="/static/style.css">' in response.text
        assert "<style>" not in response.text
    assert "What people ask" in pages[2].text and "Deflected: kept to your boundaries" in pages[2].text
