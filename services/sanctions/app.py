"""Sanctions control ("contrôle des engagements"): `uvicorn --factory services.sanctions.app:create_app`."""
from __future__ import annotations

import os

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.settings import ServiceSettings
from services.core.scheduler import PeriodicJob
from services.sanctions.adapters.scales import shipped_scales
from services.sanctions.api import cases, me, scale
from services.sanctions.consumers import consumer_specs
from services.sanctions.service.cases import CaseService
from services.sanctions.service.governance import GovernanceService
from services.sanctions.service.unit_of_work import on_session

DESCRIPTION = """Lapses of the contrat d'engagements réciproques and the contradictory procedure they open:
the notice, the person's observations, the équipe pluridisciplinaire's opinion for RSA recipients, the
competent authority's decision within a versioned scale (current regimes or the unified target with the
suspension-remobilisation), appeals, lifting and annulment. Decisions reach those who pay with the
consequence only."""
DEADLINE_JOB = "sanction-deadlines"


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("sanctions")
    app = create_service_app(settings, title="Sanctions control API", description=DESCRIPTION,
                             routers=[cases.router, scale.router, me.router])
    platform = app.state.platform
    scales = shipped_scales()
    service = CaseService(scales, clock=utcnow)
    app.state.sanction_scales, app.state.sanction_cases = scales, service
    app.state.sanction_governance = GovernanceService(clock=utcnow)
    platform.add_consumers(consumer_specs(service, platform.outbox))
    batch = int(os.environ.get("SANCTIONS_DEADLINE_BATCH", "500"))

    def move_due(now) -> None:
        # Batches in their own transactions, so a large backlog never holds one long lock.
        while True:
            with platform.db.transaction() as session:
                if service.move_due(on_session(session, platform.outbox), now, batch) < batch:
                    return

    platform.add_job(PeriodicJob(DEADLINE_JOB, 60, move_due))
    return app
