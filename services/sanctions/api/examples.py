"""Examples of the published contract: one RSA recipient's case under the target scale."""
from __future__ import annotations

PERSON_ID = "5b0d6c1e-2f4a-4c8e-9d3b-7a1e2f3c4d5e"
CASE_ID = "0f3c9a1e-6b2d-4e8f-a1c3-9d7e5b2a4c60"
CONSEQUENCE = {"kind": "suspension_remobilisation", "months_min": None, "months_max": None,
               "allowance_months_cancelled": None, "max_reduction_percent": 100, "household_cap_percent": None,
               "whole_household": False, "list_removal": False, "support_continues": True}
EVALUATION = {"consequence": CONSEQUENCE, "authority": "president_conseil_departemental", "observation_days": 15,
              "equipe_pluridisciplinaire": False, "appeals": ["administrative_appeal", "courts"],
              "rule": "target.initial_appointments_missed", "version": "target",
              "explanation": "Deux absences sans motif légitime aux rendez-vous de diagnostic initial : "
                             "suspension-remobilisation de l'allocation, sans interruption de l'accompagnement."}
CASE = {"id": CASE_ID, "person_id": PERSON_ID, "regime": "rsa", "territory": "44", "status": "observation",
        "scale_version": "target", "view": "case", "category": "initial_appointments_missed",
        "opened_at": "2026-03-02T09:00:00Z", "observation_ends_at": "2026-03-17T09:00:00Z", "evaluation": EVALUATION,
        "timeline": [{"kind": "lapse_recorded", "at": "2026-03-02T09:00:00Z", "by": "ft-agence-44-nantes-est",
                      "detail": {"obligation": "initial_diagnostic_appointment", "source": "system"}},
                     {"kind": "notice_sent", "at": "2026-03-02T09:00:00Z", "by": "system",
                      "detail": {"answer_by": "2026-03-17T09:00:00+00:00", "rule": "target.initial_appointments_missed",
                                 "possible_consequence": "suspension_remobilisation"}}]}
LAPSE_IN = {"person_id": PERSON_ID, "obligation": "carry_out_actions", "source": "referent_report",
            "evidence": "Aucune des trois actions du contrat engagée depuis deux mois.",
            "occurred_at": "2026-03-01T10:00:00Z", "household_size": 1}
LAPSE_OUT = {"lapse_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "case": CASE}
EVALUATE_IN = {"regime": "rsa", "category": "obligation", "previous_sanctions": 0, "household_size": 3}
EVALUATE_OUT = {**EVALUATION, "consequence": {**CONSEQUENCE, "kind": "allowance_reduction", "months_min": 1,
                                              "months_max": 3, "max_reduction_percent": 50, "household_cap_percent": 50,
                                              "whole_household": True, "support_continues": False},
                "authority": "president_conseil_departemental", "observation_days": 30,
                "equipe_pluridisciplinaire": True, "appeals": ["mandatory_prior_appeal_pcd", "courts"],
                "rule": "rsa.obligation.level1", "version": "current",
                "explanation": "Pas de précédent de suspension : réduction du RSA au maximum de 80 % du montant dû "
                               "pour 1 à 3 mois (plafonnée à 50 % si le foyer compte plus d'une personne)."}
CHOICE = {"territory": "44", "version": "target", "revision": 1, "changed_at": "2026-03-01T08:00:00Z",
          "changed_by": "france-travail-dsi", "comment": "Expérimentation du régime cible."}
STATS = {"lapses": [{"territory": "44", "month": "2026-03", "obligation": "initial_diagnostic_appointment",
                     "source": "system", "count": 12}],
         "cases": [{"territory": "44", "month": "2026-03", "outcome": "remobilisation", "count": 4}],
         "sanctions": [{"territory": "44", "month": "2026-03", "rule": "target.initial_appointments_missed", "count": 4}]}
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
