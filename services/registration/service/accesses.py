"""An organisation's reads and writes of a person's registration, told to the person's access log (the
dossier's) as `registration.person.access_recorded.v1`, an outbox event of the access's own
transaction: a command that fails tells nothing. The person's own reads and changes (/v1/me) are not an
organisation's access: never told. Registration's routes take no purpose: it is null.

The sections told are those the caller was given (a CAF reads three of them: domain/policy.py), so
the person sees what each organisation actually read. An attempt refused because its NIR is another
person's is told by `RegistrationService.record_nir_conflict`, with its reason."""
from __future__ import annotations

from services.core.access_log import AccessTeller
from services.registration.domain.model import SECTIONS
from services.registration.published import ACCESS_RECORDED

ACCESSES = AccessTeller(ACCESS_RECORDED, "registration", {
    "register": ("write", SECTIONS),
    "read_registration": ("read", SECTIONS),
    "list_registrations": ("read", SECTIONS),
    "correct_registration": ("write", SECTIONS),
    "confirm_registration": ("write", SECTIONS),
})
tell_access = ACCESSES.tell
