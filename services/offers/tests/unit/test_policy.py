"""Who may publish what and who sees whose records, raised as the core's refusals (mapped to
problem+json once, by services.core.problems)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.core.errors import Forbidden, NotFound
from services.core.identity import Caller
from services.core.problems import problem_from
from services.offers.service.policy import Publisher, own_record
from services.offers.tests.unit.builders import OTHER_SIRET, VALID_SIRET, draft

EMPLOYER = Caller("boulangerie", "boulangerie-nantaise", "employer", (), frozenset({"offers:publish"}), VALID_SIRET)
BOARD = Caller("board", "emploi-ouest", "job_board", (), frozenset({"offers:publish"}), offer_source="emploi-ouest")
ADMIN = Caller("admin", "platform", "operator", (), frozenset({"admin"}))


@dataclass
class Record:
    org_id: str


def test_an_employer_publishes_only_offers_of_its_siret():
    with pytest.raises(Forbidden) as refused:
        Publisher.of(EMPLOYER).check(draft(employer={"siret": OTHER_SIRET, "name": "Garage Angevin"}))
    problem = problem_from(refused.value)
    assert (problem.status, problem.errors[0]["field"]) == (403, "employer.siret")
    Publisher.of(EMPLOYER).check(draft())


def test_an_employer_client_without_a_siret_publishes_nothing():
    no_siret = Publisher.of(Caller("x", "x", "employer", (), frozenset()))
    with pytest.raises(Forbidden) as refused:
        no_siret.check(draft())
    assert refused.value.field == "body"


def test_a_job_board_publishes_under_its_source_for_any_employer():
    board = Publisher.of(BOARD)
    board.check(draft(employer={"siret": OTHER_SIRET, "name": "Garage Angevin"}))
    assert board.source == "emploi-ouest"


def test_a_record_of_another_organisation_is_not_found_unless_for_an_administrator():
    theirs = Record("garage-angevin")
    with pytest.raises(NotFound, match="No import of yours"):
        own_record(EMPLOYER, theirs, "No import of yours with this id.")
    with pytest.raises(NotFound):
        own_record(EMPLOYER, None, "No import of yours with this id.")
    assert own_record(ADMIN, theirs, "unused") is theirs
