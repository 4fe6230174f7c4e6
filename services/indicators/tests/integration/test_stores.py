"""The stores keep a transaction's changes in memory and write them at its end: what one transaction
keeps and takes never reaches the table, what it takes from an earlier one is deleted, and a person
placed stays where they were first placed."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.indicators.adapters.orm import IndicatorCellRow, IndicatorEarlyEventRow
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
