"""The owner's corrections on the transcript page: a turn's speaker, a split, a merge.

Plain HTML forms (no script, so the pages' Content-Security-Policy stays as it is) posted
behind the owner login (the `onrecord_owner` cookie, which browsers send only from this
site). Each form carries the revision of the transcript it was made from: a correction of a
transcript that changed since is refused whole (409), never applied to the wrong turn. A
correction goes through `corrections` as the CLI's does, then the service embeds that
source's new passages and rebuilds its agents; the owner is sent back to the turn.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from onrecord import corrections
from onrecord.errors import InputError, OnrecordError
from onrecord.model import Source
from onrecord.serve.owner_pages import message_page, owner_page_error
from onrecord.serve.service import Service
from onrecord.store import Store

router = APIRouter(include_in_schema=False)


async def _form(request: Request) -> dict[str, str]:
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in fields.items()}


def _number(form: dict[str, str], field: str) -> int:
    try:
        return int(form.get(field, ""))
    except ValueError:
        raise InputError(f"{field} must be a whole number, got {form.get(field, '')!r}", path=field) from None


# Each correction: what it does to the store, from the form it was posted with.
Change = Callable[[Store, str, int, dict[str, str], int], Source]
_CHANGES: dict[str, Change] = {
    "speaker": lambda store, source_id, turn, form, revision: corrections.set_speaker(
        store, source_id, turn, form.get("speaker", ""), revision
    ),
    "split": lambda store, source_id, turn, form, revision: corrections.split_turn(
        store, source_id, turn, _number(form, "at"), revision
    ),
    "merge": lambda store, source_id, turn, form, revision: corrections.merge_turn(store, source_id, turn, revision),
}


@router.post("/owner/sources/{source_id}/turns/{turn}/{action}")
async def correct(request: Request, source_id: str, turn: int, action: str) -> Response:
    """One correction of turn `turn`: `speaker` (form field `speaker`: who said it), `split`
    (field `at`: the sentence the new turn starts at) or `merge` (with the next turn)."""
    refused = owner_page_error(request)
    if refused is not None:
        return refused
    back = f"/sources/{source_id}#turn-{turn}"
    change = _CHANGES.get(action)
    if change is None:
        return message_page(request, "Nothing was changed", f"there is no correction called {action!r}", back, 404)
    form = await _form(request)
    service: Service = request.app.state.service
    try:
        revision = _number(form, "revision")
        service.correct(source_id, lambda store: change(store, source_id, turn, form, revision))
    except OnrecordError as exc:
        return message_page(request, "Nothing was changed", exc.message, back, exc.http_status)
    return RedirectResponse(back, status_code=303)
