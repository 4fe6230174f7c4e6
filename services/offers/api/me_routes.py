"""The person's own saved searches (/v1/me/saved-searches): what counsellors saved for them and the
offers it sent them. The person is the token's, never the URL's; a search saved for anyone else is
not theirs to see."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.core.http import AUTH_ERRORS, documented
from services.core.identity import PersonCaller
from services.offers.api import examples, render
from services.offers.api.deps import PlatformDep, SubscriptionsDep
from services.offers.api.schemas import OfferMySavedSearchList

router = APIRouter(prefix="/v1/me/saved-searches", tags=["me"])


@router.get("", response_model=OfferMySavedSearchList,
            summary="The searches saved for me and the offers they sent me, newest first",
            responses=documented(200, examples.MY_SAVED_SEARCHES, {**AUTH_ERRORS, 403: "Not a person's own token."}))
def my_saved_searches(platform: PlatformDep, subscriptions: SubscriptionsDep, person: PersonCaller) -> dict[str, Any]:
    with platform.db.reading() as session:
        found = subscriptions.of_person(session, person.person_id)
        return {"items": [render.my_saved_search(row, matches, total) for row, matches, total in found]}
