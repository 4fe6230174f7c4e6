"""Stores the versions of each territory's referential (never commits)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.db import UniqueKeyTaken
from services.orientation.adapters.orm import ReferentialRow
from services.orientation.domain.referential import ReferentialVersion


# session.info key of the latest versions already read in a transaction: the orientation consumer applies a
# run of events in one, and read the national referential and the département's, documents included, for each.
LATEST_READ = "orientation_referentials_latest"


class ReferentialRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, territory: str) -> ReferentialVersion | None:
        """Read once per transaction; `add` forgets what it supersedes."""
        known = self.session.info.setdefault(LATEST_READ, {})
        if territory not in known:
            row = self.session.scalar(select(ReferentialRow).where(ReferentialRow.territory == territory)
                                      .order_by(ReferentialRow.version.desc()).limit(1))
            known[territory] = _version(row) if row else None
        return known[territory]

    def versions(self, territory: str, before: int | None, limit: int) -> list[ReferentialVersion]:
        query = select(ReferentialRow).where(ReferentialRow.territory == territory)
        if before is not None:
            query = query.where(ReferentialRow.version < before)
        return [_version(row) for row in self.session.scalars(query.order_by(ReferentialRow.version.desc()).limit(limit))]

    def territories(self) -> list[str]:
        return list(self.session.scalars(select(ReferentialRow.territory).distinct()))

    def add(self, version: ReferentialVersion) -> None:
        """Raises `UniqueKeyTaken` when a concurrent writer took this version number first."""
        self.session.info.get(LATEST_READ, {}).pop(version.territory, None)
        try:
            with self.session.begin_nested():
                self.session.add(ReferentialRow(
                    territory=version.territory, version=version.version, document=version.document,
                    comment=version.comment, created_by=version.created_by, created_at=version.created_at))
        except IntegrityError as exc:
            raise UniqueKeyTaken() from exc


def _version(row: ReferentialRow) -> ReferentialVersion:
    return ReferentialVersion(territory=row.territory, version=row.version, document=row.document, comment=row.comment,
                              created_by=row.created_by, created_at=row.created_at)
