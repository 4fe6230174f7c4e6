"""The stores keep a transaction's changes in memory and write them at its end: what one transaction
keeps and takes never reaches the table, what it takes from an earlier one is deleted, and a person
placed stays where they were first placed."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.indicators.adapters.orm import IndicatorCellRow, IndicatorEarlyEventRow
from services.indicators.domain.facts import CANCELLED, MOVED
from services.indicators.domain.territories import Level, shipped_territories
from services.indicators.service.facts import BOOKED, IndicatorFacts
from services.indicators.service.unit_of_work import IndicatorsUnitOfWork, on_session

pytestmark = pytest.mark.integration
CELL = ("registrations", "count", "national", "FR", "2026-05", "all", "all")


def in_transaction(url: str, work) -> None:
    with Session(create_engine(url)) as session, session.begin():
        uow: IndicatorsUnitOfWork = on_session(session, outbox=None)
        work(uow)
        uow.write_pending()


def early_rows(url: str) -> int:
    with Session(create_engine(url)) as session:
        return session.scalar(select(func.count()).select_from(IndicatorEarlyEventRow))


def test_facts_kept_then_taken_in_one_transaction_or_across_two(database_url):
    in_transaction(database_url, lambda uow: uow.early.keep("e2", "p1", "dossier.review.recorded.v1", {"n": 2}))
    assert early_rows(database_url) == 1
    taken = []

    def keep_more_then_take(uow):
        uow.early.keep("e1", "p1", "dossier.contract.signed.v1", {"n": 1})
        uow.early.keep("e3", "p2", "dossier.contract.signed.v1", {"n": 3})
        taken.extend(uow.early.take("p1"))
        taken.extend(uow.early.take("p1"))  # taken once

    in_transaction(database_url, keep_more_then_take)
    assert taken == [("dossier.contract.signed.v1", {"n": 1}), ("dossier.review.recorded.v1", {"n": 2})]
    assert early_rows(database_url) == 1  # p2's, still waiting


def test_a_person_stays_where_first_placed_and_cells_add_up_across_transactions(database_url):
    answers = []

    def place(commune):
        def work(uow):
            answers.append(uow.places.remember("p1", commune))
            answers.append(uow.places.place_of("p1").commune_code)
            uow.cells.add(Counter({CELL: 2}))
            uow.cells.add(Counter({CELL: 1}))
        return work

    in_transaction(database_url, place("44109"))
    in_transaction(database_url, place("49007"))
    assert answers == [True, "44109", False, "44109"]
    with Session(create_engine(database_url)) as session:
        assert session.scalar(select(IndicatorCellRow.value)) == 6


def test_a_booking_moved_then_cancelled_in_later_transactions_leaves_no_first_appointment(database_url):
    facts = IndicatorFacts(shipped_territories())
    booked = {"appointment_id": "a1", "departement_code": "44", "booked_at": "2026-11-10T10:00:00+00:00",
              "channel": "on_site", "delay_days": 10, "within_target": True}
    changes = [[("e1", BOOKED, booked)],
               [("e2", MOVED, {**booked, "channel": "video", "delay_days": 12})],
               [("e3", CANCELLED, booked), ("e4", CANCELLED, booked)]]  # a second cancellation changes nothing
    counts = []
    for events in changes:
        in_transaction(database_url, lambda uow: facts.apply_all(uow, events))
        in_transaction(database_url, lambda uow: counts.append(
            (facts.ledger(uow, "first_appointment_delay").value("first_appointment_delay", "count",
                                                                Level.DEPARTEMENT, "44", "2026-11"),
             facts.ledger(uow, "first_appointment_delay").value("first_appointment_delay", "sum",
                                                                Level.DEPARTEMENT, "44", "2026-11"))))
    assert counts == [(1, 10), (1, 12), (0, 0)]
