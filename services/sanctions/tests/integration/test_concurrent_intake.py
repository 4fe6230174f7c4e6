"""The intake of lapses, repeated or concurrent. Two lapses about one person decided at once (a
no-show and a reported lapse, or two no-shows consumed side by side) join one case: the intake is
serialised per person (core.db.serialize_on), on SQLite by its single writer and on PostgreSQL by an
advisory lock. A no-show told again under another event id (a replay) is recorded once."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

from services.sanctions.adapters.orm import CaseRow, LapseRow
from services.sanctions.adapters.repository import OPEN
from services.sanctions.service.unit_of_work import on_session
from services.sanctions.tests.builders import no_show

pytestmark = pytest.mark.integration


def test_two_lapses_about_one_person_at_once_open_one_case(service):
    platform, cases = service.app.state.platform, service.app.state.sanction_cases
    person = str(uuid.uuid4())
    first_decided, first_may_commit = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def intake(after_deciding: threading.Event | None = None) -> None:
        try:
            with platform.db.transaction() as session:
                cases.on_no_show(on_session(session, platform.outbox), no_show(person).data)
                if after_deciding is not None:
                    first_decided.set()
                    after_deciding.wait(timeout=60)
        except BaseException as error:  # noqa: BLE001 (reported below, in the test's thread)
            failures.append(error)

    first = threading.Thread(target=intake, args=(first_may_commit,))
    first.start()
    assert first_decided.wait(timeout=60)
    second = threading.Thread(target=intake)
    second.start()
    time.sleep(0.5)  # the second intake reaches the person's open case while the first has not committed
    first_may_commit.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert not failures
    with platform.db.reading() as session:
        opened = session.scalar(select(func.count()).select_from(CaseRow)
                                .where(CaseRow.person_id == person, CaseRow.status.in_(OPEN)))
    assert opened == 1


def test_a_no_show_told_again_is_recorded_once(service):
    platform, cases = service.app.state.platform, service.app.state.sanction_cases
    person = str(uuid.uuid4())
    missed = no_show(person).data
    for _ in range(2):  # the second time as a replay from offset 0 would tell it, under a new event id
        with platform.db.transaction() as session:
            cases.on_no_show(on_session(session, platform.outbox), missed)
    with platform.db.reading() as session:
        recorded = session.scalar(select(func.count()).select_from(LapseRow).where(LapseRow.person_id == person))
    assert recorded == 1
