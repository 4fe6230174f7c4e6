"""An organisation's reads and writes of the searches saved for a person, told to the person's access
log (the dossier's) as `offers.person.access_recorded.v1`, an outbox event of the access's own
transaction. The person's own reads (/v1/me/saved-searches) and reads of offers (nobody's data) are
not told. Offers' routes take no purpose: it is null.

Which use case is which access is decided here, once, not by each route."""
from __future__ import annotations

from services.core.access_log import AccessTeller
from services.offers.published import ACCESS_RECORDED

SAVED_SEARCHES = "saved_searches"

ACCESSES = AccessTeller(ACCESS_RECORDED, "offers", {
    "save_search": ("write", (SAVED_SEARCHES,)),
    "list_saved_searches": ("read", (SAVED_SEARCHES,)),
    "read_saved_search": ("read", (SAVED_SEARCHES,)),
    "stop_saved_search": ("write", (SAVED_SEARCHES,)),
})
tell_access = ACCESSES.tell
