"""The body of a delivery: a CloudEvents 1.0 JSON event, thin where a person is concerned.

It names the change (`type`), the subject and what changed, links the resource and carries the
subject's sequence: each change to a subject gets the next number, so a receiver that gets an older
sequence than one it already applied knows the update is stale. Offer events may carry the offer
itself (public data); person events never carry personal data.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from services.webhooks.domain.catalogue import TEST_EVENT_TYPE, PartnerEventType

SOURCE = "/v1/webhooks"


def thin_event(event_id: str, event_type: PartnerEventType, subject: str, sequence: int, occurred_at: datetime,
               source_data: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"subject_id": subject, "changed": list(event_type.changed),
                            "link": event_type.link.format(id=subject), "sequence": sequence}
    if event_type.carries_offer:
        data["offer"] = source_data
    return {"specversion": "1.0", "id": event_id, "type": event_type.name, "source": SOURCE, "subject": subject,
            "time": rfc3339(occurred_at), "datacontenttype": "application/json", "data": data}


def test_event(event_id: str, endpoint_id: str, now: datetime) -> dict[str, Any]:
    return {"specversion": "1.0", "id": event_id, "type": TEST_EVENT_TYPE, "source": SOURCE,
            "subject": endpoint_id, "time": rfc3339(now), "datacontenttype": "application/json",
            "data": {"subject_id": endpoint_id, "changed": [], "link": f"/v1/webhooks/{endpoint_id}", "sequence": 0}}


def rfc3339(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
