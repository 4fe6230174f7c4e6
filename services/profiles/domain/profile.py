"""A person's profile in the bank ("banque de profils", seeds 001, l. 876 and 3673-3688): built once
from what the network already knows, every fact carrying where it came from.

Sources, in the order of trust: the registration and the person's own statement (recorded by their
referent) are the person's word; the diagnostic is the referent's; a partner's contribution (temp
agency, training body: seeds l. 1871) adds missions and validated skills but never replaces what
the person said: it is kept beside it as a proposal the referent sees.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from services.core.errors import InvalidTransition
from services.profiles.domain import events
from services.profiles.domain.consent import Audience, Consent
from services.profiles.domain.text import fold

REGISTRATION, PERSON, DIAGNOSTIC, CONTRIBUTION = "registration", "person", "diagnostic", "contribution"
PERSONS_WORD = (REGISTRATION, PERSON)
# One value each, replaced whole; the lists below gather items from several sources instead.
SINGLE_FACTS = ("rome_codes", "contract_types", "working_time", "mobility_km", "available_from", "driving_licence",
                "languages", "diagnostic")
LIST_FACTS = ("skills", "experiences", "diplomas")
TEMPORARY_WORK = "MIS"  # the contract type of a temp agency's mission ("mission d'intérim")
AVAILABILITY_DELAYS = {"immediate": 0, "within_3_months": 90}  # registration's pre-diagnostic answer


@dataclass(frozen=True)
class Provenance:
    source: str
    org_id: str | None
    at: datetime
    reference: str | None = None  # the event or contribution it came from

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "org_id": self.org_id, "at": self.at.isoformat(), "reference": self.reference}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Provenance":
        return cls(data["source"], data["org_id"], datetime.fromisoformat(data["at"]), data.get("reference"))


@dataclass(frozen=True)
class Fact:
    value: Any
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "provenance": self.provenance.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fact":
        return cls(data["value"], Provenance.from_dict(data["provenance"]))


@dataclass
class Profile:
    person_id: str
    commune_code: str
    departement_code: str
    region_code: str
    private: dict[str, Any]  # names, birth date, RSA and executive flags: for policy and release only
    facts: dict[str, Fact] = field(default_factory=dict)
    items: dict[str, list[Fact]] = field(default_factory=dict)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    consents: dict[Audience, Consent] = field(default_factory=dict)
    contact: dict[str, Any] | None = None
    referent_org_id: str | None = None
    version: int = 1
    events: list[events.Event] = field(default_factory=list, repr=False)

    # -- what the network already knows --------------------------------------------------------
    @classmethod
    def registered(cls, person_id: str, data: dict[str, Any], provenance: Provenance) -> "Profile":
        territory = data["territory"]
        profile = cls(person_id, territory["commune_code"], territory["departement_code"], territory["region_code"],
                      private={})
        profile.apply_registration(data, provenance)
        profile.version = 1
        return profile

    def apply_registration(self, data: dict[str, Any], provenance: Provenance) -> None:
        """The registration's facts, unless the person has since stated otherwise through their referent."""
        territory, identity, situation = data["territory"], data["identity"], data["situation"]
        self.commune_code, self.departement_code = territory["commune_code"], territory["departement_code"]
        self.region_code = territory["region_code"]
        self.private = {"last_name": identity.get("usage_name") or identity["last_name"],
                        "first_name": identity["first_names"][0], "birth_date": identity["birth_date"],
                        "rsa_recipient": bool(situation.get("rsa_recipient")),
                        "executive": bool(data["skills"].get("executive_experience"))}
        found: dict[str, Any] = {"driving_licence": bool(situation.get("driving_licence"))}
        if situation.get("french_level"):
            found["languages"] = [{"code": "fr", "level": situation["french_level"]}]
        available = _available_from((data.get("pre_diagnostic") or {}).get("availability"), provenance.at.date())
        if available:
            found["available_from"] = available
        for name, value in found.items():
            current = self.facts.get(name)
            if current is None or current.provenance.source == REGISTRATION:
                self.facts[name] = Fact(value, provenance)
        self._changed()

    def diagnosed(self, completed_at: datetime, fields_filled: list[str], provenance: Provenance) -> None:
        """Only that a diagnostic exists and what it covers: never its content (health barriers)."""
        self.facts["diagnostic"] = Fact({"completed_at": completed_at.isoformat(), "fields_filled": fields_filled},
                                        provenance)
        self._changed()

    def oriented(self, referent_org_id: str | None) -> None:
        self.referent_org_id = referent_org_id

    # -- the person's word ----------------------------------------------------------------------
    def state(self, statement: dict[str, Any], provenance: Provenance) -> None:
        """The person's statement replaces their earlier word and the contributions to the same
        single facts; contributed list items (missions, validated skills) stay beside it."""
        for name in SINGLE_FACTS:
            if name in statement and statement[name] is None:  # null withdraws the fact (merge patch)
                self.facts.pop(name, None)
            elif name in statement:
                self.facts[name] = Fact(statement[name], provenance)
        for name in LIST_FACTS:
            if name in statement:
                kept = [item for item in self.items.get(name, []) if item.provenance.source == CONTRIBUTION]
                # null clears the person's list, as an empty one does (the contract allows both)
                self.items[name] = [Fact(value, provenance) for value in statement[name] or ()] + kept
        if "contact" in statement:
            self.contact = statement["contact"]
        self.proposals = [p for p in self.proposals if p["field"] not in statement]
        self._changed()

    def contribute(self, field_name: str, value: Any, provenance: Provenance) -> str:
        """A partner's line: appended to a list, or set on a single fact, or — where the person has
        spoken — kept as a proposal. Says which."""
        if field_name in LIST_FACTS:
            self.items.setdefault(field_name, []).append(Fact(value, provenance))
            outcome = "added"
        elif (current := self.facts.get(field_name)) is not None and current.provenance.source in PERSONS_WORD:
            self.proposals.append({"field": field_name, **Fact(value, provenance).to_dict()})
            outcome = "proposed"
        else:
            self.facts[field_name] = Fact(value, provenance)
            outcome = "set"
        self._changed()
        return outcome

    # -- consent --------------------------------------------------------------------------------
    def grant(self, consent: Consent) -> None:
        if consent.audience in self.active_audiences:
            raise InvalidTransition(f"The person already consented to {consent.audience}.")
        was_published = self.published
        self.consents[consent.audience] = consent
        self.version += 1
        self.events.append(events.ProfileUpdated(self.person_id) if was_published
                           else events.ProfilePublished(self.person_id))

    def revoke(self, audience: Audience, now: datetime, by_org_id: str) -> None:
        consent = self.consents.get(audience)
        if consent is None or not consent.active:
            raise InvalidTransition(f"The person has no active consent for {audience}.")
        self.consents[audience] = consent.revoked(now, by_org_id)
        self.version += 1
        self.events.append(events.ProfileUpdated(self.person_id) if self.published
                           else events.ProfileWithdrawn(self.person_id))

    @property
    def active_audiences(self) -> list[Audience]:
        return sorted(audience for audience, consent in self.consents.items() if consent.active)

    @property
    def published(self) -> bool:
        return bool(self.active_audiences)

    def findable_by(self, audience: Audience) -> bool:
        """Consent to that audience; temp agencies also need the person to seek temporary work."""
        if audience not in self.active_audiences:
            return False
        return audience != Audience.TEMP_AGENCIES or self.seeks_temporary_work

    @property
    def seeks_temporary_work(self) -> bool:
        return TEMPORARY_WORK in self.value("contract_types", [])

    # -- reading --------------------------------------------------------------------------------
    def value(self, name: str, default: Any = None) -> Any:
        """The fact's value, or `default` when there is none (a null kept by an earlier version is none)."""
        fact = self.facts.get(name)
        return default if fact is None or fact.value is None else fact.value

    def item_values(self, name: str) -> list[Any]:
        return [item.value for item in self.items.get(name, [])]

    @property
    def skill_terms(self) -> set[str]:
        return {fold(label) for label in self.item_values("skills")}

    def _changed(self) -> None:
        self.version += 1
        if self.published:
            self.events.append(events.ProfileUpdated(self.person_id))


def _available_from(answer: str | None, registered_on: date) -> str | None:
    delay = AVAILABILITY_DELAYS.get(answer or "")
    return None if delay is None else (registered_on + timedelta(days=delay)).isoformat()
