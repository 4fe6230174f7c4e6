"""What a caller is shown: the sections it may read, health data only if it may see it."""
from __future__ import annotations

from datetime import date
from typing import Any

from services.core.referentials.obligations import obligations
from services.dossier.domain.dossier import Dossier
from services.dossier.domain.obligations import signed_obligations
from services.dossier.domain.policy import Grants
from services.dossier.domain.reviews import review_status
from services.dossier.domain.sections import (
    APPOINTMENTS, CONTRACT, CORRECTIONS, DIAGNOSTIC, FAILED_REMINDERS, HEALTH_PATHS, IDENTITY, ORIENTATION, REVIEWS,
    RSA_STATUS, VIEW_SECTIONS, without_paths,
)


def render(dossier: Dossier, name: str, grants: Grants, today: date) -> dict[str, Any]:
    """One section as the caller may see it; the caller's right to read it is checked before."""
    if name == RSA_STATUS:
        return rsa_status(dossier)
    section = dossier.section(name)
    body = {**section.content, **_public_meta(dossier, name, today)}
    if not grants.sees_health:
        body = without_paths(body, HEALTH_PATHS.get(name, ()))
    return body


def consolidated(dossier: Dossier, grants: Grants, today: date) -> dict[str, Any]:
    """The whole dossier, each readable section once; a section the caller may not read is absent."""
    readable = [name for name in VIEW_SECTIONS if grants.may_read(name)]
    body: dict[str, Any] = {"person_id": dossier.person_id}
    body.update({name: render(dossier, name, grants, today) for name in readable})
    body["etags"] = {name: f'"{dossier.version(name)}"' for name in readable}
    return body


def own_view(dossier: Dossier, grants: Grants, today: date) -> dict[str, Any]:
    """The person's own dossier: every section, and the contract's obligations in force spelt out (the
    common base and the pathway's apply without being listed in the contract), with their labels."""
    body = consolidated(dossier, grants, today)
    contract = dossier.section(CONTRACT).content
    items = signed_obligations(contract, dossier.current_orientation.get("pathway"), dossier.public_on(today))["items"]
    referential = obligations()
    body[CONTRACT] = {**body[CONTRACT], "obligations_in_force": [
        {**item, "label": referential.get(item["code"]).label} for item in items]}
    return body


def rsa_status(dossier: Dossier) -> dict[str, Any]:
    """What the CAF needs for an RSA right: is the person oriented, to which pathway, under contract."""
    identity, orientation = dossier.section(IDENTITY).content, dossier.current_orientation
    signature = dossier.section(CONTRACT).meta.get("signature") or {}
    return {
        "rsa_recipient": bool(identity.get("rsa_recipient")),
        "departement_code": identity.get("departement_code"),
        "orientation_status": orientation.get("status"),
        "pathway": orientation.get("pathway"),
        "contract_signed_at": signature.get("signed_at"),
    }


def _public_meta(dossier: Dossier, name: str, today: date) -> dict[str, Any]:
    section = dossier.section(name)
    if name == IDENTITY and section.content:
        return {"under_26": dossier.under_26_on(today)}
    if name == DIAGNOSTIC:
        return {"completed_at": section.meta.get("completed_at")}
    if name == CONTRACT:
        return {"signature": section.meta.get("signature"), "jeunes_mention": dossier.under_26_on(today)}
    if name == REVIEWS:
        items = section.content.get("items", [])
        return {"items": items, **review_status(dossier.signed_at, items, today)}
    if name == ORIENTATION and not section.content:
        return {"current": None, "history": []}
    if name in (APPOINTMENTS, CORRECTIONS, FAILED_REMINDERS) and not section.content:
        return {"items": []}
    return {}
