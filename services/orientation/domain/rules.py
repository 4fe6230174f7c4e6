"""Applying a referential to a person: pathway, referent organisation type, intensity, and why.

The answer names each rule that produced it in words a counsellor can read. When the rules give
no clear answer (missing or contradictory pre-diagnostic answers, a preference they cannot
honour) the outcome asks for a short "giratoire" interview instead of guessing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from services.orientation.domain.referential import Facts, Referential, Rule


@dataclass(frozen=True)
class Outcome:
    pathway: str | None
    org_type: str | None
    intensity: str | None
    rule_ids: tuple[str, ...]
    explanation: str

    @property
    def needs_interview(self) -> bool:
        return self.org_type is None


def evaluate(referential: Referential, facts: Facts, preferred_org_type: str | None = None) -> Outcome:
    missing = [name for name in referential.required_answers if facts.answers.get(name) in (None, "")]
    if missing:
        return _interview(referential, ("missing-answers",),
                          f"the pre-diagnostic lacks answers ({', '.join(missing)})")
    for contradiction in referential.contradictions:
        if referential.holds(contradiction.when, facts):
            return _interview(referential, (contradiction.id,), f"contradictory answers: {contradiction.explain}")

    pathway = _first(referential.pathway, referential, facts)
    facts = replace(facts, pathway=pathway.then)
    intensity = _first(referential.intensity, referential, facts)
    if preferred_org_type is not None:
        if not eligible(referential, facts, preferred_org_type):
            return _interview(referential, (pathway.id, "preference-not-eligible"),
                              f"pathway {pathway.then}: {pathway.explain}; the preferred organisation type "
                              f"{preferred_org_type} is not open to this person on this pathway", pathway.then)
        referent = Rule("preference", preferred_org_type, {}, "the person's stated preference, eligible here")
    else:
        referent = _first(referential.referent, referential, facts)
    return Outcome(
        pathway=pathway.then, org_type=referent.then, intensity=intensity.then,
        rule_ids=(pathway.id, referent.id, intensity.id),
        explanation=f"Pathway {pathway.then}: {pathway.explain}. Referent {referent.then}: {referent.explain}. "
                    f"Intensity {intensity.then}: {intensity.explain}. ({_cite(referential)})",
    )


def eligible(referential: Referential, facts: Facts, org_type: str) -> bool:
    """An organisation type the person may be oriented to, on the pathway in `facts`."""
    when = referential.eligibility.get(org_type)
    return when is not None and referential.holds(when, facts)


def _first(rules: tuple[Rule, ...], referential: Referential, facts: Facts) -> Rule:
    # The referential's last rule of each stage applies to everyone (checked when it is parsed).
    return next(rule for rule in rules if referential.holds(rule.when, facts))


def _interview(referential: Referential, rule_ids: tuple[str, ...], why: str, pathway: str | None = None) -> Outcome:
    return Outcome(pathway=pathway, org_type=None, intensity=None, rule_ids=rule_ids,
                   explanation=f"Giratoire interview needed: {why}. ({_cite(referential)})")


def _cite(referential: Referential) -> str:
    if referential.territory == "national":
        return f"national referential v{referential.version}"
    return (f"referential of département {referential.territory} v{referential.version} "
            f"over national v{referential.national_version}")
