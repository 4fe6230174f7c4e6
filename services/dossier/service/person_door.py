"""The person's own door (/v1/me/...): their dossier, who accessed their data, their correction requests.

The person is the caller's `person_id`, from their token: no route takes a person id, so nobody
reaches another person's data through these. What the person sees is the policy table's `person`
row (domain/policy.py) rendered by the same views as every organisation's. A person's own reads are
not logged: the access log tells them who else read their file.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from services.core.db import UniqueKeyTaken
from services.core.errors import Conflict, NotFound
from services.dossier.domain import corrections
from services.dossier.domain.dossier import Dossier
from services.dossier.domain.policy import Grants
from services.dossier.domain.sections import CORRECTIONS
from services.dossier.domain.views import own_view
from services.dossier.service.unit_of_work import DossierUnitOfWork


def own_dossier(uow: DossierUnitOfWork, person_id: str, now: datetime) -> dict[str, Any]:
    return own_view(_existing(uow, person_id), Grants.own(), now.date())


def own_access_log(uow: DossierUnitOfWork, person_id: str, before_id: int | None,
                   limit: int) -> list[dict[str, Any]]:
    """Every organisation's access, every service's, newest first; control reads once their procedure closed."""
    return [asdict(entry) for entry in uow.dossiers.accesses(person_id, before_id, limit, shown_to_person=True)]


def ask_correction(uow: DossierUnitOfWork, person_id: str, correction_id: str, about: str, field: str | None,
                   message: str, now: datetime) -> dict[str, Any]:
    dossier = _existing(uow, person_id, for_update=True)
    section = dossier.section(CORRECTIONS)
    item = corrections.ask(section, correction_id, about, field, message, now)
    try:
        uow.dossiers.save(person_id, section, now)
    except UniqueKeyTaken:  # two first requests at once: the other one won the section's first row
        raise Conflict("Another of your requests was being recorded at the same moment; send this one again.") \
            from None
    return item


def own_corrections(uow: DossierUnitOfWork, person_id: str, after: tuple[str, str] | None,
                    limit: int) -> list[dict[str, Any]]:
    """Newest first, those asked before the cursor's (asked_at, id) when given."""
    items = sorted(corrections.items(_existing(uow, person_id).section(CORRECTIONS)),
                   key=lambda item: (item["asked_at"], item["correction_id"]), reverse=True)
    if after is not None:
        items = [item for item in items if (item["asked_at"], item["correction_id"]) < after]
    return items[:limit]


def own_correction(uow: DossierUnitOfWork, person_id: str, correction_id: str) -> dict[str, Any]:
    found = [item for item in corrections.items(_existing(uow, person_id).section(CORRECTIONS))
             if item["correction_id"] == correction_id]
    if not found:
        raise NotFound("You have no correction request with this id.")
    return found[0]


def _existing(uow: DossierUnitOfWork, person_id: str, for_update: bool = False) -> Dossier:
    dossier = uow.dossiers.get(person_id, for_update=for_update)
    if not dossier.exists:
        raise NotFound("The platform holds no dossier about you yet: it opens with your registration.")
    return dossier
