"""What a list of cases asks for: the caller's filters, and what the policy lets it see."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Visibility:
    """Which cases a caller's list may show, as the policy grants: its cases as an authority
    (public -> territories), those of the people it follows, decisions it pays on."""

    everything: bool
    authority: dict[str, tuple[str, ...]]
    referent_org_id: str
    payer: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    territory: str | None = None
    regime: str | None = None
    person_id: str | None = None
