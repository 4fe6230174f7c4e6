"""An organisation's reads and writes of a person's orientation data, told to the person's access log
(the dossier's) as `orientation.person.access_recorded.v1`, an outbox event of the access's own
transaction: a command that fails tells nothing. The person's own reads and changes (/v1/me) are not
an organisation's access: never told. Orientation's routes take no purpose: it is null.

Which use case is which access is decided here, once, not by each route."""
from __future__ import annotations

from services.core.access_log import AccessTeller
from services.orientation.published import ACCESS_RECORDED

ORIENTATION, APPOINTMENTS = "orientation", "appointments"

ACCESSES = AccessTeller(ACCESS_RECORDED, "orientation", {
    "read_orientation": ("read", (ORIENTATION,)),
    "validate_orientation": ("write", (ORIENTATION,)),
    "record_interview": ("write", (ORIENTATION,)),
    "state_preference": ("write", (ORIENTATION,)),
    "reorient": ("write", (ORIENTATION,)),
    "read_appointment": ("read", (APPOINTMENTS,)),
    "book_appointment": ("write", (APPOINTMENTS,)),
    "record_no_show": ("write", (APPOINTMENTS,)),
})
tell_access = ACCESSES.tell
