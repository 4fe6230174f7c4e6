"""The dossier's two append-only journals as they are read back: who changed a section, and who
read or changed the dossier, for what purpose. Field order is the order partners see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Change:
    id: int
    section: str
    action: str
    version: int
    at: datetime
    changes: dict[str, Any]
    by: dict[str, str]


DOSSIER = "dossier"


@dataclass(frozen=True)
class Access:
    """One access to the person's data, by the dossier itself or told by another service."""

    id: int
    access: str  # read | write | refused (attempted, and refused)
    sections: list[str]
    purpose: str | None
    at: datetime
    by: dict[str, str]
    service: str = DOSSIER
    reason: str | None = None
