"""From stored rows to the published representations (api/schemas.py)."""
from __future__ import annotations

from typing import Any

from services.offers.adapters.orm import ImportErrorRow, ImportRow, MatchRow, OfferRow, OfferSourceRow, SubscriptionRow
from services.offers.domain.model import Finding
from services.offers.domain.rome import RomeReference
from services.offers.service.lifecycle import OfferView


def summary(row: OfferRow, distance_km: float | None = None) -> dict[str, Any]:
    draft = row.draft
    place = draft.get("place")
    return {
        "id": row.id, "status": row.status, "title": draft["title"], "employer": draft["employer"],
        "place": {key: place[key] for key in ("commune_code", "commune_name", "departement_code", "region_code")}
        if place else None,
        "rome": draft["rome"], "contract_type": draft.get("contract_type"),
        "contract_duration_months": draft.get("contract_duration_months"), "working_time": draft["working_time"],
        "weekly_hours": draft.get("weekly_hours"), "salary": draft["salary"],
        "accessible_to_disabled": draft["accessible_to_disabled"], "positions": draft["positions"],
        "published_at": row.published_at, "ends_on": draft.get("ends_on"), "distance_km": distance_km,
    }


def offer(view: OfferView, **extra: Any) -> dict[str, Any]:
    row = view.row
    return {**summary(row), "version": row.version, "description": row.draft["description"],
            "starts_on": row.draft.get("starts_on"), "url": row.draft.get("url"), "owner_org_id": row.owner_org_id,
            "sources": len(view.sources), "findings": [finding(f) for f in view.findings],
            "received_at": row.received_at, "updated_at": row.updated_at, "closed_at": row.closed_at, **extra}


def finding(item: Finding) -> dict[str, Any]:
    return item.to_dict()


def facets(folded: dict[str, list[tuple[str | None, int]]]) -> dict[str, list[dict[str, Any]]]:
    rome = RomeReference.default()
    out = {name: [{"value": value, "count": n} for value, n in counts] for name, counts in folded.items()}
    for item in out.get("rome_code", []):
        entry = rome.get(item["value"]) if item["value"] else None
        item["label"] = entry.label if entry else None
    return out


def source(row: OfferSourceRow) -> dict[str, Any]:
    return {"source": row.source, "source_offer_id": row.source_offer_id, "publisher_org_id": row.publisher_org_id,
            "url": row.url, "primary": row.primary, "similarity": row.similarity, "received_at": row.received_at,
            "updated_at": row.updated_at}


def import_job(row: ImportRow, errors: list[ImportErrorRow], next_cursor: str | None) -> dict[str, Any]:
    fields = ("id", "status", "media_type", "format", "lines_total", "lines_done", "created", "updated", "merged",
              "quarantined", "unchanged", "rejected", "created_at", "started_at", "finished_at")
    return {**{name: getattr(row, name) for name in fields},
            "errors": [{"line": e.line, "errors": e.errors} for e in errors], "next_errors_cursor": next_cursor}


def subscription(row: SubscriptionRow) -> dict[str, Any]:
    return {"id": row.id, "person_id": row.person_id, "org_id": row.org_id, "created_by": row.created_by,
            "criteria": row.criteria, "created_at": row.created_at}


def my_saved_search(row: SubscriptionRow, matches: list[tuple[MatchRow, OfferRow]], total: int) -> dict[str, Any]:
    """A search as the person it was saved for sees it: who saved it is the organisation only (no
    client, agent nor territories), and the offers it sent them."""
    return {"id": row.id, "criteria": row.criteria, "saved_by": {"org_id": row.org_id, "org_type": row.org_type},
            "created_at": row.created_at, "matches_total": total,
            "matches": [{"matched_at": match.matched_at, "offer": summary(offer)} for match, offer in matches]}
