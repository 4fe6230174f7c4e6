"""Domain events the dossier raises; the service layer turns them into outbox rows.

Each event holds its published payload, field for field in the order of its schema
(`schemas/dossier.*.v1.json`, a contract partners read): the service publishes it as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DiagnosticCompleted:
    person_id: str
    version: int
    completed_at: str
    completed_by: dict[str, str]
    explicit: bool
    fields_filled: list[str]


@dataclass(frozen=True)
class ContractSigned:
    person_id: str
    contract_version: int
    signed_at: str
    channel: str
    recorded_by: dict[str, str]
    referent: dict[str, str] | None
    pathway: str | None
    jeunes_mention: bool
    objectives_count: int
    actions: list[dict[str, Any]]
    next_review_due: str | None
    obligations: dict[str, Any]  # typed, from the obligations referential (domain/obligations.py)


@dataclass(frozen=True)
class ReviewRecorded:
    person_id: str
    review_id: str
    held_at: str
    channel: str
    outcome: str
    recorded_by: dict[str, str]
    next_review_due: str | None


@dataclass(frozen=True)
class ReviewOverdue:
    """A signed contract's point d'étape is past due; raised once per due date."""
    person_id: str
    next_review_due: str
    signed_at: str
    last_review_at: str | None
    referent: dict[str, str] | None
    departement_code: str | None
    rsa_recipient: bool


@dataclass(frozen=True)
class ContractUnsigned:
    """The diagnostic is complete but the contract is still unsigned after the signature delay; once
    per completed diagnostic."""
    person_id: str
    diagnostic_completed_at: str
    signature_due: str
    referent: dict[str, str] | None
    departement_code: str | None
    rsa_recipient: bool


Event = DiagnosticCompleted | ContractSigned | ReviewRecorded | ReviewOverdue | ContractUnsigned
