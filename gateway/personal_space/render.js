// How the personal space shows any JSON answer: French labels for the fields and codes the parts
// send, dates in French, lists and nested objects as lists. Loaded before espace.js, which uses it.
"use strict";

const LABELS = {
  person_id: "Identifiant", registration_id: "Numéro d'inscription", status: "État", first_name: "Prénom",
  last_name: "Nom", given_name: "Prénom", family_name: "Nom", birth_date: "Date de naissance", birthdate: "Date de naissance",
  nir: "Numéro de sécurité sociale (masqué)", nir_masked: "Numéro de sécurité sociale (masqué)",
  email: "Adresse électronique", phone: "Téléphone", preferred_channel: "Moyen de contact préféré",
  opted_out_channels: "Moyens de contact refusés", contact: "Coordonnées", address: "Adresse", identity: "Identité",
  commune: "Commune", postal_code: "Code postal", departement: "Département", registered_at: "Inscrit le",
  orientation: "Orientation", referent: "Organisme référent", referent_organisation: "Organisme référent",
  history: "Historique", decided_at: "Décidé le", route: "Parcours", reason: "Motif", org_id: "Organisme",
  org_type: "Type d'organisme", client_id: "Application", agent: "Agent", by: "Par", at: "Le", when: "Le",
  starts_at: "Début", ends_at: "Fin", start: "Début", end: "Fin", place: "Lieu", location: "Lieu",
  appointment_id: "Rendez-vous", slot_id: "Créneau", sections: "Parties", section: "Partie", purpose: "Finalité",
  access: "Accès", service: "Service", contract: "Contrat", obligations: "Obligations", signed_at: "Signé le",
  diagnostic: "Diagnostic", reviews: "Points d'étape", corrections: "Demandes de correction", message: "Message",
  field: "Information", answer: "Réponse", answered_at: "Répondu le", answered_by: "Répondu par",
  asked_at: "Demandé le", outcome: "Résultat", consents: "Consentements", audience: "Public", granted: "Accordé",
  interests: "Intérêts d'employeurs", audiences: "Visible par", published: "Publié",
  findable_by_temp_agencies: "Visible des agences d'intérim", facts: "Informations", proposals: "Propositions", items: "Éléments", offers: "Offres", matches: "Offres correspondantes",
  title: "Intitulé", deadline: "Date limite", timeline: "Chronologie", observations: "Observations",
  case_id: "Procédure", created_at: "Créé le", updated_at: "Modifié le", version: "Version",
  channel: "Modalité", duration_minutes: "Durée (minutes)", available: "Disponible", slot: "Créneau",
  delay_days: "Délai depuis l'inscription (jours)", within_target: "Dans le délai visé", booked_at: "Réservé le",
  booked_by: "Réservé par", decision_id: "Décision", no_show_recorded_at: "Absence constatée le",
  id: "Identifiant", usage_name: "Nom d'usage", first_names: "Prénoms", sex: "Sexe", birth_place: "Lieu de naissance",
  commune_code: "Code commune", country_code: "Code pays", city: "Ville", nationality: "Nationalité", line: "Adresse",
  situation: "Situation", project: "Projet", rsa_recipient: "Allocataire du RSA", rqth: "RQTH", household: "Foyer",
  mobility_km: "Mobilité (km)", jobs_sought: "Métiers recherchés", skills: "Compétences", experiences: "Expériences",
  diplomas: "Diplômes", label: "Libellé", code: "Code", org_name: "Organisme", name: "Nom", type: "Type",
  sections_read: "Parties consultées", procedure_closed_at: "Procédure close le", text: "Texte", notice: "Notification",
  observations_deadline: "Observations jusqu'au", decision: "Décision", scale: "Barème", current: "Actuelle",
  signature: "Signature", summary: "Résumé", due_at: "Échéance", searches: "Recherches", query: "Critères",
  departement_code: "Département", decision_due_at: "Décision attendue le", preferred_org_type: "Organisme souhaité",
  kind: "Nature", decided_by: "Décidé par", pathway: "Parcours", intensity: "Intensité", referential: "Référentiel",
  territory: "Territoire", national_version: "Version nationale", rule: "Règle appliquée", rule_ids: "Règles",
  recorded_by: "Enregistré par", comment: "Commentaire", previous_decision_id: "Décision précédente",
};
const CODES = {
  read: "lecture", write: "écriture", open: "en cours", accepted: "acceptée", refused: "refusée",
  email: "courriel", sms: "SMS", booked: "réservé", cancelled: "annulé", no_show: "absence",
  on_site: "sur place", phone: "par téléphone", video: "en visioconférence", accompaniment: "accompagnement",
  control: "contrôle", rsa_entitlement: "droit au RSA", proposed: "proposée", decided: "décidée",
  registered: "inscrit·e", counter: "au guichet", online: "en ligne", partner_prefill: "pré-inscription partenaire",
  F: "femme", M: "homme", FR: "France", made: "prise", professional: "professionnel", social: "social",
  socio_professional: "socio-professionnel", intensive: "intensif", mission_locale: "mission locale",
  departement: "département", france_travail: "France Travail", cap_emploi: "Cap emploi",
  requested: "demandée", interested: "intéressé·e", declined: "déclinée", expired: "expirée",
  employers: "employeurs", temp_agencies: "agences d'intérim", counsellors: "conseillers",
  // Why an organisation read, and what: the access log's purposes and the parts each service names.
  recruitment: "recrutement", public_profile: "profil public", interest_requests: "demandes d'employeurs",
  profile: "profil", statement: "déclaration", access_log: "journal des accès", saved_searches: "recherches enregistrées",
  appointments: "rendez-vous", orientation: "orientation", registration: "inscription", dossier: "dossier",
  profiles: "banque de profils", offers: "offres", sanctions: "sanctions", rsa_status: "droit au RSA",
  failed_reminders: "rappels non remis", identity: "identité", contact: "coordonnées", address: "adresse",
  situation: "situation", skills: "compétences", project: "projet", pre_diagnostic: "pré-diagnostic",
};
const HIDDEN_KEYS = new Set(["next_cursor", "withheld_until_closed_note", "_links"]);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function label(key) {
  return LABELS[key] || String(key).replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

function scalar(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Oui" : "Non";
  if (typeof value === "string" && DATE_TIME.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) {
      return date.toLocaleString("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Paris" });
    }
  }
  if (typeof value === "string" && DATE.test(value)) {
    return new Date(value + "T12:00:00Z").toLocaleDateString("fr-FR", { dateStyle: "long" });
  }
  return CODES[value] || String(value);
}

// Any JSON answer as French-labelled lists, so a part's new fields show without a change here.
function render(value) {
  if (Array.isArray(value)) {
    if (value.length === 0) return element("p", "Aucun élément pour le moment.");
    const list = element("ul", null, "liste");
    value.forEach((item) => { const li = element("li"); li.append(render(item)); list.append(li); });
    return list;
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).filter((key) => !HIDDEN_KEYS.has(key));
    if (keys.length === 0) return element("p", "Aucune information pour le moment.");
    const list = element("dl");
    keys.forEach((key) => {
      list.append(element("dt", label(key)));
      const dd = element("dd");
      dd.append(render(value[key]));
      list.append(dd);
    });
    return list;
  }
  return document.createTextNode(scalar(value));
}
