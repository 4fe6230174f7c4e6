"""Every read and write of a person's profile by an organisation, recorded in one place: told to the
person's one access-log timeline (the dossier keeps it: `profiles.person.access_recorded.v1`, an
outbox event of the same transaction), and, for what recruiters saw, kept in the profile bank's own
log too, which the referent reads (`/v1/profiles/persons/{id}/access-log`).

The person's own calls (/v1/me/profile) are no organisation's access: they are not told.

Search result lists and the ranking for an offer are not told either. Each result is the
pseudonymous public view of a profile the person consented to show to that audience: being found
is what the consent is for, the result names no one, and the searching organisation has not
singled the person out. It does so when it opens one profile (the detail view, counted in its daily
quota) or receives the contact: those are told. Telling every result would also write into up to a
page of timelines per search, and bury the detail views the person needs to see among listings.
For the same reason a recruiter reading back its own interest request (which names the person by
pseudonym only) is not told; its request, its outcome and the contact it receives are.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.core.access_log import Access, access_recorded
from services.core.identity import Caller
from services.profiles.domain.repository import AccessEntry
from services.profiles.published import ACCESS_RECORDED
from services.profiles.service.unit_of_work import ProfilesUnitOfWork

SERVICE = "profiles"
# Why an organisation reads a profile: its referent accompanies the person, a recruiter recruits.
ACCOMPANIMENT, RECRUITMENT = "accompaniment", "recruitment"


@dataclass(frozen=True)
class AccessKind:
    action: str
    access: Access
    sections: tuple[str, ...]
    purpose: str | None = None  # reads state why; writes say what they changed
    # What recruiters saw is also in the profile bank's own log, which the referent reads.
    kept_for_referent: bool = False


DETAIL_VIEW = AccessKind("detail_view", "read", ("public_profile",), RECRUITMENT, kept_for_referent=True)
CONTACT_RELEASE = AccessKind("contact_release", "read", ("identity", "contact"), RECRUITMENT,
                             kept_for_referent=True)
INTEREST_REQUEST = AccessKind("request_interest", "write", ("interest_requests",))
OUTCOME = AccessKind("record_outcome", "write", ("interest_requests",))
READ_PROFILE = AccessKind("read_profile", "read", ("profile",), ACCOMPANIMENT)
READ_INTERESTS = AccessKind("read_interest_requests", "read", ("interest_requests",), ACCOMPANIMENT)
READ_ACCESS_LOG = AccessKind("read_access_log", "read", ("access_log",), ACCOMPANIMENT)
STATEMENT = AccessKind("state", "write", ("statement",))
GRANT = AccessKind("grant_consent", "write", ("consents",))
REVOKE = AccessKind("revoke_consent", "write", ("consents",))
ANSWER = AccessKind("answer_interest", "write", ("interest_requests",))


def contribution(field_name: str, accepted: bool) -> AccessKind:
    return AccessKind("contribute", "write" if accepted else "refused", (field_name,))


def record_access(uow: ProfilesUnitOfWork, caller: Caller, person_id: str, kind: AccessKind, at: datetime, *,
                  reference: str | None = None, reason: str | None = None) -> None:
    if caller.is_person:
        return
    if kind.kept_for_referent:
        uow.access_log.record(AccessEntry(person_id, kind.action, caller.org_id, caller.org_type, caller.client_id,
                                          at, reference))
    uow.events.emit(ACCESS_RECORDED, person_id, access_recorded(
        person_id, caller, service=SERVICE, action=kind.action, access=kind.access, sections=list(kind.sections),
        purpose=kind.purpose, reason=reason, at=at))
