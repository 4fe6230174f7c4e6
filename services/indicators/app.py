"""Indicators of the network: `uvicorn --factory services.indicators.app:create_app`."""
from __future__ import annotations

import os

from services.core.app import create_service_app
from services.core.settings import ServiceSettings
from services.indicators.api import dashboard, open_data, routes
from services.indicators.consumers import consumer_specs
from services.indicators.domain.secrecy import SecrecyRule
from services.indicators.domain.territories import shipped_territories
from services.indicators.service.facts import IndicatorFacts

DESCRIPTION = """The network's short list of indicators (impact, activity, description), computed from the
platform's events per territory (national, région, département, bassin d'emploi) and month. Everything
that leaves the service is under statistical secrecy; an internal reader sees its own territories'
figures unsuppressed."""


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("indicators")
    app = create_service_app(settings, title="Indicators API", description=DESCRIPTION, routers=[routes.router, open_data.router, dashboard.router])
    facts = IndicatorFacts(shipped_territories())
    app.state.indicator_facts = facts
    # The threshold is a publication policy (11 by default, as the issue asks), not code.
    app.state.indicator_secrecy = SecrecyRule(int(os.environ.get("INDICATORS_SECRECY_THRESHOLD", "11")))
    app.state.platform.add_consumers(consumer_specs(facts, app.state.platform.outbox))
    return app
