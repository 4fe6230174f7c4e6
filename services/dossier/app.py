"""The shared dossier service: `uvicorn --factory services.dossier.app:create_app`."""
from __future__ import annotations

from functools import partial

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.settings import ServiceSettings
from services.dossier.api.routes import router
from services.dossier.api.schemas import SECTION_MODELS, validate_section
from services.dossier.consumers import consumer_specs
from services.dossier.service.handlers import DossierService

DESCRIPTION = """The one place where every organisation involved with a person sees the same, current
picture — and only what it is entitled to see: identity summary, orientation, appointments, the
diagnostic, the contrat d'engagements réciproques and its points d'étape. Every read states its
purpose; every read and change is kept in an append-only log the person can consult."""


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("dossier")
    app = create_service_app(settings, title="Shared dossier API", description=DESCRIPTION, routers=[router])
    platform = app.state.platform
    service = DossierService(clock=utcnow,
                             validators={name: partial(validate_section, name) for name in SECTION_MODELS})
    app.state.dossiers = service
    platform.add_consumers(consumer_specs(service, platform.outbox))
    return app
