"""The registration service ("inscription unique"): `uvicorn services.registration.app:app`."""
from __future__ import annotations

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.referentials.geo import default_geo
from services.core.settings import ServiceSettings
from services.registration.api import identity_routes, me_routes
from services.registration.api.routes import router
from services.registration.api.schemas import RegistrationCreate
from services.registration.consumers import consumer_specs
from services.registration.service.handlers import RegistrationService

DESCRIPTION = """Single registration of every person looking for work, at any counter of the network or
online, given once and shared with every organisation entitled to it. Partners' facts (e.g. a CAF
RSA opening) prefill a pre-registration the person confirms."""


def validate_sections(sections: dict) -> dict:
    return RegistrationCreate.model_validate(sections).model_dump(mode="json", exclude={"channel"})


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("registration")
    app = create_service_app(settings, title="Registration API", description=DESCRIPTION, routers=[identity_routes.router, me_routes.router, router])
    platform = app.state.platform
    service = RegistrationService(geo=default_geo(), pii_secret=settings.pii_hash_secret, validate=validate_sections,
                                  clock=utcnow)
    app.state.registrations = service
    platform.add_consumers(consumer_specs(service, platform.outbox))
    return app
