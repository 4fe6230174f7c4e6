"""The dossier's two append-only journals as they are read back: who changed a section, and who
read or changed the dossier, for what purpose. Field order is the order partners see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.dossier.domain.policy import Purpose


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
    # For a read made for a control: when its procedure closed, as the service that made it tells.
    procedure_closed_at: datetime | None = None


# Reads made for a control are told to the person once the procedure they belong to is closed (the
# law lets the administration delay them so as not to defeat the control). Until then they are kept,
# never shown on the person's own door.
WITHHELD_UNTIL_CLOSED_NOTE = ("Les consultations faites dans le cadre d'un contrôle apparaissent ici une fois la "
                              "procédure de contrôle close.")


# Services that tell the dossier a read made for a control only once its procedure closed (sanctions
# holds them in its own table and publishes them in the transaction that closes the case).
HOLD_CONTROL_READS_UNTIL_CLOSED = frozenset({"sanctions"})


def shown_to_person(access: Access) -> bool:
    return access.purpose != Purpose.CONTROL or access.procedure_closed_at is not None


def procedure_closed_at(service: str, purpose: str | None, told_at: datetime) -> datetime | None:
    """For a read made for a control that another service told: when its procedure is known closed.
    A service holding such reads back tells them as the procedure closes, so the telling is the moment;
    any other service's control read (and the dossier's own, whose procedure it cannot know) stays
    withheld from the person."""
    if purpose == Purpose.CONTROL and service in HOLD_CONTROL_READS_UNTIL_CLOSED:
        return told_at
    return None
