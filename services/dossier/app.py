"""The shared dossier service: `uvicorn --factory services.dossier.app:create_app`."""
from __future__ import annotations

from functools import partial

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.scheduler import PeriodicJob
from services.core.settings import ServiceSettings
from services.dossier.api.me_routes import router as me_router
from services.dossier.api.routes import router
from services.dossier.api.schemas import SECTION_MODELS, validate_section
from services.dossier.consumers import consumer_specs
from services.dossier.domain.follow_up import signature_delay
from services.dossier.service.handlers import DossierService
from services.dossier.service.unit_of_work import unit_of_work

DESCRIPTION = """The one place where every organisation involved with a person sees the same, current
picture — and only what it is entitled to see: identity summary, orientation, appointments, the
diagnostic, the contrat d'engagements réciproques and its points d'étape. Every read states its
purpose; every read and change is kept in an append-only log the person can consult."""
FOLLOW_UP_JOB = "dossier-follow-up"
FOLLOW_UP_BATCH = 500


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("dossier")
    app = create_service_app(settings, title="Shared dossier API", description=DESCRIPTION, routers=[router, me_router])
    platform = app.state.platform
    service = DossierService(clock=utcnow,
                             validators={name: partial(validate_section, name) for name in SECTION_MODELS})
    app.state.dossiers = service
    platform.add_consumers(consumer_specs(service, platform.outbox))
    delay = signature_delay()

    def follow_up(now) -> None:
        # A page of people per read, one transaction per person: a backlog never holds a long lock,
        # and the row lock with the marks keeps two replicas from raising the same fact.
        after = None
        while True:
            with platform.db.transaction() as session:
                people = unit_of_work(session, platform.outbox).dossiers.followed(after, FOLLOW_UP_BATCH)
            for person_id in people:
                with platform.db.transaction() as session:
                    service.follow_up(unit_of_work(session, platform.outbox), person_id, now, delay)
            if len(people) < FOLLOW_UP_BATCH:
                return
            after = people[-1]

    platform.add_job(PeriodicJob(FOLLOW_UP_JOB, 3600, follow_up))
    return app
