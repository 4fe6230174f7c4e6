"""Indicators on SQLite and PostgreSQL with the real broker: facts sent as their producers publish
them, figures read through the API, and a replay from offset 0 into an empty database.

The test app replays every topic from offset 0 (other tests' events included), so each test dates
its facts in a month of its own and waits on the service's tables."""
from __future__ import annotations

import random
import uuid
from datetime import datetime, timezone

from services.dossier.published import DOSSIERS
from services.core.inbound import PARTNERS_INBOUND
from services.indicators.tests.builders import contract_signed, hiring_declared, registered, sanction_decided
from services.registration.published import PERSONS
from services.sanctions.published import DECISIONS
from tests.support.apps import service_client
from tests.support.databases import fresh_database
from tests.support.kafka import unique_prefix
from tests.support.polling import table_rows

TOPICS = {"registration.": PERSONS, "dossier.": DOSSIERS, "sanctions.": DECISIONS, "partners.": PARTNERS_INBOUND}
OWN, OUTSIDER = "departement-44", "garage-angevin"  # both read indicators; only the first serves 44
READ = {"indicators:read"}
CELLS = "SELECT indicator, measure, level, territory, month, breakdown, category, value FROM indicator_cells"


def send(broker, *envelopes) -> None:
    for envelope in envelopes:
        topic = next(topic for prefix, topic in TOPICS.items() if envelope.type.startswith(prefix))
        broker.produce(topic.address, envelope.subject, envelope.to_json())


def own_month() -> datetime:
    chance = random.Random(uuid.uuid4().int)
    return datetime(chance.randint(1900, 1999), chance.randint(1, 12), 3, 9, 0, tzinfo=timezone.utc)


def journeys(broker, at: datetime) -> str:
    """12 registrations in the bassin of Saint-Nazaire, 3 in Nantes (outside any shipped bassin), one
    of whom signs a contract and is hired (DSN), both facts arriving before the registration; 2
    sanctions in Mayenne."""
    early = str(uuid.uuid4())
    send(broker, contract_signed(early, at), hiring_declared(early, at))
    send(broker, *[registered(at, "44184", sex="F" if index % 2 else "M") for index in range(12)])
    send(broker, registered(at, "44109"), registered(at, "44109"), registered(at, "44109", person=early))
    send(broker, sanction_decided(at), sanction_decided(at))
    return at.strftime("%Y-%m")


def wait_for(database_url, month):
    return table_rows(database_url, CELLS + " WHERE month = :month AND level = 'national' AND breakdown = 'all'",
                      {"month": month}, lambda rows: {row[0]: row[7] for row in rows} == {
                          "registrations": 15, "contracts_signed": 1, "sanctions_decided": 2,
                          "return_to_employment": 1})


def observations(service, tokens, client, code, level, territory, month, **params):
    answer = service.get(f"/v1/indicators/{code}/observations", headers=tokens.headers(client, READ), params={
        "territory_level": level, "territory": territory, "from": month, "to": month, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_figures_by_territory_with_secrecy_outside_the_readers_own(service, database_url, broker, tokens):
    month = journeys(broker, own_month())
    wait_for(database_url, month)

    def value(client, code, level, territory, **params):
        return [item["value"] for item in observations(service, tokens, client, code, level, territory, month,
                                                       **params)["items"]]

    assert value(OUTSIDER, "registrations", "departement", "44") == [15]
    assert value(OUTSIDER, "registrations", "region", "52") == [15]
    assert value(OUTSIDER, "registrations", "national", "FR") == [15]
    # 12 in the bassin and 3 outside: the 3 are withheld, and so the 12 (15 - 12 would give them back).
    assert value(OUTSIDER, "registrations", "bassin", "52-SAINT-NAZAIRE") == [None]
    assert value(OWN, "registrations", "bassin", "52-SAINT-NAZAIRE") == [12]
    assert value(OWN, "registrations", "bassin", "52-SAINT-NAZAIRE", breakdown="sex") == [6, 6]
    # The contract signed before its registration arrived counts where the person registered.
    assert value(OWN, "contracts_signed", "departement", "44") == [1]
    assert value(OUTSIDER, "contracts_signed", "departement", "44") == [None]
    assert value(OWN, "return_to_employment", "departement", "44", breakdown="contract_type") == [1]
    assert value(OUTSIDER, "sanctions_decided", "departement", "53") == [None]

    # Open data, no token: the same protected figures for every territory of a level.
    datasets = service.get("/open-data/indicators").json()
    assert "registrations" in {item["indicator"] for item in datasets["items"]}
    export = service.get(f"/open-data/indicators/registrations/bassin/{month}").json()
    assert {row["territory"]: row["value"] for row in export["items"]} == {
        "52-LAVAL-OUEST": 0, "52-SAINT-NAZAIRE": None}
    assert export["definition"]["code"] == "registrations" and "1 to 10 people" in export["secrecy"]
    assert export.get("consumer_lag") is None or export["consumer_lag"] >= 0
    table = service.get(f"/open-data/indicators/registrations/departement/{month}", params={"format": "csv"})
    assert table.headers["content-type"].startswith("text/csv")
    assert f"44,Loire-Atlantique,{month},all,15,,," in table.text.splitlines()
    assert service.get(f"/open-data/indicators/exits/national/{month}").status_code == 404


def test_definitions_and_refusals(service, tokens):
    catalogue = service.get("/v1/indicators", headers=tokens.headers(OWN, READ)).json()
    assert {"offer_fill_rate", "registrations", "return_to_employment"} <= {item["code"] for item in catalogue["items"]}
    impact = service.get("/v1/indicators", params={"family": "impact"}, headers=tokens.headers(OWN, READ)).json()
    assert {item["family"] for item in impact["items"]} == {"impact"}
    for params, status in (({"territory_level": "bassin", "territory": "nowhere"}, 404),
                           ({"territory_level": "departement", "territory": "44", "breakdown": "colour"}, 422),
                           ({"territory_level": "departement", "territory": "44", "from": "2026-12"}, 422)):
        answer = service.get("/v1/indicators/registrations/observations", headers=tokens.headers(OWN, READ),
                             params={"from": "2026-11", "to": "2026-11", **params})
        assert answer.status_code == status and answer.headers["content-type"] == "application/problem+json"
    awaiting = service.get("/v1/indicators/exits/observations", headers=tokens.headers(OWN, READ), params={
        "territory_level": "national", "territory": "FR", "from": "2026-11", "to": "2026-11"})
    assert awaiting.status_code == 404
    assert service.get("/v1/indicators", headers=tokens.headers(OWN, {"dossier:read"})).status_code == 403

    page = service.get("/dashboards/departement/44")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Indicateurs — Loire-Atlantique" in page.text and '"child_level": "bassin"' in page.text
    assert service.get("/dashboards/bassin/44").status_code == 404
    region = service.get("/dashboards/region/52").text  # the région's page maps its départements
    assert '{"code": "53", "name": "Mayenne", "path": "m ' in region and "CC BY 4.0" in region
    script = service.get("/dashboards/assets/plotly.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")


def test_replaying_every_topic_into_an_empty_database_gives_the_same_indicators(
        service, database_url, broker, tokens, tmp_path):
    month = journeys(broker, own_month())
    wait_for(database_url, month)
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    (tmp_path / "replay").mkdir()
    with fresh_database(backend, tmp_path / "replay", "indicators") as empty_url:
        with service_client("indicators", empty_url, broker, tokens, unique_prefix()):
            wait_for(empty_url, month)
            # Nothing else publishes meanwhile: both read every topic to its end, so all cells agree.
            first = sorted(table_rows(database_url, CELLS, {}, lambda rows: True))
            table_rows(empty_url, CELLS, {}, lambda rows: sorted(rows) == first)
