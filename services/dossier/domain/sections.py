"""The shared dossier's sections and the rules on their content. Pure Python, no I/O.

Four sections are built from other services' events (identity, orientation, appointments, failed
reminders), three
are written by partners (diagnostic, contract, reviews); `rsa_status` is derived for the CAF; the
person asks corrections and the referent answers them (corrections).
Each stored section carries its own version, so two partners editing different sections never
conflict, and two editing the same one get a 412 instead of overwriting each other.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from services.core.errors import InvalidTransition
from services.core.health_data import DIAGNOSTIC_PATHS, DOSSIER_IDENTITY_PATHS

IDENTITY, RSA_STATUS, ORIENTATION, APPOINTMENTS = "identity", "rsa_status", "orientation", "appointments"
DIAGNOSTIC, CONTRACT, REVIEWS = "diagnostic", "contract", "reviews"
HISTORY, ACCESS_LOG = "history", "access_log"
# The person's requests to correct what the dossier holds (domain/corrections.py), answered by the referent.
CORRECTIONS = "corrections"
# Reminders notifications could not deliver to the person (notifications.message.failed.v1): the
# referent reaches the person another way.
FAILED_REMINDERS = "failed_reminders"
# Not a section but a facet of two of them, with its own line in the policy table.
HEALTH = "health"

VIEW_SECTIONS = (IDENTITY, RSA_STATUS, ORIENTATION, APPOINTMENTS, DIAGNOSTIC, CONTRACT, REVIEWS, CORRECTIONS,
                 FAILED_REMINDERS)
PARTNER_SECTIONS = (DIAGNOSTIC, CONTRACT, REVIEWS)
# rsa_status is computed from these: its ETag moves whenever one of them does.
RSA_STATUS_SOURCES = (IDENTITY, ORIENTATION, CONTRACT)

# The six fields of the diagnostic France Travail (Proposition #10).
DIAGNOSTIC_FIELDS = ("skills", "professional_project", "labour_market", "overall_situation",
                     "digital_and_basic_skills", "rights_and_duties")

# Health data (special-category data under the GDPR) inside sections: shown to the referent only
# (services/core/health_data.py).
HEALTH_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {IDENTITY: DOSSIER_IDENTITY_PATHS, DIAGNOSTIC: DIAGNOSTIC_PATHS}


class NothingToSign(InvalidTransition):
    pass


class AlreadySigned(InvalidTransition):
    pass


@dataclass
class Section:
    name: str
    version: int = 0
    content: dict[str, Any] = field(default_factory=dict)
    # Kept by the service, never by a patch: completion, signature, event ordering.
    meta: dict[str, Any] = field(default_factory=dict)


def touches(patch: dict[str, Any], path: tuple[str, ...]) -> bool:
    """Whether a merge patch could change `path` (itself, or an ancestor replaced or removed)."""
    node: Any = patch
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
        if not isinstance(node, dict):
            return True
    return True


def without_paths(content: dict[str, Any], paths: tuple[tuple[str, ...], ...]) -> dict[str, Any]:
    result = copy.deepcopy(content)
    for path in paths:
        node = result
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return result


def diagnostic_is_complete(content: dict[str, Any]) -> bool:
    return all(content.get(name) for name in DIAGNOSTIC_FIELDS)


def completes_diagnostic(section: Section, explicit: bool) -> bool:
    """Completion is told once: the first time all six fields are filled, or when a partner says so."""
    return not section.meta.get("completed_at") and (explicit or diagnostic_is_complete(section.content))


def check_signable(contract: Section) -> None:
    if not contract.content.get("objectives") and not contract.content.get("actions"):
        raise NothingToSign("The contract has no objectives or actions yet; write them before signing.")
    if (contract.meta.get("signature") or {}).get("version") == contract.version:
        raise AlreadySigned("This version of the contract is already signed.")
