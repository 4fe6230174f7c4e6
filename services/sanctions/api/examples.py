"""Examples of the published contract: the case of Camille (the registration API's example person, an
RSA recipient accompanied by the mission locale) under the current scale. They work in this order against
a fresh `make run` once the other services' examples have run: the mission locale reports a lapse, which
opens the case (version 1); Camille, logged in, reads it and sends her observations herself (version 2);
the département records those it received by post, the équipe pluridisciplinaire's opinion, a sanction,
her appeal; the sanction is lifted when she re-engages, then annulled on appeal."""
from __future__ import annotations

from services.core.idempotency import resource_id
from services.sanctions.service.cases import case_id_opened_by

REFERENT, DEPARTEMENT = "mission-locale-nantes", "departement-44"
PERSON_ID = resource_id("ft-agence-nantes", "example-registration-camille-martin")  # Camille's registration
LAPSE_KEY = "example-lapse-report"
LAPSE_ID = resource_id(REFERENT, LAPSE_KEY)
CASE_ID = case_id_opened_by(LAPSE_ID)
EVALUATE_IN = {"regime": "rsa", "category": "obligation", "previous_sanctions": 0, "household_size": 3}
EVALUATE_OUT = {"consequence": {"kind": "allowance_reduction", "months_min": 1, "months_max": 3,
                                 "allowance_months_cancelled": None, "max_reduction_percent": 50,
                                 "household_cap_percent": 50, "whole_household": True, "list_removal": False,
                                 "support_continues": False},
                "authority": "president_conseil_departemental", "observation_days": 30,
                "equipe_pluridisciplinaire": True, "appeals": ["mandatory_prior_appeal_pcd", "courts"],
                "rule": "rsa.obligation.level1", "version": "current",
                "explanation": "Pas de précédent de suspension : réduction du RSA au maximum de 80 % du montant dû "
                               "pour 1 à 3 mois (plafonnée à 50 % si le foyer compte plus d'une personne)."}
LAPSE_IN = {"person_id": PERSON_ID, "obligation": "carry_out_actions", "source": "referent_report",
            "evidence": "Aucune démarche pour l'agrément PMI depuis la signature du contrat ; deux entretiens manqués.",
            "occurred_at": "2026-12-01T10:00:00Z", "household_size": 2}
EVALUATION = EVALUATE_OUT  # Camille's household of two: the same cap as three
OPENED_AT, ANSWER_BY = "2026-12-02T09:00:00Z", "2027-01-01T09:00:00+00:00"
OPENED = [{"kind": "lapse_recorded", "at": OPENED_AT, "by": "ml-nantes-metropole",
           "detail": {"obligation": LAPSE_IN["obligation"], "source": LAPSE_IN["source"]}},
          {"kind": "notice_sent", "at": OPENED_AT, "by": "system",
           "detail": {"answer_by": ANSWER_BY, "rule": EVALUATION["rule"],
                      "possible_consequence": EVALUATION["consequence"]["kind"]}}]
CASE = {"id": CASE_ID, "person_id": PERSON_ID, "regime": "rsa", "territory": "44", "status": "observation",
        "scale_version": "current", "view": "case", "category": "obligation", "opened_at": OPENED_AT,
        "observation_ends_at": ANSWER_BY, "evaluation": EVALUATION, "timeline": OPENED}
LAPSE_OUT = {"lapse_id": LAPSE_ID, "case": CASE}

COMMANDS = {
    "observations": ("The person explains; no legitimate reason accepted",
                     {"text": "Je n'ai pas reçu la convocation.", "accepted_ground": None}),
    "opinion": ("The équipe pluridisciplinaire recommends a sanction",
                {"recommendation": "sanction", "comment": "Aucune démarche depuis trois mois."}),
    "decision": ("A sanction within the scale's limits", {"sanction": True, "months": 2, "reduction_percent": 50}),
    "appeal": ("The mandatory prior appeal to the PCD", {"kind": "mandatory_prior_appeal_pcd"}),
    "lift": ("The person re-engaged", {"reason": "Premier entretien tenu et contrat signé."}),
    "annul": ("An appeal upheld", {"reason": "Recours administratif préalable admis."}),
}


def _after(case: dict, status: str, *steps: tuple[str, str, dict], **changes) -> dict:
    by = "departement-44"
    return {**case, **changes, "status": status,
            "timeline": [*case["timeline"], *({"kind": kind, "at": at, "by": who if who else by, "detail": detail}
                                              for kind, at, who, detail in steps)]}


# The person's own door: Camille reads her case and sends her observations herself, within the period.
MY_OBSERVATIONS_IN = {"text": "Je n'ai pas reçu la convocation : mon adresse a changé en novembre."}
MY_OBSERVED = _after(CASE, "awaiting_opinion",
                     ("observations_received", "2026-12-10T14:00:00Z", "person", {"sent_by": "person"}),
                     ("observations_in", "2026-12-10T14:00:00Z", "system", {"next": "awaiting_opinion"}),
                     observations={"text": MY_OBSERVATIONS_IN["text"], "accepted_ground": None,
                                   "at": "2026-12-10T14:00:00+00:00", "sent_by": "person"})
MY_CASES = {"items": [CASE]}
# The département records the observations it received by post too: the case had left the observation period.
OBSERVED = _after(MY_OBSERVED, "awaiting_opinion",
                  ("observations_received", "2026-12-10T15:00:00Z", None, {}),
                  observations={"text": COMMANDS["observations"][1]["text"], "accepted_ground": None,
                                "at": "2026-12-10T15:00:00+00:00"})
ADVISED = _after(OBSERVED, "awaiting_decision",
                 ("opinion_given", "2026-12-17T10:00:00Z", None, {"recommendation": "sanction"}),
                 opinion={**COMMANDS["opinion"][1], "at": "2026-12-17T10:00:00+00:00", "by": DEPARTEMENT})
DECISION = {"consequence": {**EVALUATION["consequence"], "months": 2, "reduction_percent": 50},
            "rule": EVALUATION["rule"], "decided_at": "2026-12-21T09:00:00Z", "decided_by": DEPARTEMENT}
DECIDED = _after(ADVISED, "notified",
                 ("decided", "2026-12-21T09:00:00Z", None, {"rule": EVALUATION["rule"], "kind": "allowance_reduction"}),
                 ("notified", "2026-12-21T09:00:00Z", "system", {"appeals": EVALUATION["appeals"]}),
                 decision=DECISION)
APPEALED = _after(DECIDED, "appealed", ("appealed", "2027-01-08T11:00:00Z", None, {"kind": "mandatory_prior_appeal_pcd"}))
LIFTED = _after(APPEALED, "lifted", ("lifted", "2027-01-15T09:00:00Z", None, COMMANDS["lift"][1]))
ANNULLED = _after(LIFTED, "annulled", ("annulled", "2027-02-05T09:00:00Z", None, COMMANDS["annul"][1]))
# Each command's answer, and the case version its example's If-Match names (the case opens at 1, and
# Camille's own observations make it 2).
ANSWERS = {"observations": OBSERVED, "opinion": ADVISED, "decision": DECIDED, "appeal": APPEALED, "lift": LIFTED,
           "annul": ANNULLED}
VERSION_BEFORE = {command: rank for rank, command in enumerate(ANSWERS, start=2)}

CHOICE = {"territory": "44", "version": "target", "revision": 1, "changed_at": "2026-03-01T08:00:00Z",
          "changed_by": "france-travail-dsi", "comment": "Expérimentation du régime cible."}
STATS = {"lapses": [{"territory": "44", "month": "2026-12", "obligation": "carry_out_actions",
                     "source": "referent_report", "count": 12}],
         "cases": [{"territory": "44", "month": "2026-12", "outcome": "sanction", "count": 4}],
         "sanctions": [{"territory": "44", "month": "2026-12", "rule": "rsa.obligation.level1", "count": 4}]}

