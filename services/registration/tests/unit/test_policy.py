from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest

from services.registration.domain.model import Registration, Territory
from services.registration.domain.policy import may_read, may_write, visible_sections

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Viewer:
    org_type: str
    territories: tuple[str, ...] = ("44",)
    org_id: str = "some-org"


def registration(*, born="1990-01-01", departement="44", rsa=False, rqth=False, executive=False) -> Registration:
    sections = {"identity": {"birth_date": born}, "situation": {"rsa_recipient": rsa, "rqth": rqth},
                "skills": {"executive_experience": executive}}
    return Registration.new("id", sections, Territory("44109", departement, "52"), "counter", NOW)


@pytest.mark.parametrize("viewer, person, expected", [
    (Viewer("france_travail", ()), registration(departement="75"), True),
    (Viewer("departement"), registration(rsa=True), True),
    (Viewer("departement"), registration(), False),  # no mission towards a resident not on RSA
    (Viewer("departement"), registration(rsa=True, departement="75"), False),
    (Viewer("mission_locale"), registration(born="2001-03-14"), True),
    (Viewer("mission_locale"), registration(born="2001-03-14", departement="49"), False),
    (Viewer("mission_locale"), registration(born="2000-11-23"), False),  # 26 today
    (Viewer("mission_locale"), registration(born="2000-11-24"), True),   # 26 tomorrow
    (Viewer("cap_emploi"), registration(rqth=True), False),  # RQTH is health data: no counter public
    (Viewer("apec"), registration(executive=True), True),
    (Viewer("apec"), registration(), False),
    (Viewer("caf"), registration(rsa=True), True),
    (Viewer("caf"), registration(), False),
    (Viewer("temp_agency"), registration(), False),
    (Viewer("employer"), registration(), False),
    (Viewer("opco"), registration(), False),
    (Viewer("region"), registration(), False),
])
def test_who_may_read_whom(viewer, person, expected):
    assert may_read(viewer, person, TODAY) is expected


def test_a_caf_reads_rsa_recipients_but_never_writes_and_sees_few_sections():
    person = registration(rsa=True)
    assert may_read(Viewer("caf"), person, TODAY) and not may_write(Viewer("caf"), person, TODAY)
    assert set(visible_sections(Viewer("caf"))) == {"identity", "address", "situation"}
    assert visible_sections(Viewer("temp_agency")) == ()
