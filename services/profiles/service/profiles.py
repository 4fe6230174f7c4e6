"""Use cases that build and manage profiles: from the network's events, the referent's recording of
consent and of the person's statement, and the partners' contributions line by line."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.core.errors import NotFound, RuleBroken
from services.core.events import Envelope
from services.core.identity import Caller
from services.profiles.domain.consent import Audience, Consent
from services.profiles.domain.matching import KeptOffer
from services.profiles.domain.policy import audience_of, may_manage
from services.profiles.domain.profile import CONTRIBUTION, DIAGNOSTIC, PERSON, REGISTRATION, Profile, Provenance
from services.profiles.domain.repository import AccessEntry
from services.profiles.service import accesses
from services.profiles.service.accesses import record_access
from services.profiles.service.publishing import publish_profile
from services.profiles.service.unit_of_work import ProfilesUnitOfWork

NOT_VISIBLE = "No profile with this id is visible to your organisation."
NO_CONSENT = "no_consent_for_your_audience"
# What each kind of contribution line changes (seeds 001, l. 1871: missions done, skills, availability).
CONTRIBUTED_FIELDS = {"mission_completed": "experiences", "skill_validated": "skills", "availability": "available_from"}


@dataclass
class ProfileService:
    clock: Callable[[], datetime]

    def today(self) -> date:
        return self.clock().date()

    # -- the network's events --------------------------------------------------------------------
    def on_registration(self, uow: ProfilesUnitOfWork, event: Envelope) -> None:
        data = event.data
        if data["status"] != "registered":
            return
        provenance = Provenance(REGISTRATION, None, event.time, event.id)
        profile = uow.profiles.get(event.subject, for_update=True)
        if profile is not None:
            profile.apply_registration(data, provenance)
            self._save(uow, profile)
            return
        self._save(uow, Profile.registered(event.subject, data, provenance))
        # Topics are not ordered among themselves: what came before the registration applies now.
        for envelope in uow.profiles.early_events(event.subject):
            early = Envelope.from_dict(envelope)
            {"dossier": self.on_diagnostic, "orientation": self.on_orientation}[early.source](uow, early)

    def on_diagnostic(self, uow: ProfilesUnitOfWork, event: Envelope) -> None:
        profile = uow.profiles.get(event.subject, for_update=True)
        if profile is None:
            uow.profiles.keep_early(event.subject, event.to_dict())
            return
        data = event.data
        profile.diagnosed(datetime.fromisoformat(data["completed_at"]), data["fields_filled"],
                          Provenance(DIAGNOSTIC, data["completed_by"]["org_id"], event.time, event.id))
        self._save(uow, profile)

    def on_orientation(self, uow: ProfilesUnitOfWork, event: Envelope) -> None:
        profile = uow.profiles.get(event.subject, for_update=True)
        if profile is None:
            uow.profiles.keep_early(event.subject, event.to_dict())
            return
        decided = event.data["status"] == "decided"
        profile.oriented(event.data["referent"]["org_id"] if decided else None)
        self._save(uow, profile)

    def on_offer(self, uow: ProfilesUnitOfWork, event: Envelope) -> None:
        data = event.data
        uow.offers.keep(KeptOffer(
            offer_id=data["offer_id"], owner_org_id=data["owner_org_id"], status=data["status"],
            rome_code=data["rome"]["code"], commune_code=(data.get("place") or {}).get("commune_code"),
            contract_type=data.get("contract_type"), working_time=data.get("working_time")))

    # -- the referent: consent, statement, what is known ----------------------------------------
    def managed(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str, *, for_update: bool = False) -> Profile:
        profile = uow.profiles.get(person_id, for_update=for_update)
        if profile is None or not may_manage(caller, profile, self.today()):
            raise NotFound(NOT_VISIBLE)
        return profile

    def read(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str) -> Profile:
        profile = self.managed(uow, caller, person_id)
        record_access(uow, caller, person_id, accesses.READ_PROFILE, self.clock())
        return profile

    def grant(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str, audience: Audience,
              method: str) -> Profile:
        profile = self.managed(uow, caller, person_id, for_update=True)
        profile.grant(Consent(audience, method, caller.org_id, self.clock()))
        self._save(uow, profile)
        record_access(uow, caller, person_id, accesses.GRANT, self.clock())
        return profile

    def revoke(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str, audience: Audience) -> Profile:
        profile = self.managed(uow, caller, person_id, for_update=True)
        profile.revoke(audience, self.clock(), caller.org_id)
        self._save(uow, profile)
        record_access(uow, caller, person_id, accesses.REVOKE, self.clock())
        return profile

    def set_consent(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str, audience: Audience,
                    granted: bool, method: str) -> Profile:
        """Consent as a state (the person's PUT): the referent's grant or revoke when it changes,
        nothing when it already is as asked, so a repeated PUT answers the same."""
        profile = self.managed(uow, caller, person_id)
        if granted == (audience in profile.active_audiences):
            return profile
        if granted:
            return self.grant(uow, caller, person_id, audience, method)
        return self.revoke(uow, caller, person_id, audience)

    def state(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str, statement: dict[str, Any],
              check_version: Callable[[int], None]) -> Profile:
        profile = self.managed(uow, caller, person_id, for_update=True)
        check_version(profile.version)
        profile.state(statement, Provenance(PERSON, caller.org_id, self.clock()))
        self._save(uow, profile)
        record_access(uow, caller, person_id, accesses.STATEMENT, self.clock())
        return profile

    def access_log(self, uow: ProfilesUnitOfWork, caller: Caller, person_id: str, after_id: int | None,
                   limit: int) -> list[tuple[int, AccessEntry]]:
        self.managed(uow, caller, person_id)
        record_access(uow, caller, person_id, accesses.READ_ACCESS_LOG, self.clock())
        return uow.access_log.of_person(person_id, after_id, limit)

    # -- partners' contributions ---------------------------------------------------------------
    def contribute(self, uow: ProfilesUnitOfWork, caller: Caller, batch_id: str,
                   lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each line accepted or refused with a reason; one refused line does not refuse the others."""
        audience = audience_of(caller)
        if audience is None:
            raise RuleBroken("Your organisation belongs to no audience of the profile bank.", field="lines")
        now, results = self.clock(), []
        for index, line in enumerate(lines):
            profile = uow.profiles.get(line["person_id"], for_update=True)
            field_name = CONTRIBUTED_FIELDS[line["kind"]]
            if profile is None or audience not in profile.active_audiences:
                # Unknown and not consenting read the same: a partner learns nothing of others. The
                # person whose profile it is learns of the attempt (their access log).
                if profile is not None:
                    record_access(uow, caller, profile.person_id, accesses.contribution(field_name, False), now,
                                  reason=NO_CONSENT)
                results.append({"line": index, "status": "refused", "reason": NO_CONSENT})
                continue
            outcome = profile.contribute(field_name, line["value"],
                                         Provenance(CONTRIBUTION, caller.org_id, now, batch_id))
            self._save(uow, profile)
            record_access(uow, caller, profile.person_id, accesses.contribution(field_name, True), now)
            results.append({"line": index, "status": "accepted", "reason": outcome})
        return results

    def _save(self, uow: ProfilesUnitOfWork, profile: Profile) -> None:
        uow.profiles.save(profile, self.clock())
        publish_profile(uow, profile)
