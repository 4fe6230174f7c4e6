"""Request and response bodies of the webhooks API, and the payloads it delivers."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


from services.core.codes import DepartementCode
from services.core.http import DateTime, EmailAddress, RequestBody, merge_patch_of, visible_text
from services.webhooks.domain.catalogue import PARTNER_EVENT_TYPES, TEST_EVENT_TYPE
from services.webhooks.domain.endpoint import MAX_EVENT_TYPES, MAX_FILTER_VALUES, MAX_ROTATION_OVERLAP

PartnerEventType = Literal[tuple(sorted(PARTNER_EVENT_TYPES))]  # type: ignore[valid-type]
OrgId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$", max_length=100)]
WebhookUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\x00-\x20]+$", max_length=2000)]
MessageId = Annotated[str, StringConstraints(pattern=r"^msg_[0-9a-f]{32}$", max_length=36)]


class WebhookFilter(RequestBody):
    """Narrows what the endpoint receives, within what your organisation is entitled to know."""

    departements: list[DepartementCode] = Field(default_factory=list, max_length=MAX_FILTER_VALUES,
                                                 description="Départements the person lives in, or the offer is in.")
    offer_publishers: list[OrgId] = Field(default_factory=list, max_length=MAX_FILTER_VALUES,
                                          description="Organisations (org ids) whose offers you want.")


class WebhookEndpointIn(RequestBody):
    """A receiver of the platform's changes: an https URL on a public address."""

    url: WebhookUrl = Field(description="https URL on a public address; redirects are not followed.",
                            json_schema_extra={"x-checked-against": "https on a public address (resolved by DNS)"})
    event_types: list[PartnerEventType] = Field(min_length=1, max_length=MAX_EVENT_TYPES)
    filter: WebhookFilter | None = None
    technical_contact: EmailAddress | None = Field(None, description="Told when deliveries stop (410, failures).")
    description: visible_text(500) | None = None


WebhookEndpointPatch = merge_patch_of(WebhookEndpointIn, "WebhookEndpointPatch",
                                      "A JSON merge patch of the endpoint (RFC 7396).")


class WebhookFilterOut(BaseModel):
    departements: list[str]
    offer_publishers: list[str]


class WebhookEndpointOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    filter: WebhookFilterOut
    technical_contact: str | None = None
    description: str | None = None
    state: Literal["active", "paused", "disabled"]
    state_reason: Literal["owner", "failing", "gone"] | None = None
    version: int
    created_at: datetime


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str | None = Field(None, description="The signing secret, shown this once (whsec_ and base64): a replay of "
                               "the creation (the same Idempotency-Key) answers the endpoint without it.")


class WebhookEndpointPage(BaseModel):
    items: list[WebhookEndpointOut]
    next_cursor: str | None = None


class WebhookSecretRotation(RequestBody):
    overlap_seconds: int = Field(86400, ge=0, le=int(MAX_ROTATION_OVERLAP.total_seconds()),
                                 description="How long the current secrets keep signing beside the new one.")


class WebhookSecretOut(BaseModel):
    secret: str | None = Field(None, description="The new signing secret, shown this once: a replay of the rotation "
                               "(the same Idempotency-Key) answers without it.")
    previous_valid_until: datetime | None = None


class WebhookAttemptOut(BaseModel):
    number: int
    attempted_at: datetime
    status_code: int | None = None
    error: str | None = None
    duration_ms: int


class WebhookDeliveryOut(BaseModel):
    id: str = Field(description="The webhook-id header, the same on every attempt.")
    event_type: str
    subject: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None = None
    last_status_code: int | None = None
    created_at: datetime
    finished_at: datetime | None = None
    replay_of: str | None = None
    attempt_log: list[WebhookAttemptOut]


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDeliveryOut]
    next_cursor: str | None = None


class WebhookReplayIn(RequestBody):
    """One of: `since` (every change from then on), or `delivery_id` (that delivery's change)."""

    model_config = ConfigDict(json_schema_extra={"x-checked-against": "exactly one of since and delivery_id"})

    since: DateTime | None = None
    delivery_id: MessageId | None = None


class WebhookReplayOut(BaseModel):
    deliveries: list[str] = Field(description="The new deliveries' ids (webhook-id).")


class ChangeData(BaseModel):
    subject_id: str
    changed: list[str] = Field(description="The kinds of fact that changed; read the link to see them.")
    link: str = Field(description="The resource to read (with a purpose, for a person).")
    sequence: int = Field(description="The subject's change number: a lower one than already applied is stale.")
    offer: dict[str, Any] | None = Field(None, description="Offer events: the offer as published.")


class ChangeEvent(BaseModel):
    """A change, as a CloudEvents 1.0 JSON event: the body of a webhook delivery, an item of the feed."""

    specversion: Literal["1.0"]
    id: str
    type: str = Field(examples=[TEST_EVENT_TYPE])
    source: str
    subject: str
    time: datetime
    datacontenttype: Literal["application/json"]
    data: ChangeData


class ChangePage(BaseModel):
    items: list[ChangeEvent]
    next_cursor: str = Field(description="Where to resume; always given, even when no item is new.")

