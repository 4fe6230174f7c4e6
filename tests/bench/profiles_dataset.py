"""Generated candidate profiles for the profile bank's benchmark, built by the domain itself
(`Profile.registered`, the person's statement, consents), so the stored documents are the service's.

The mix reuses the offers generator's world (tests/bench/offers_dataset.py): target trades drawn
with the weights of the offers France Travail receives (a person seeks where the jobs are), their
skills and titles as French text, communes weighted towards big cities, contract types in the
offers' proportions. Each person states one or two trades, two to five skills, experiences, a
diploma, contracts, working time, a mobility radius, an availability date and languages; about
70 % consent to counsellors, 55 % to employers, 40 % to temp agencies (found by them only when
they seek temporary work). Deterministic for a given seed.
"""
from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from services.core.events import Envelope
from services.core.referentials.geo import default_geo
from services.profiles.domain.consent import Audience, Consent
from services.profiles.domain.profile import PERSON, REGISTRATION, Profile, Provenance
from services.profiles.tests.builders import ML, registration
from tests.bench.offers_dataset import CONTRACTS, TRADES, Trade, weighted_communes

DIPLOMAS = (("CAP", "3"), ("BEP", "3"), ("Bac professionnel", "4"), ("Bac général", "4"), ("BTS", "5"),
            ("Titre professionnel", "3"), ("Licence professionnelle", "6"), ("DEAES", "3"), ("Aucun diplôme", "none"))
WORKING_TIMES = (("full_time", 55), ("any", 30), ("part_time", 15))
MOBILITY_KM = ((0, 5), (5, 10), (10, 25), (20, 25), (30, 20), (50, 10), (100, 5))
LANGUAGES = (("en", 30), ("es", 8), ("ar", 6), ("de", 3), ("pt", 3), ("it", 2))
CONSENT_SHARES = {Audience.COUNSELLORS: 0.7, Audience.EMPLOYERS: 0.55, Audience.TEMP_AGENCIES: 0.4}


def _cumulative(pairs) -> tuple[tuple, list[int]]:
    values, total, weights = [], 0, []
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return tuple(values), weights


class ProfileWorld:
    """The weighted draws, built once."""

    def __init__(self) -> None:
        self.geo = default_geo()
        self.communes, self.commune_weights = weighted_communes()
        self.trades, self.trade_weights = _cumulative((trade, trade.weight) for trade in TRADES)
        self.contracts, self.contract_weights = _cumulative(CONTRACTS)
        self.working_times, self.working_time_weights = _cumulative(WORKING_TIMES)
        self.mobility, self.mobility_weights = _cumulative(MOBILITY_KM)
        self.languages, self.language_weights = _cumulative(LANGUAGES)


def skills_of(trade: Trade) -> tuple[str, ...]:
    """What a person of that trade says they can do: the trade's qualities and tasks, in French."""
    return trade.skills + trade.tasks


def generate_profiles(n: int, seed: int, now: datetime) -> Iterator[Profile]:
    world, rng = ProfileWorld(), random.Random(f"profiles-{seed}")
    for _ in range(n):
        yield _profile(world, rng, now)


def _profile(world: ProfileWorld, rng: random.Random, now: datetime) -> Profile:
    event = registered(world, rng, now - timedelta(days=rng.randint(1, 400)))
    profile = Profile.registered(event.subject, event.data, Provenance(REGISTRATION, None, event.time, event.id))
    profile.state(_statement(world, rng, now.date()), Provenance(PERSON, ML, now))
    for audience, share in CONSENT_SHARES.items():
        if rng.random() < share:
            profile.grant(Consent(audience, rng.choice(("on_site", "phone", "online")), ML, now))
    profile.events.clear()
    return profile


def registered(world: ProfileWorld, rng: random.Random, at: datetime) -> Envelope:
    """A registration event as registration publishes it, in a commune drawn from the world (its
    département and region from the referential: "97611" is in 976, not 97)."""
    code, _ = rng.choices(world.communes, cum_weights=world.commune_weights)[0]
    commune = world.geo.commune(code)
    event = registration(str(uuid.UUID(int=rng.getrandbits(128), version=4)), commune=code, at=at,
                         licence=rng.random() < 0.7)
    event.data["territory"].update(departement_code=commune.departement_code, region_code=commune.region_code)
    return event


def _statement(world: ProfileWorld, rng: random.Random, today: date) -> dict:
    trades = list({trade.rome: trade for trade in rng.choices(world.trades, cum_weights=world.trade_weights,
                                                               k=rng.choice((1, 1, 2)))}.values())
    known = [skill for trade in trades for skill in skills_of(trade)]
    contracts = sorted(set(rng.choices(world.contracts, cum_weights=world.contract_weights, k=rng.randint(1, 3))))
    languages = [{"code": "fr", "level": rng.choice(("native", "native", "fluent", "intermediate"))}]
    if rng.random() < 0.45:
        code = rng.choices(world.languages, cum_weights=world.language_weights)[0]
        languages.append({"code": code, "level": rng.choice(("basic", "intermediate", "fluent"))})
    return {
        "rome_codes": [trade.rome for trade in trades],
        "skills": rng.sample(known, min(len(known), rng.randint(2, 5))),
        "experiences": [{"job_title": rng.choice(trade.titles), "rome_code": trade.rome,
                         "duration_months": rng.randint(1, 144)} for trade in trades],
        "diplomas": [{"title": title, "level": level, "year": rng.randint(1990, today.year)}
                     for title, level in [rng.choice(DIPLOMAS)]],
        "contract_types": contracts,
        "working_time": rng.choices(world.working_times, cum_weights=world.working_time_weights)[0],
        "mobility_km": rng.choices(world.mobility, cum_weights=world.mobility_weights)[0],
        "available_from": (today + timedelta(days=rng.randint(-30, 120))).isoformat(),
        "languages": languages,
    }
