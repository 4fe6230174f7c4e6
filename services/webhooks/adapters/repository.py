"""Reads and writes of the webhooks' tables; the caller's transaction commits them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.webhooks.adapters.orm import AttemptRow, ChangeRow, DeliveryRow, EndpointRow, SubjectRow
from services.webhooks.domain.endpoint import (
    Endpoint, EndpointFilter, EndpointState, Owner, SigningSecret, SuspensionReason,
)


class EndpointRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, endpoint_id: str, *, lock: bool = False) -> Endpoint | None:
        statement = sa.select(EndpointRow).where(EndpointRow.id == endpoint_id)
        row = self.session.scalar(statement.with_for_update() if lock else statement)
        return to_endpoint(row) if row is not None else None

    def add(self, endpoint: Endpoint, created_by: str) -> None:
        self.session.add(EndpointRow(id=endpoint.id, org_id=endpoint.owner.org_id, org_type=endpoint.owner.org_type,
                                     org_territories=list(endpoint.owner.territories), created_by=created_by,
                                     created_at=endpoint.created_at, **_mutable(endpoint)))
        self.session.flush()

    def save(self, endpoint: Endpoint) -> None:
        row = self.session.get(EndpointRow, endpoint.id)
        for name, value in _mutable(endpoint).items():
            setattr(row, name, value)
        self.session.flush()

    def delete(self, endpoint_id: str) -> None:
        self.session.execute(sa.delete(AttemptRow).where(AttemptRow.delivery_id.in_(
            sa.select(DeliveryRow.id).where(DeliveryRow.endpoint_id == endpoint_id))))
        self.session.execute(sa.delete(DeliveryRow).where(DeliveryRow.endpoint_id == endpoint_id))
        self.session.execute(sa.delete(EndpointRow).where(EndpointRow.id == endpoint_id))

    def page(self, org_id: str, after: tuple[datetime, str] | None, limit: int) -> list[Endpoint]:
        e = EndpointRow
        statement = sa.select(e).where(e.org_id == org_id)
        if after:
            statement = statement.where(sa.or_(e.created_at > after[0], sa.and_(e.created_at == after[0], e.id > after[1])))
        return [to_endpoint(row) for row in self.session.scalars(statement.order_by(e.created_at, e.id).limit(limit))]

    def subscribed_to(self, event_type: str) -> list[Endpoint]:
        """Every endpoint naming the type, paused ones included (their deliveries wait). Endpoints
        are few (one or two per partner): filtered here, the JSON column being backend-specific."""
        return [endpoint for endpoint in map(to_endpoint, self.session.scalars(sa.select(EndpointRow)))
                if endpoint.subscribes_to(event_type)]


def _mutable(endpoint: Endpoint) -> dict[str, Any]:
    return {"url": endpoint.url, "event_types": list(endpoint.event_types), "filter": endpoint.filter.to_dict(),
            "secrets": [{"value": s.value, "created_at": s.created_at.isoformat(),
                         "expires_at": s.expires_at.isoformat() if s.expires_at else None} for s in endpoint.secrets],
            "technical_contact": endpoint.technical_contact, "description": endpoint.description,
            "state": endpoint.state.value, "state_reason": endpoint.state_reason.value if endpoint.state_reason else None,
            "version": endpoint.version}


def to_endpoint(row: EndpointRow) -> Endpoint:
    secrets = [SigningSecret(s["value"], datetime.fromisoformat(s["created_at"]),
                             datetime.fromisoformat(s["expires_at"]) if s["expires_at"] else None) for s in row.secrets]
    return Endpoint(row.id, Owner(row.org_id, row.org_type, tuple(row.org_territories)), row.url,
                    tuple(row.event_types), EndpointFilter.from_dict(row.filter), secrets, row.created_at,
                    row.technical_contact, row.description, EndpointState(row.state),
                    SuspensionReason(row.state_reason) if row.state_reason else None, row.version)


class ChangeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known(self, event_id: str) -> bool:
        return self.session.scalar(sa.select(ChangeRow.position).where(ChangeRow.event_id == event_id)) is not None

    def next_sequence(self, subject: str) -> int:
        row = self.session.get(SubjectRow, subject)
        if row is None:
            row = SubjectRow(subject=subject, sequence=0)
            self.session.add(row)
        row.sequence += 1
        return row.sequence

    def add(self, change: ChangeRow) -> ChangeRow:
        self.session.add(change)
        self.session.flush()
        return change

    def after(self, position: int, types: list[str] | None, limit: int) -> list[ChangeRow]:
        statement = sa.select(ChangeRow).where(ChangeRow.position > position)
        if types:
            statement = statement.where(ChangeRow.event_type.in_(types))
        return list(self.session.scalars(statement.order_by(ChangeRow.position).limit(limit)))

    def since(self, moment: datetime, types: tuple[str, ...], limit: int) -> list[ChangeRow]:
        return list(self.session.scalars(sa.select(ChangeRow).where(
            ChangeRow.occurred_at >= moment, ChangeRow.event_type.in_(types)).order_by(ChangeRow.position).limit(limit)))

    def last_position(self) -> int:
        return self.session.scalar(sa.select(sa.func.max(ChangeRow.position))) or 0


PENDING, DELIVERED, FAILED, WITHHELD = "pending", "delivered", "failed", "withheld"


class DeliveryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: DeliveryRow) -> None:
        self.session.add(row)

    def get(self, delivery_id: str) -> DeliveryRow | None:
        return self.session.get(DeliveryRow, delivery_id)

    def due(self, now: datetime, limit: int) -> list[DeliveryRow]:
        """Pending deliveries whose time has come, each the oldest pending of its subject for its
        endpoint: a subject's later change waits until the earlier one is delivered or given up."""
        d, earlier = DeliveryRow, sa.orm.aliased(DeliveryRow)
        blocked = sa.select(earlier.id).where(
            earlier.endpoint_id == d.endpoint_id, earlier.subject == d.subject, earlier.status == PENDING,
            sa.or_(earlier.created_at < d.created_at,
                   sa.and_(earlier.created_at == d.created_at, earlier.change_position < d.change_position)))
        active = sa.select(EndpointRow.id).where(EndpointRow.state == EndpointState.ACTIVE.value)
        statement = sa.select(d).where(d.status == PENDING, d.next_attempt_at <= now, d.endpoint_id.in_(active),
                                       ~blocked.exists()).order_by(d.next_attempt_at).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True, of=d)
        return list(self.session.scalars(statement))

    def page(self, endpoint_id: str, after: tuple[datetime, str] | None, limit: int) -> list[DeliveryRow]:
        """Newest first; withheld deliveries are not shown (the subject is no longer the caller's to know)."""
        d = DeliveryRow
        statement = sa.select(d).where(d.endpoint_id == endpoint_id, d.status != WITHHELD)
        if after:
            statement = statement.where(sa.or_(d.created_at < after[0], sa.and_(d.created_at == after[0], d.id < after[1])))
        return list(self.session.scalars(statement.order_by(d.created_at.desc(), d.id.desc()).limit(limit)))

    def attempts_of(self, delivery_ids: list[str]) -> dict[str, list[AttemptRow]]:
        out: dict[str, list[AttemptRow]] = {delivery_id: [] for delivery_id in delivery_ids}
        for row in self.session.scalars(sa.select(AttemptRow).where(AttemptRow.delivery_id.in_(delivery_ids))
                                        .order_by(AttemptRow.number)):
            out[row.delivery_id].append(row)
        return out

    def record_attempt(self, row: DeliveryRow, now: datetime, status_code: int | None, error: str | None,
                       duration_ms: int) -> None:
        row.attempts += 1
        row.last_status_code, row.last_error = status_code, error
        self.session.add(AttemptRow(delivery_id=row.id, number=row.attempts, attempted_at=now, status_code=status_code,
                                    error=error, duration_ms=duration_ms))

