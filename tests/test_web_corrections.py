"""The owner's corrections on the transcript page: in a real Chromium, and over plain HTTP for
what must be refused (no token, an old page, a bad sentence, an unknown source)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from onrecord import owner
from onrecord.workspace import Workspace
from tests.corrections_support import ANSWER, build, turn_with
from tests.serve_support import running
from tests.test_web_browser import ARTIFACTS, browser, chromium_path  # noqa: F401 (fixtures)

# A correction embeds the source's passages again before it answers: seconds on a busy machine.
SLOW = 120.0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, str, str]]:
    """(base URL, workspace, source id, owner token) of the unlabelled bakery interview served
    (see corrections_support)."""
    root, source_id = build(tmp_path)
    with Workspace.open(root) as workspace:
        token = owner.ensure_token(workspace)
    with running(root) as url:
        yield url, root, source_id, token


def test_the_owner_sets_a_speaker_and_splits_a_turn_in_the_browser(
    browser: object,  # noqa: F811 (the fixture)
    served: tuple[str, Path, str, str],
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    url, root, source_id, token = served
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    context.set_default_timeout(SLOW * 1000)
    page = context.new_page()
    try:
        # Readers see which speakers are guessed, and no forms.
        page.goto(f"{url}/sources/{source_id}")
        expect(page.locator(".badge.uncertain").first).to_be_visible()
        assert page.locator("details.correct").count() == 0

        page.goto(f"{url}/owner")
        page.get_by_label("Owner token").fill(token)
        page.get_by_role("button", name="Open").click()
        page.goto(f"{url}/sources/{source_id}")
        expect(page.locator(".owner-note")).to_be_visible()

        # Pick the turn where the guest's answer starts and split it there when it holds more.
        with Workspace.open(root) as workspace:
            index = turn_with(workspace, source_id, ANSWER)
        turn = page.locator(f"#turn-{index}")
        turn.get_by_text(f"Correct turn {index}").click()
        options = turn.get_by_label("New turn from").locator("option").all_inner_texts()
        start = next((n for n, text in enumerate(options, start=1) if text.startswith("“Honestly")), None)
        if start is not None:
            turn.get_by_label("New turn from").select_option(str(start))
            turn.get_by_role("button", name="Split the turn").click()
            page.wait_for_url(f"**/sources/{source_id}#turn-{index}")
            index += 1
            turn = page.locator(f"#turn-{index}")
            turn.get_by_text(f"Correct turn {index}").click()
        expect(turn.locator(".text")).to_contain_text(ANSWER)

        # Give it to Tom: it is no longer uncertain, and the owner lands back on it.
        turn.get_by_label("Said by").fill("Tom Alder")
        turn.get_by_role("button", name="Set the speaker").click()
        page.wait_for_url(f"**/sources/{source_id}#turn-{index}")
        corrected = page.locator(f"#turn-{index}")
        expect(corrected.locator(".speaker")).to_have_text("Tom Alder")
        expect(corrected.locator(".badge.uncertain")).to_have_count(0)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "owner-correction.png"))
    finally:
        context.close()

    # The store holds the edit, and the next answer quotes the corrected turn as Tom's.
    with Workspace.open(root) as workspace:
        stored = workspace.store.get_source(source_id)
        turn = stored.transcript.turns[index]
        assert stored.transcript.speaker_name(turn.speaker) == "Tom Alder" and turn.confidence == 1.0
        assert workspace.store.edits(source_id)[-1].kind == "speaker"
    question = {"question": "What were your first loaves like?"}
    reply = httpx.post(f"{url}/api/agents/tom/ask", json=question, timeout=SLOW).json()
    assert reply["status"] == "answered", reply
    assert reply["citations"][0]["speaker"] == "Tom Alder"
    assert "first hundred loaves were terrible" in reply["citations"][0]["quote"]


def test_corrections_are_refused_whole_without_the_token_or_from_an_old_page(
    served: tuple[str, Path, str, str],
) -> None:
    url, root, source_id, token = served
    with Workspace.open(root) as workspace:
        before = workspace.store.get_source(source_id)
    speaker = f"{url}/owner/sources/{source_id}/turns/5/speaker"
    form = {"speaker": "Tom Alder", "revision": str(before.revision)}

    anonymous = httpx.post(speaker, data=form, timeout=SLOW)
    assert anonymous.status_code == 401 and "Owner token" in anonymous.text
    wrong = httpx.post(speaker, data=form, cookies={"onrecord_owner": token + "x"}, timeout=SLOW)
    assert wrong.status_code == 403

    owner_cookie = {"onrecord_owner": token}
    refused = {
        "old page": (speaker, {"speaker": "Tom Alder", "revision": "7"}, 409, "changed since this page was made"),
        "empty name": (speaker, {"speaker": " ", "revision": "0"}, 400, "the speaker's name is empty"),
        "no turn": (
            f"{url}/owner/sources/{source_id}/turns/99/merge",
            {"revision": "0"},
            400,
            "there is no turn 99",
        ),
        "bad sentence": (
            f"{url}/owner/sources/{source_id}/turns/5/split",
            {"at": "x", "revision": "0"},
            400,
            "at must be a whole number",
        ),
        "unknown source": (f"{url}/owner/sources/nope/turns/1/merge", {"revision": "0"}, 404, "no source with id"),
    }
    for name, (path, data, status, message) in refused.items():
        response = httpx.post(path, data=data, cookies=owner_cookie, timeout=SLOW)
        assert response.status_code == status, name
        shown = html.unescape(response.text)
        assert "Nothing was changed" in shown and message in shown, (name, response.text)
    with Workspace.open(root) as workspace:
        after = workspace.store.get_source(source_id)
        assert after.transcript.turns == before.transcript.turns and after.revision == before.revision
        assert workspace.store.edits(source_id) == []

    done = httpx.post(speaker, data=form, cookies=owner_cookie, timeout=SLOW)
    assert done.status_code == 303 and done.headers["location"] == f"/sources/{source_id}#turn-5"
