"""The scale version each territory applies (an admin switches it), and the statistics (#68)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.core.errors import Forbidden
from services.core.identity import Caller
from services.sanctions.adapters.stats import statistics
from services.sanctions.service.unit_of_work import SanctionsUnitOfWork


@dataclass
class GovernanceService:
    clock: Callable[[], datetime]

    @staticmethod
    def choice(uow: SanctionsUnitOfWork, territory: str) -> dict[str, Any]:
        """What a territory applies; without a choice stored, the current scale (revision 0)."""
        row = uow.choices.get(territory)
        if row is None:
            return {"territory": territory, "version": "current", "revision": 0, "changed_at": None,
                    "changed_by": None, "comment": None}
        return {"territory": territory, "version": row.version, "revision": row.revision,
                "changed_at": row.changed_at, "changed_by": row.changed_by, "comment": row.comment}

    def switch(self, uow: SanctionsUnitOfWork, caller: Caller, territory: str, version: str, comment: str | None,
               check_version: Callable[[int], None]) -> dict[str, Any]:
        """Applies to cases opened from now on; open cases keep the scale they were opened under."""
        if not caller.is_admin:
            raise Forbidden("Only the platform's administrators switch a territory's scale.")
        check_version(self.choice(uow, territory)["revision"])
        uow.choices.put(territory, version, caller.org_id, comment, self.clock())
        return self.choice(uow, territory)

    @staticmethod
    def stats(uow: SanctionsUnitOfWork, caller: Caller, territory: str | None, month: str | None) -> dict[str, Any]:
        """An organisation sees its territories' figures; an administrator every territory's."""
        if territory is not None and not caller.is_admin and territory not in caller.territories:
            raise Forbidden("Statistics of your organisation's territories only.", field="territory")
        scope = (territory,) if territory else (None if caller.is_admin else caller.territories)
        return statistics(uow.session, scope, month)
