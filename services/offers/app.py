"""The offers service: `uvicorn --factory services.offers.app:create_app`."""
from __future__ import annotations

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.scheduler import PeriodicJob
from services.core.settings import ServiceSettings
from services.offers.api.ingest_routes import router as ingest_router
from services.offers.api.me_routes import router as me_router
from services.offers.api.routes import router
from services.offers.api.subscription_routes import router as subscription_router
from services.offers.adapters.search_index import SearchIndex, search_dir
from services.offers.consumers import consumer_specs
from services.offers.service.catalog import OfferCatalog
from services.offers.service.imports import Imports
from services.offers.service.lifecycle import Lifecycle
from services.offers.service.native import NativeOffer
from services.offers.service.subscriptions import Subscriptions

DESCRIPTION = """Job offers published once for all: an employer or a job board deposits an offer (one,
or thousands in a file, in the platform's shape, as a schema.org JobPosting or as an "Offres d'emploi
v2" offer); it is normalised (ROME 4.0, INSEE commune, yearly salary), checked once for legality
(discrimination, illegal clauses, missing essentials), deduplicated across boards into one canonical
offer, then searched by every counsellor and sent to the people whose saved searches it matches."""


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("offers")
    # Subscription routes first: "/v1/offers/subscriptions" must not be read as an offer id.
    app = create_service_app(settings, title="Offers API", description=DESCRIPTION,
                             routers=[subscription_router, ingest_router, router, me_router],
                             published_models=[NativeOffer])
    platform = app.state.platform
    index = SearchIndex(search_dir())
    catalog = OfferCatalog(platform.outbox, index, utcnow)
    lifecycle = Lifecycle(platform.outbox, utcnow)
    subscriptions = Subscriptions(platform.outbox, utcnow)
    imports = Imports(platform.db, catalog, utcnow)
    app.state.catalog, app.state.lifecycle = catalog, lifecycle
    app.state.subscriptions, app.state.imports = subscriptions, imports
    platform.add_consumers(consumer_specs(subscriptions))
    platform.add_job(PeriodicJob("offer-imports", 1, imports.run_pending))
    # Between searches (which index first), bulk writes reach the index within a second.
    platform.add_job(PeriodicJob("offer-search-index", 0.5, lambda now: index.catch_up(platform.db)))
    platform.add_job(PeriodicJob("offer-expiry", 60, lambda now: lifecycle.expire_due(platform.db, now)))
    return app
