"""Core additions of the profile bank: a used-up allowance is a 429 with Retry-After; distances and
radius searches between communes of the geo referential."""
from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.core.errors import LimitReached
from services.core.problems import install_problem_handlers
from services.core.referentials.geo import default_geo


def test_a_used_up_allowance_is_429_with_retry_after():
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/x")
    def raise_it():
        raise LimitReached("Daily quota used up.", retry_after_seconds=3600)

    answer = TestClient(app).get("/x")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "3600"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/quota-exceeded")


def test_distances_between_communes():
    geo = default_geo()
    assert geo.distance_km("44109", "49007") == pytest.approx(80, abs=3)  # Nantes - Angers, as the crow flies
    assert geo.distance_km("44109", "44109") == 0
    assert geo.distance_km("44109", "44999") is None  # not in the shipped referential


def test_communes_within_a_radius_include_the_centre():
    geo = default_geo()
    assert "44184" not in geo.communes_within("44109", 30)  # Saint-Nazaire is ~50 km away
    assert {"44109", "44184"} <= set(geo.communes_within("44109", 60))
    assert geo.communes_within("44999", 30) == ["44999"]
