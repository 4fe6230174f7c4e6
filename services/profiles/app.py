"""The profile bank ("banque de profils"): `uvicorn --factory services.profiles.app:create_app`."""
from __future__ import annotations

import os
from datetime import timedelta

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.referentials.geo import default_geo
from services.core.scheduler import PeriodicJob
from services.core.settings import ServiceSettings
from services.profiles.adapters.search_index import SearchIndex, search_dir
from services.profiles.api import me, partners, recruiters, referents
from services.profiles.consumers import consumer_specs
from services.profiles.domain.pseudonyms import LOCAL_SECRET, Pseudonyms
from services.profiles.service.introductions import IntroductionService
from services.profiles.service.profiles import ProfileService
from services.profiles.service.search import SearchService
from services.profiles.service.unit_of_work import on_session

DESCRIPTION = """One bank of candidate profiles for the whole network, built from what it already knows
(registration, diagnostic) and from partners' contributions, published only with the person's consent
per audience. Employers, temp agencies and counsellors search pseudonymous profiles; contact details
reach a recruiter once, after the person said they are interested."""
EXPIRY_JOB = "interest-expiry"
INDEX_JOB = "profile-search-index"


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("profiles")
    app = create_service_app(settings, title="Profile bank API", description=DESCRIPTION,
                             routers=[referents.router, partners.router, recruiters.router, me.router])
    platform = app.state.platform
    profiles = ProfileService(clock=utcnow)
    search = SearchService(
        pseudonyms=Pseudonyms(os.environ.get("PROFILES_PSEUDONYM_SECRET", LOCAL_SECRET.decode()).encode()),
        geo=default_geo(), clock=utcnow, daily_view_quota=int(os.environ.get("PROFILES_DAILY_VIEW_QUOTA", "200")),
        index=SearchIndex(search_dir()))
    introductions = IntroductionService(profiles, search, clock=utcnow, answer_within=timedelta(
        days=float(os.environ.get("PROFILES_INTEREST_EXPIRY_DAYS", "7"))))
    app.state.profiles, app.state.profile_search, app.state.introductions = profiles, search, introductions
    platform.add_consumers(consumer_specs(profiles, platform.outbox))

    def expire_requests(now) -> None:
        with platform.db.transaction() as session:
            introductions.expire_due(on_session(session, platform.outbox), now)

    platform.add_job(PeriodicJob(EXPIRY_JOB, 60, expire_requests))
    # Profiles built from the streams are indexed between searches too, not only by the next one.
    platform.add_job(PeriodicJob(INDEX_JOB, 0.5, lambda now: search.index.catch_up(platform.db)))
    return app

