"""Events → sections: upserts keyed by ids, ordered by event time, the same whatever is replayed."""
from __future__ import annotations

import copy
import itertools
from datetime import date

from services.dossier.domain.dossier import Dossier
from services.dossier.domain.policy import Grants, facts_of
from services.dossier.domain.projections import apply_appointment, apply_decision, apply_registration
from services.dossier.domain.sections import Section
from services.dossier.domain.views import consolidated

REGISTRATION = {
    "registration_id": "p1", "status": "registered", "registered_at": "2026-11-20T08:55:00+00:00",
    "identity": {"last_name": "Martin", "first_names": ["Camille"], "birth_date": "2001-03-14", "sex": "F"},
    "territory": {"commune_code": "44109", "departement_code": "44", "region_code": "52"},
    "situation": {"rsa_recipient": True, "rqth": True, "professional_situation": "unemployed"},
    "pre_diagnostic": {"barriers": {"health": True, "mobility": True}},
    "something_new": "ignored",
}


def decision(decision_id: str, decided_at: str, org_id: str, status: str = "decided", **extra) -> dict:
    return {"person_id": "p1", "decision_id": decision_id, "status": status, "pathway": "social",
            "referent": {"org_type": "mission_locale", "org_id": org_id}, "decided_at": decided_at, **extra}


def test_the_latest_registration_wins_whatever_the_order_read():
    older, newer = copy.deepcopy(REGISTRATION), copy.deepcopy(REGISTRATION)
    newer["territory"]["departement_code"] = "49"
    for order in ([(older, "2026-11-20T09:00:00+00:00", "a"), (newer, "2026-11-21T09:00:00+00:00", "b")],
                  [(newer, "2026-11-21T09:00:00+00:00", "b"), (older, "2026-11-20T09:00:00+00:00", "a")]):
        section = Section("identity")
        changed = [apply_registration(section, data, time, event_id) for data, time, event_id in order]
        assert section.content["departement_code"] == "49"
        assert changed[1] is (order[0][0] is older)
    assert "something_new" not in section.content and section.content["barriers"]["health"] is True


def test_decisions_replayed_in_any_order_give_the_same_history_and_current_referent():
    events = [(decision("d1", "2026-11-20T09:00:00Z", "ml-nantes-metropole"), "made"),
              (decision("d2", "2026-12-01T09:00:00Z", "departement-44", reason="social needs"), "reoriented"),
              (decision("d1", "2026-11-20T09:00:00Z", "ml-nantes-metropole"), "made")]  # delivered twice
    results = []
    for order in itertools.permutations(events):
        section = Section("orientation")
        for data, kind in order:
            apply_decision(section, data, kind)
        results.append(section.content)
    assert all(result == results[0] for result in results)
    assert results[0]["current"]["referent"]["org_id"] == "departement-44"
    assert [entry["kind"] for entry in results[0]["history"]] == ["made", "reoriented"]


def test_a_redelivered_decision_changes_nothing():
    section = Section("orientation")
    assert apply_decision(section, decision("d1", "2026-11-20T09:00:00Z", "ml"), "made")
    assert not apply_decision(section, decision("d1", "2026-11-20T09:00:00Z", "ml"), "made")


def test_a_no_show_is_not_undone_by_a_booking_read_late():
    booked = {"person_id": "p1", "appointment_id": "a1", "slot_id": "s1", "org_id": "ml", "starts_at": "2026-11-23T09:30:00Z"}
    section = Section("appointments")
    assert apply_appointment(section, {"person_id": "p1", "appointment_id": "a1"}, "no_show")
    assert not apply_appointment(section, booked, "booked")
    assert section.content["items"] == [{"appointment_id": "a1", "status": "no_show"}]
    fresh = Section("appointments")
    apply_appointment(fresh, booked, "booked")
    apply_appointment(fresh, {"person_id": "p1", "appointment_id": "a1"}, "no_show")
    assert fresh.content["items"][0]["status"] == "no_show" and fresh.content["items"][0]["slot_id"] == "s1"


def test_a_moved_appointment_shows_its_new_time_and_a_cancelled_one_stays_cancelled():
    booked = {"person_id": "p1", "appointment_id": "a1", "slot_id": "s1", "org_id": "ml", "starts_at": "2026-11-23T09:30:00Z"}
    moved = {**booked, "slot_id": "s2", "starts_at": "2026-11-25T14:00:00Z", "previous_slot_id": "s1"}
    section = Section("appointments")
    apply_appointment(section, booked, "booked")
    assert apply_appointment(section, moved, "booked")
    assert section.content["items"][0] == {**{k: moved[k] for k in ("appointment_id", "slot_id", "org_id", "starts_at")},
                                         "status": "booked"}
    assert apply_appointment(section, moved, "cancelled")
    assert not apply_appointment(section, booked, "booked")  # a booking read late does not revive it
    assert section.content["items"][0]["status"] == "cancelled" and section.content["items"][0]["slot_id"] == "s2"


def _dossier() -> Dossier:
    identity, orientation = Section("identity", 1), Section("orientation", 1)
    apply_registration(identity, REGISTRATION, "2026-11-20T09:00:00+00:00", "e1")
    apply_decision(orientation, decision("d1", "2026-11-20T09:00:00Z", "ml-nantes-metropole"), "made")
    diagnostic = Section("diagnostic", 1, {"overall_situation": {"health": "back pain", "housing": "stable"}})
    return Dossier("p1", {"identity": identity, "orientation": orientation, "diagnostic": diagnostic})


class Org:
    def __init__(self, org_type, org_id, territories=("44",)):
        self.org_type, self.org_id, self.territories = org_type, org_id, territories


def test_health_data_is_shown_to_the_referent_only():
    dossier, today = _dossier(), date(2026, 11, 23)
    referent = consolidated(dossier, Grants.of(Org("mission_locale", "ml-nantes-metropole"), facts_of(dossier), today), today)
    operator = consolidated(dossier, Grants.of(Org("france_travail", "ft-agence-44-nantes-est"), facts_of(dossier), today), today)
    assert referent["identity"]["barriers"] == {"health": True, "mobility": True} and referent["identity"]["rqth"]
    assert referent["diagnostic"]["overall_situation"]["health"] == "back pain"
    assert operator["identity"]["barriers"] == {"mobility": True} and "rqth" not in operator["identity"]
    assert operator["diagnostic"]["overall_situation"] == {"housing": "stable"}
    assert operator["identity"]["under_26"] is True


def test_the_caf_sees_the_rsa_status_and_nothing_else():
    dossier = _dossier()
    view = consolidated(dossier, Grants.of(Org("caf", "caf-44"), facts_of(dossier), date(2026, 11, 23)), date(2026, 11, 23))
    assert set(view) == {"person_id", "rsa_status", "etags"}
    assert view["rsa_status"] == {"rsa_recipient": True, "departement_code": "44", "orientation_status": "decided",
                                  "pathway": "social", "contract_signed_at": None}
    assert view["etags"] == {"rsa_status": '"2"'}
