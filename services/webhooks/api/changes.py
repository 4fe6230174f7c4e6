"""The change feed: GET /v1/changes, for partners who pull rather than receive."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query


from services.core.http import AUTH_ERRORS, Cursor, Limit, decode_cursor, documented, encode_cursor
from services.webhooks.api import examples
from services.webhooks.api.deps import ChangesReader, FeedDep, PlatformDep
from services.webhooks.api.schemas import ChangePage, PartnerEventType

router = APIRouter(prefix="/v1/changes", tags=["changes"])


@router.get("", response_model=ChangePage,
            summary="The changes your organisation may know, in order; resume from next_cursor (never skips nor repeats); "
                    "a page with fewer items than asked means you are caught up",
            responses=documented(200, examples.CHANGE_PAGE, {**AUTH_ERRORS, 422: "A type or the cursor is not valid."}))
def list_changes(platform: PlatformDep, feed: FeedDep, caller: ChangesReader,
                 types: Annotated[list[PartnerEventType] | None, Query(
                     max_length=20, examples=[["registration.person.registered.v2", "orientation.decision.made.v1"]],
                     description="Only these event types (all your organisation may know by default).")] = None,
                 limit: Limit = 100, cursor: Cursor = None,
                 start: Annotated[Literal["beginning", "now"], Query(description=(
                     "Without a cursor, where the feed starts: at the beginning of the retained changes, or now "
                     "(no items, the cursor of the feed's end: take it, read your snapshot of the resources, "
                     "then follow the feed from it; changes made during the snapshot come again, and each "
                     "one's per-subject sequence tells which is newer)."))] = "beginning") -> dict[str, Any]:
    after = decode_cursor(cursor, int)[0] if cursor else 0
    with platform.db.reading() as session:
        if cursor is None and start == "now":
            return {"items": [], "next_cursor": encode_cursor([feed.end(session)])}
        items, position = feed.page(session, caller, list(types) if types else None, max(after, 0), limit)
    return {"items": items, "next_cursor": encode_cursor([position])}
