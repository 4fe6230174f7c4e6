"""The sanctions scale as versioned data: which consequence a lapse may bring, who decides it, how
long the person has to answer. The documents live in services/sanctions/referentials/ (one per
version, each rule quoting the seed line it comes from); this module parses and applies them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from services.core.errors import RuleBroken

CONSEQUENCE_FIELDS = ("kind", "months_min", "months_max", "allowance_months_cancelled", "max_reduction_percent",
                      "household_cap_percent", "whole_household", "list_removal", "support_continues")


class Public(StrEnum):
    """Who the person is for the law in force: each has its own regime in the current scale."""

    JOBSEEKER = "jobseeker"
    RSA = "rsa"
    CEJ = "cej"


TARGET = "target"  # the unified regime's name, also accepted as a `regime` by evaluate
VERSIONS = ("current", TARGET)


@dataclass(frozen=True)
class Consequence:
    kind: str
    months_min: int | None = None
    months_max: int | None = None
    allowance_months_cancelled: int | None = None
    max_reduction_percent: int | None = None
    household_cap_percent: int | None = None
    whole_household: bool = False
    list_removal: bool = False
    support_continues: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    previous_exactly: int | None
    previous_at_least: int | None
    consequence: Consequence
    explanation: str
    seed: str
    equipe_pluridisciplinaire: bool | None  # None: the regime's default

    def applies(self, category: str, previous: int) -> bool:
        if category != self.category:
            return False
        return previous == self.previous_exactly if self.previous_exactly is not None else previous >= self.previous_at_least


@dataclass(frozen=True)
class Evaluation:
    consequence: Consequence
    authority: str
    observation_days: int
    equipe_pluridisciplinaire: bool
    rule: str
    explanation: str
    version: str
    appeals: tuple[str, ...]


@dataclass(frozen=True)
class Regime:
    name: str
    authority: str
    authority_by_public: dict[str, str]
    equipe_pluridisciplinaire: bool
    equipe_pluridisciplinaire_for: tuple[str, ...]
    appeals: tuple[str, ...]
    observation_days: int
    categories: dict[str, str]
    control_category: str | None
    rules: tuple[Rule, ...]
    observation_note: str = ""  # where the seed disagrees with itself, which figure applies and why

    def category_of(self, obligation: str, from_control: bool) -> str:
        if from_control and self.control_category:
            return self.control_category
        return self.categories.get(obligation, self.categories["default"])


@dataclass(frozen=True)
class Scale:
    version: str
    no_show_lapses_per_case: int
    regimes: dict[str, Regime]

    def regime_for(self, public: str) -> Regime:
        """The regime a person's public falls under in this version (the target has one for all)."""
        return self.regimes.get(public) or self.regimes[TARGET]

    def evaluate(self, regime: str, category: str, previous_sanctions: int, household_size: int) -> Evaluation:
        chosen = self.regime_for(regime)
        rule = next((r for r in chosen.rules if r.applies(category, previous_sanctions)), None)
        if rule is None:
            known = sorted({r.category for r in chosen.rules})
            raise RuleBroken(f"No category '{category}' in the {chosen.name} regime; known: {', '.join(known)}.",
                             field="category")
        consequence = _for_household(rule.consequence, household_size)
        ep = rule.equipe_pluridisciplinaire if rule.equipe_pluridisciplinaire is not None else (
            chosen.equipe_pluridisciplinaire or regime in chosen.equipe_pluridisciplinaire_for)
        authority = chosen.authority_by_public.get(regime, chosen.authority)
        return Evaluation(consequence, authority, chosen.observation_days, ep, rule.id, rule.explanation,
                          self.version, chosen.appeals)


def _for_household(consequence: Consequence, household_size: int) -> Consequence:
    """The household cap applies to households of more than one person only (L3204, L3205)."""
    cap = consequence.household_cap_percent
    if cap is None or household_size <= 1:
        return Consequence(**{**consequence.as_dict(), "household_cap_percent": None})
    reduction = consequence.max_reduction_percent
    return Consequence(**{**consequence.as_dict(), "max_reduction_percent": min(reduction or cap, cap)})


def evaluate(scales: dict[str, Scale], regime: str, category: str, previous_sanctions: int, household_size: int,
             version: str | None = None) -> Evaluation:
    """What the scale says for a lapse. `regime` is a public (jobseeker, rsa, cej: the current scale
    unless `version` says otherwise) or `target` (the unified regime, target version only)."""
    if previous_sanctions < 0:
        raise RuleBroken("previous_sanctions cannot be negative.", field="previous_sanctions")
    if household_size < 1:
        raise RuleBroken("A household has at least one person.", field="household_size")
    chosen = version or (TARGET if regime == TARGET else "current")
    if chosen not in scales:
        raise RuleBroken(f"No scale version '{chosen}'.", field="version")
    if regime == TARGET and chosen != TARGET:
        raise RuleBroken("The unified regime exists in the target version only.", field="version")
    return scales[chosen].evaluate(regime, category, previous_sanctions, household_size)


def parse(document: dict[str, Any]) -> Scale:
    """A version's document; a malformed one fails here, when the service starts."""
    return Scale(version=document["version"], no_show_lapses_per_case=int(document["no_show_lapses_per_case"]),
                 regimes={name: _regime(name, body) for name, body in document["regimes"].items()})


def _regime(name: str, body: dict[str, Any]) -> Regime:
    return Regime(
        name=name, authority=body["authority"], authority_by_public=dict(body.get("authority_by_public") or {}),
        equipe_pluridisciplinaire=bool(body["equipe_pluridisciplinaire"]),
        equipe_pluridisciplinaire_for=tuple(body.get("equipe_pluridisciplinaire_for") or ()),
        appeals=tuple(body["appeals"]), observation_days=int(body["observation_days"]),
        categories=dict(body["categories"]), control_category=body.get("control_category"),
        rules=tuple(_rule(rule) for rule in body["rules"]), observation_note=body.get("observation_note", ""))


def _rule(body: dict[str, Any]) -> Rule:
    consequence = Consequence(**{key: body[key] for key in CONSEQUENCE_FIELDS if key in body})
    exactly, at_least = body.get("previous_sanctions"), body.get("previous_sanctions_at_least")
    if (exactly is None) == (at_least is None):
        raise ValueError(f"rule {body['id']}: give previous_sanctions or previous_sanctions_at_least")
    return Rule(body["id"], body["category"], exactly, at_least, consequence, body["explanation"], str(body["seed"]),
                body.get("equipe_pluridisciplinaire"))
