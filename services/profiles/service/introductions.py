"""The interest check and the introduction that may follow (domain/introduction.py), the expiry
job, and the statistics that show whether checking interest first pays (7 % -> 17 %)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.core.errors import Conflict, NotFound
from services.core.identity import Caller
from services.profiles.domain.introduction import Introduction
from services.profiles.service import accesses
from services.profiles.service.accesses import record_access
from services.profiles.service.profiles import ProfileService
from services.profiles.service.publishing import publish_introduction
from services.profiles.service.search import SearchService
from services.profiles.service.unit_of_work import ProfilesUnitOfWork

NOT_YOURS = "No request of your organisation has this id."
EXPIRY_BATCH = 500


@dataclass
class IntroductionService:
    profiles: ProfileService
    search: SearchService
    clock: Callable[[], datetime]
    answer_within: timedelta

    def request(self, uow: ProfilesUnitOfWork, caller: Caller, request_id: str, pseudonym: str,
                offer_id: str | None, message: str | None) -> Introduction:
        audience = self.search.audience(caller)
        profile = self.search.findable(uow, caller, pseudonym, audience)
        if offer_id is not None:
            offer = uow.offers.get(offer_id)
            if offer is None or offer.owner_org_id != caller.org_id:
                raise NotFound("No offer of your organisation has this id.", field="offer_id")
        if uow.introductions.pending(profile.person_id, caller.org_id):
            raise Conflict("Your organisation already asked this person; wait for the answer.",
                           slug="interest-already-requested")
        now = self.clock()
        introduction = Introduction.request(
            id=request_id, person_id=profile.person_id, audience=audience.value,
            requester={"org_id": caller.org_id, "org_type": caller.org_type, "client_id": caller.client_id},
            departement_code=profile.departement_code, offer_id=offer_id, message=message, requested_at=now,
            expires_at=now + self.answer_within)
        self._save(uow, introduction)
        record_access(uow, caller, profile.person_id, accesses.INTEREST_REQUEST, now, reference=introduction.id)
        return introduction

    def of_requester(self, uow: ProfilesUnitOfWork, caller: Caller, request_id: str, *,
                     for_update: bool = False) -> Introduction:
        introduction = uow.introductions.get(request_id, for_update=for_update)
        if introduction is None or introduction.requester["org_id"] != caller.org_id:
            raise NotFound(NOT_YOURS)
        return introduction

    def of_person(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str) -> list[Introduction]:
        self.profiles.managed(uow, caller, person_id)
        record_access(uow, caller, person_id, accesses.READ_INTERESTS, self.clock())
        return uow.introductions.of_person(person_id)

    def answer(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str, request_id: str, answer: str,
               reason: str | None) -> Introduction:
        self.profiles.managed(uow, caller, person_id)
        introduction = uow.introductions.get(request_id, for_update=True)
        if introduction is None or introduction.person_id != person_id:
            raise NotFound("This person has no request with this id.")
        introduction.answer(answer, reason, caller.org_id, self.clock())
        self._save(uow, introduction)
        record_access(uow, caller, person_id, accesses.ANSWER, self.clock(), reference=introduction.id)
        return introduction

    def release_contact(self, uow: ProfilesUnitOfWork, caller: Caller, request_id: str) -> dict[str, Any]:
        introduction = self.of_requester(uow, caller, request_id, for_update=True)
        profile = uow.profiles.get(introduction.person_id)
        consenting = profile is not None and introduction.audience in profile.active_audiences
        now = self.clock()
        introduction.release_contact(consenting, now)
        record_access(uow, caller, introduction.person_id, accesses.CONTACT_RELEASE, now, reference=introduction.id)
        self._save(uow, introduction)
        return {"first_name": profile.private["first_name"], "last_name": profile.private["last_name"],
                **(profile.contact or {})}

    def record_outcome(self, uow: ProfilesUnitOfWork, caller: Caller, request_id: str, outcome: str,
                       reason: str | None) -> Introduction:
        introduction = self.of_requester(uow, caller, request_id, for_update=True)
        introduction.record_outcome(outcome, reason, self.clock())
        self._save(uow, introduction)
        record_access(uow, caller, introduction.person_id, accesses.OUTCOME, self.clock(), reference=introduction.id)
        return introduction

    def expire_due(self, uow: ProfilesUnitOfWork, now: datetime) -> int:
        """The periodic job: requests nobody answered in time expire (one batch per run)."""
        expired = 0
        for introduction in uow.introductions.due(now, EXPIRY_BATCH):
            if introduction.expire_if_due(now):
                self._save(uow, introduction)
                expired += 1
        return expired

    def stats(self, uow: ProfilesUnitOfWork, departement_code: str | None) -> list[dict[str, Any]]:
        return [{**row.__dict__, "hire_rate": round(row.hires / row.introductions, 3) if row.introductions else None}
                for row in uow.introductions.stats(departement_code)]

    @staticmethod
    def _save(uow: ProfilesUnitOfWork, introduction: Introduction) -> None:
        uow.introductions.save(introduction)
        publish_introduction(uow, introduction)
