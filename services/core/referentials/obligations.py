"""The obligations of the contrat d'engagements réciproques as a versioned referential
(data/obligations.yaml): the dossier types a contract's obligations with its codes, sanctions records a
lapse against one of them. Shared, so both name an obligation alike."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "obligations.yaml"


@dataclass(frozen=True)
class Obligation:
    code: str
    scope: str  # common | pathway | individual
    label: str
    pathways: tuple[str, ...] = ()
    every: dict[str, str] = field(default_factory=dict)  # reporting frequency by public


@dataclass(frozen=True)
class ObligationReferential:
    version: int
    obligations: tuple[Obligation, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.obligations)

    def base(self, pathway: str | None) -> list[Obligation]:
        """What everyone registered owes, plus what the pathway adds (#65, L3185-L3186)."""
        return [o for o in self.obligations if o.scope == "common" or (o.scope == "pathway" and pathway in o.pathways)]

    def get(self, code: str) -> Obligation:
        return next(o for o in self.obligations if o.code == code)


@cache
def obligations() -> ObligationReferential:
    document = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return ObligationReferential(document["version"], tuple(
        Obligation(o["code"], o["scope"], o["label"], tuple(o.get("pathways", ())), dict(o.get("every") or {}))
        for o in document["obligations"]))


OBLIGATION_CODES = obligations().codes
