"""The orientation referential as data: a national document, completed per département.

Criteria are set collectively (a national order, completed locally), so they change without a
release: the document is parsed and checked here, then `rules.evaluate` reads it. A département's
override is deep-merged over the national document (mappings merge, lists and values replace).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.core.errors import RuleBroken

PATHWAYS = ("professional", "socio_professional", "social")
ORG_TYPES = ("france_travail", "mission_locale", "cap_emploi", "apec", "departement")
INTENSITIES = ("autonomous", "guided", "intensive")
BARRIERS = ("housing", "health", "mobility", "basic_skills", "language", "family", "administrative_judicial",
            "finances", "digital")
ANSWERS = ("work_experience", "project_maturity", "availability", "support_needed", "barriers")
AUTHORITIES = ("departement", "delegated")
NATIONAL = "national"

BOOLEAN_CONDITIONS = ("rsa_recipient", "rqth", "executive", "under_26")
CHOICE_CONDITIONS = ("pathway", "availability", "project_maturity", "support_needed", "work_experience")
COUNT_CONDITIONS = ("major_barriers_at_least", "registered_months_at_least")


class InvalidReferential(RuleBroken):
    """A referential document at fault; `path` names the faulty place inside it, published as the
    field `referential.<path>` since the document travels in a body's `referential` member."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"The referential is not valid: {path}: {message}.", field=f"referential.{path}",
                         errors=[{"field": f"referential.{path}", "message": message}])
        self.path = path


@dataclass(frozen=True)
class Facts:
    """What the rules may look at: the person's registration facts, seen at the decision time."""

    rsa_recipient: bool
    rqth: bool
    executive: bool
    under_26: bool
    registered_months: int
    answers: dict[str, Any]  # the pre-diagnostic answers given (may lack some)
    pathway: str | None = None  # known once the pathway stage has answered

    def major_barriers(self, major: tuple[str, ...]) -> list[str]:
        barriers = self.answers.get("barriers") or {}
        return [name for name in major if barriers.get(name)]


@dataclass(frozen=True)
class ReferentialVersion:
    """A version of a territory's document as stored (never changed once stored); version 0 is a
    candidate being checked or simulated, never stored."""

    territory: str
    version: int
    document: dict[str, Any]
    comment: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    then: str | None
    when: dict[str, Any]
    explain: str


@dataclass(frozen=True)
class Referential:
    """The effective referential of a territory: national, merged with the département's override."""

    territory: str
    version: int
    national_version: int
    document: dict[str, Any]
    major_barriers: tuple[str, ...]
    required_answers: tuple[str, ...]
    contradictions: tuple[Rule, ...]
    pathway: tuple[Rule, ...]
    referent: tuple[Rule, ...]
    intensity: tuple[Rule, ...]
    eligibility: dict[str, dict[str, Any]]
    rsa_authority: str
    decision_delay_days: int

    def holds(self, when: dict[str, Any], facts: Facts) -> bool:
        return all(self._condition(name, expected, facts) for name, expected in when.items())

    def _condition(self, name: str, expected: Any, facts: Facts) -> bool:
        if name in BOOLEAN_CONDITIONS:
            return getattr(facts, name) is expected
        if name == "pathway":
            return facts.pathway in expected
        if name in CHOICE_CONDITIONS:
            return facts.answers.get(name) in expected
        if name == "major_barriers_at_least":
            return len(facts.major_barriers(self.major_barriers)) >= expected
        if name == "registered_months_at_least":
            return facts.registered_months >= expected
        if name == "any_barrier":
            barriers = facts.answers.get("barriers") or {}
            return any(barriers.get(b) for b in expected)
        raise AssertionError(name)  # unreachable: conditions are checked when the document is parsed


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def parse(document: dict[str, Any], territory: str, version: int, national_version: int) -> Referential:
    """Check a whole (already merged) document; `InvalidReferential` names the faulty field."""
    if not isinstance(document, dict):
        raise InvalidReferential("referential", "must be a mapping")
    major = tuple(_names(document, "major_barriers", BARRIERS))
    rsa = _mapping(document, "rsa")
    authority = rsa.get("authority")
    if authority not in AUTHORITIES:
        raise InvalidReferential("rsa.authority", f"must be one of {', '.join(AUTHORITIES)}")
    delay = rsa.get("decision_delay_days")
    if not isinstance(delay, int) or isinstance(delay, bool) or not 1 <= delay <= 365:
        raise InvalidReferential("rsa.decision_delay_days", "must be a number of days between 1 and 365")
    eligibility = _mapping(document, "eligibility")
    for org_type, when in eligibility.items():
        if org_type not in ORG_TYPES:
            raise InvalidReferential(f"eligibility.{org_type}", "unknown organisation type")
        _check_when(when, f"eligibility.{org_type}")
    return Referential(
        territory=territory, version=version, national_version=national_version, document=document,
        major_barriers=major, required_answers=tuple(_names(document, "required_answers", ANSWERS)),
        contradictions=_rules(document, "contradictions", None),
        pathway=_rules(document, "pathway", PATHWAYS, catch_all=True),
        referent=_rules(document, "referent", ORG_TYPES, catch_all=True),
        intensity=_rules(document, "intensity", INTENSITIES, catch_all=True),
        eligibility=eligibility, rsa_authority=authority, decision_delay_days=delay,
    )


def _mapping(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    if not isinstance(value, dict):
        raise InvalidReferential(key, "must be a mapping")
    return value


def _names(document: dict[str, Any], key: str, allowed: tuple[str, ...]) -> list[str]:
    value = document.get(key)
    if not isinstance(value, list) or any(item not in allowed for item in value):
        raise InvalidReferential(key, f"must be a list of: {', '.join(allowed)}")
    return value


def _rules(document: dict[str, Any], key: str, outcomes: tuple[str, ...] | None,
           catch_all: bool = False) -> tuple[Rule, ...]:
    items = document.get(key)
    if not isinstance(items, list) or (catch_all and not items):
        raise InvalidReferential(key, "must be a non-empty list of rules")
    rules = []
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("explain"), str):
            raise InvalidReferential(where, "a rule needs an id, a `when` and an `explain` text")
        if outcomes is not None and item.get("then") not in outcomes:
            raise InvalidReferential(f"{where}.then", f"must be one of {', '.join(outcomes)}")
        _check_when(item.get("when"), f"{where}.when")
        rules.append(Rule(item["id"], item.get("then"), item["when"], item["explain"]))
    # Every person must get an answer: the last rule of a stage applies to everyone.
    if catch_all and rules[-1].when:
        raise InvalidReferential(f"{key}[{len(rules) - 1}].when", "the last rule must apply to everyone (when: {})")
    return tuple(rules)


def _check_when(when: Any, where: str) -> None:
    if not isinstance(when, dict):
        raise InvalidReferential(where, "must be a mapping of conditions")
    for name, expected in when.items():
        if name in BOOLEAN_CONDITIONS:
            ok = isinstance(expected, bool)
        elif name in CHOICE_CONDITIONS or name == "any_barrier":
            ok = isinstance(expected, list) and all(isinstance(v, str) for v in expected)
        elif name in COUNT_CONDITIONS:
            ok = isinstance(expected, int) and not isinstance(expected, bool) and expected >= 0
        else:
            raise InvalidReferential(f"{where}.{name}", "unknown condition")
        if not ok:
            raise InvalidReferential(f"{where}.{name}", "wrong kind of value for this condition")


def months_between(start: datetime, end: datetime) -> int:
    """Whole months from start to end (a person registered on 15 March has 12 months on 15 March)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)

