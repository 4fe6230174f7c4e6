"""The webhooks' rules on plain values: signing, retries, SSRF, endpoints, entitlement, payloads."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, datetime, timedelta, timezone

import pytest

from services.core.errors import InvalidTransition, RuleBroken
from services.core.person_policy import PersonFacts
from services.webhooks.domain.catalogue import CATALOGUE, PARTNER_EVENT_TYPES
from services.webhooks.domain.endpoint import (
    Endpoint, EndpointFilter, EndpointState, Owner, SuspensionReason,
)
from services.webhooks.domain.entitlement import entitled
from services.webhooks.domain.payload import thin_event
from services.webhooks.domain.retry import MAX_ATTEMPTS, SCHEDULE, next_attempt_at
from services.webhooks.domain.signing import InvalidSecret, new_secret, signature, signed_headers
from services.webhooks.domain.ssrf import UnsafeUrl, check_url, parse_allowed_hosts

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
DEPARTEMENT = Owner("departement-44", "departement", ("44",))
SECRET = "whsec_" + base64.b64encode(bytes(range(24))).decode()
REGISTERED = "registration.person.registered.v2"


def endpoint(**overrides) -> Endpoint:
    values = dict(endpoint_id="e1", owner=DEPARTEMENT, url="https://rsa.example/hooks", event_types=[REGISTERED],
                  filter=EndpointFilter(), secret=SECRET, now=NOW, known_types=PARTNER_EVENT_TYPES)
    return Endpoint.register(**(values | overrides))


# -- signing -------------------------------------------------------------------------------------
def test_a_signature_is_the_hmac_of_id_timestamp_and_body_keyed_by_the_secrets_bytes():
    expected = hmac.new(bytes(range(24)), b"msg_1.1700000000.{}", hashlib.sha256).digest()
    assert signature(SECRET, "msg_1", 1700000000, b"{}") == "v1," + base64.b64encode(expected).decode()


def test_during_a_rotation_every_valid_secret_signs_separated_by_spaces():
    other = new_secret()
    headers = signed_headers([other, SECRET], "msg_1", 1700000000, b"{}")
    assert headers["webhook-signature"].split(" ") == [signature(other, "msg_1", 1700000000, b"{}"),
                                                       signature(SECRET, "msg_1", 1700000000, b"{}")]
    assert headers["webhook-id"] == "msg_1" and headers["webhook-timestamp"] == "1700000000"


def test_new_secrets_are_whsec_and_24_random_bytes():
    secret = new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 24 and secret != new_secret()
    with pytest.raises(InvalidSecret):
        signature("whsec_c2hvcnQ=", "m", 1, b"")


# -- retries -------------------------------------------------------------------------------------
def test_the_schedule_spans_about_three_days_then_gives_up():
    assert SCHEDULE[:3] == (timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30))
    assert timedelta(days=2, hours=12) < sum(SCHEDULE, timedelta()) < timedelta(days=3, hours=12)
    assert next_attempt_at(MAX_ATTEMPTS, NOW, lambda: 0.0) is None


def test_jitter_only_lengthens_a_delay_by_up_to_a_fifth():
    assert next_attempt_at(1, NOW, lambda: 0.0) == NOW + timedelta(seconds=5)
    assert next_attempt_at(2, NOW, lambda: 0.999) < NOW + timedelta(minutes=6)
    assert next_attempt_at(2, NOW, lambda: 0.5) == NOW + timedelta(minutes=5.5)


# -- SSRF ----------------------------------------------------------------------------------------
def resolver(*addresses):
    return lambda host, port: list(addresses)


@pytest.mark.parametrize("url, addresses", [
    ("http://rsa.example/hooks", ["93.184.216.34"]),
    ("https://rsa.example/hooks", ["93.184.216.34", "10.0.0.5"]),
    ("https://127.0.0.1:8443/hooks", []),
    ("https://[::1]/hooks", []),
    ("https://[::ffff:192.168.1.1]/hooks", []),
    ("https://169.254.169.254/latest/meta-data", []),
    ("https://internal.example/hooks", ["100.64.0.1"]),
    ("https://user:pw@rsa.example/hooks", ["93.184.216.34"]),
    ("ftp://rsa.example/hooks", ["93.184.216.34"]),
    ("https:///hooks", []),
])
def test_refused_urls(url, addresses):
    with pytest.raises(UnsafeUrl):
        check_url(url, resolver(*addresses), frozenset())


def test_a_public_https_url_is_accepted_and_the_allow_list_admits_a_local_receiver():
    check_url("https://rsa.example/hooks", resolver("93.184.216.34", "2606:2800:220:1::1"), frozenset())
    check_url("http://127.0.0.1:9999/hooks", resolver(), parse_allowed_hosts(" 127.0.0.1, localhost"))


def test_a_host_that_does_not_resolve_or_cannot_be_spelt_is_refused():
    def fails(host, port):
        raise OSError("no such host")

    def idna(host, port):
        return host.encode("idna")
    with pytest.raises(UnsafeUrl):
        check_url("https://nowhere.example/", fails, frozenset())
    with pytest.raises(UnsafeUrl):
        check_url("https://k\uda90\ude41y.example/", idna, frozenset())


# -- the endpoint --------------------------------------------------------------------------------
def test_unknown_or_no_event_types_are_refused():
    with pytest.raises(RuleBroken):
        endpoint(event_types=["registration.person.deleted.v9"])
    with pytest.raises(RuleBroken):
        endpoint(event_types=[])


def test_the_filter_narrows_by_departement_and_publisher():
    e = endpoint(event_types=[REGISTERED, "offers.offer.published.v1"],
                 filter=EndpointFilter(departements=("44",), offer_publishers=("emploi-ouest",)))
    assert e.wants(REGISTERED, "44", None) and not e.wants(REGISTERED, "49", None)
    assert e.wants("offers.offer.published.v1", "44", "emploi-ouest")
    assert not e.wants("offers.offer.published.v1", "44", "interim-ouest")
    assert not e.wants("dossier.contract.signed.v1", "44", None)


def test_a_rotation_keeps_the_old_secret_signing_for_the_overlap_only():
    e = endpoint()
    new = new_secret()
    e.rotate_secret(new, NOW, timedelta(hours=1))
    assert e.signing_secrets(NOW + timedelta(minutes=59)) == [new, SECRET]
    assert e.signing_secrets(NOW + timedelta(hours=1)) == [new]
    newer = new_secret()
    e.rotate_secret(newer, NOW + timedelta(minutes=30), timedelta(hours=2))
    assert e.signing_secrets(NOW + timedelta(minutes=45)) == [newer, new, SECRET]
    assert e.signing_secrets(NOW + timedelta(hours=1, minutes=1)) == [newer, new]
    with pytest.raises(RuleBroken):
        e.rotate_secret(new_secret(), NOW, timedelta(days=8))


def test_410_disables_and_a_given_up_delivery_pauses_each_telling_the_technical_contact_once():
    gone, failing = endpoint(), endpoint()
    gone.receiver_gone(NOW)
    gone.receiver_gone(NOW)
    failing.delivery_given_up(NOW)
    assert (gone.state, gone.state_reason) == (EndpointState.DISABLED, SuspensionReason.GONE)
    assert (failing.state, failing.state_reason) == (EndpointState.PAUSED, SuspensionReason.FAILING)
    assert [len(gone.events), len(failing.events)] == [1, 1]
    with pytest.raises(InvalidTransition):
        gone.pause()
    gone.resume()
    assert gone.delivering


# -- entitlement and payload ---------------------------------------------------------------------
def facts(departement="44", rsa=True, referent=None):
    return PersonFacts(departement, date(1990, 1, 1), rsa, False, referent_org_id=referent)


def test_a_departement_learns_of_its_rsa_recipients_but_not_of_their_diagnostic():
    today = NOW.date()
    assert entitled(DEPARTEMENT, "registration", facts(), today)
    assert entitled(DEPARTEMENT, "contract", facts(), today)
    assert not entitled(DEPARTEMENT, "diagnostic", facts(), today)
    assert not entitled(DEPARTEMENT, "registration", facts(departement="49"), today)
    assert not entitled(DEPARTEMENT, "registration", facts(rsa=False), today)
    assert entitled(DEPARTEMENT, "diagnostic", facts(departement="49", referent="departement-44"), today)
    assert not entitled(DEPARTEMENT, "registration", None, today)
    assert entitled(Owner("caf-44", "caf", ("44",)), "registration", facts(), today)
    assert not entitled(Owner("caf-44", "caf", ("44",)), "orientation", facts(), today)
    assert entitled(Owner("board", "partner", ()), "offer", None, today)


def test_a_person_event_is_thin_and_an_offer_event_carries_the_offer():
    person = thin_event("ev1", CATALOGUE[REGISTERED], "p1", 3, NOW, {"identity": {"last_name": "Martin"}})
    assert person["data"] == {"subject_id": "p1", "changed": ["registration"], "link": "/v1/registrations/p1",
                              "sequence": 3}
    assert person["specversion"] == "1.0" and person["time"] == "2026-12-07T09:00:00Z" and "Martin" not in str(person)
    offer = thin_event("ev2", CATALOGUE["offers.offer.published.v1"], "o1", 1, NOW, {"title": "Boulanger"})
    assert offer["data"]["offer"] == {"title": "Boulanger"} and offer["data"]["link"] == "/v1/offers/o1"
