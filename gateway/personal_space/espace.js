// The personal space: each section reads its /v1/me part with the session cookie (the page never holds
// a token) and shows it; writes carry X-Requested-With, which the gateway requires against CSRF. A part
// that answers a problem shows a French message and leaves the other sections alone.
"use strict";

const WRITE_HEADERS = { "X-Requested-With": "personal-space" };
// Set by any part answering 401: no session (or an expired one), so the page offers to log in. Every part
// is asked, as a part not yet published answers 404 whoever asks.
let sessionMissing = false;

function announce(text) { document.getElementById("annonce").textContent = text; }

async function api(path, options = {}) {
  const method = options.method || "GET";
  const headers = { Accept: "application/json", ...(method === "GET" ? {} : WRITE_HEADERS), ...(options.headers || {}) };
  let answer;
  try {
    answer = await fetch(path, { ...options, method, headers, credentials: "same-origin" });
  } catch (error) {
    return { status: 0, ok: false, body: null, etag: null };
  }
  if (answer.status === 401) sessionMissing = true;
  let body = null;
  try { body = await answer.json(); } catch (error) { body = null; }
  return { status: answer.status, ok: answer.ok, body, etag: answer.headers.get("ETag") };
}

function send(path, method, payload, extra = {}) {
  return api(path, { method, headers: { "Content-Type": "application/json", ...extra },
                     body: payload === undefined ? undefined : JSON.stringify(payload) });
}

function problemText(answer, what) {
  if (answer.status === 404) return `Aucune information sur ${what} pour le moment.`;
  if (answer.status === 401) return "Votre session a expiré : reconnectez-vous.";
  if (answer.status === 403) return `Vous ne pouvez pas accéder à ${what}.`;
  if (answer.status === 409) return "Cette action n'est plus possible (délai dépassé ou déjà faite).";
  if (answer.status === 412) return "Vos informations ont changé entre-temps : rechargez la page et recommencez.";
  if (answer.status === 422 || answer.status === 400) return "Certaines informations saisies ne sont pas valides.";
  return `${what.charAt(0).toUpperCase()}${what.slice(1)} : service momentanément indisponible. Réessayez plus tard.`;
}

function fill(sectionId, content, selector = ".donnees") {
  const zone = document.querySelector(`#${sectionId} ${selector}`);
  zone.replaceChildren(content);
  return zone;
}

// Reads a part and shows it; a problem becomes a French message in its place.
async function part(sectionId, path, what, show = render) {
  const answer = await api(path);
  if (!answer.ok) {
    fill(sectionId, element("p", problemText(answer, what), answer.status === 404 ? null : "probleme"));
    return null;
  }
  fill(sectionId, show(answer.body, answer));
  return answer;
}

function items(body) { return Array.isArray(body) ? body : (body && Array.isArray(body.items) ? body.items : []); }

function button(text, onClick, secondary) {
  const node = element("button", text, secondary ? "secondaire" : null);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function key() { return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random(); }

// -- sections ------------------------------------------------------------------------------------

let registrationEtag = null;

async function loadRegistration() {
  const answer = await part("inscription", "/v1/me/registration", "votre inscription");
  registrationEtag = answer && answer.etag;
}

async function saveContact(event) {
  event.preventDefault();
  const form = event.target;
  const patch = {};
  ["email", "phone", "preferred_channel"].forEach((name) => { if (form.elements[name].value) patch[name] = form.elements[name].value; });
  const refused = [...form.querySelectorAll("input[name=opted_out_channels]:checked")].map((box) => box.value);
  if (refused.length) patch.opted_out_channels = refused;
  if (Object.keys(patch).length === 0) { announce("Aucune modification à enregistrer."); return; }
  const headers = { "Content-Type": "application/merge-patch+json" };
  if (registrationEtag) headers["If-Match"] = registrationEtag;
  const answer = await api("/v1/me/registration/contact", { method: "PATCH", headers, body: JSON.stringify(patch) });
  announce(answer.ok ? "Vos coordonnées sont enregistrées." : problemText(answer, "vos coordonnées"));
  if (answer.ok) { form.reset(); await loadRegistration(); }
}

async function loadAppointments() {
  const mine = await part("rendez-vous", "/v1/me/appointments", "vos rendez-vous", (body) => appointmentList(items(body)));
  const current = mine ? items(mine.body).filter((item) => !["cancelled", "canceled"].includes(item.status)) : [];
  const slots = await api("/v1/me/appointments/slots");
  if (!slots.ok) { fill("rendez-vous", element("p", problemText(slots, "les créneaux libres")), ".creneaux"); return; }
  fill("rendez-vous", slotList(items(slots.body), current), ".creneaux");
}

function appointmentList(list) {
  if (list.length === 0) return element("p", "Vous n'avez aucun rendez-vous pour le moment.");
  const ul = element("ul", null, "liste");
  list.forEach((appointment) => {
    const li = element("li");
    li.append(render(appointment));
    const id = appointment.appointment_id || appointment.id;
    if (id && !["cancelled", "canceled"].includes(appointment.status)) {
      const actions = element("div", null, "actions");
      actions.append(button("Annuler ce rendez-vous", () => cancelAppointment(id), true));
      li.append(actions);
    }
    ul.append(li);
  });
  return ul;
}

function slotId(slot) { return slot.slot_id || slot.id; }

function slotText(slot) {
  const when = scalar(slot.starts_at || slot.start || slot.at);
  const where = [CODES[slot.channel] || slot.channel, slot.place || slot.location].filter(Boolean).join(", ");
  return where ? `${when} — ${where}` : when;
}

function slotList(slots, current) {
  if (slots.length === 0) return element("p", "Aucun créneau libre pour le moment.");
  const form = element("form", null, "formulaire");
  const fieldset = element("fieldset");
  fieldset.append(element("legend", "Choisissez un créneau"));
  slots.forEach((slot, index) => {
    const input = element("input");
    Object.assign(input, { type: "radio", name: "slot", value: slotId(slot), id: `creneau-${index}`, required: true });
    const text = element("label", slotText(slot));
    text.htmlFor = input.id;
    const line = element("div");
    line.append(input, " ", text);
    fieldset.append(line);
  });
  form.append(fieldset);
  const moving = current.length > 0;
  const submit = element("button", moving ? "Déplacer mon rendez-vous sur ce créneau" : "Réserver ce créneau");
  submit.type = "submit";
  form.append(submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = form.elements.slot.value;
    if (!chosen) { announce("Choisissez d'abord un créneau."); return; }
    const existing = moving ? (current[0].appointment_id || current[0].id) : null;
    bookSlot(chosen, existing);
  });
  return form;
}

async function bookSlot(slot, existing) {
  const answer = existing
    ? await send(`/v1/me/appointments/${encodeURIComponent(existing)}`, "PATCH", { slot_id: slot })
    : await send("/v1/me/appointments", "POST", { slot_id: slot }, { "Idempotency-Key": key() });
  announce(answer.ok ? (existing ? "Votre rendez-vous est déplacé." : "Votre rendez-vous est réservé.")
    : problemText(answer, "la réservation"));
  await loadAppointments();
}

async function cancelAppointment(id) {
  const answer = await api(`/v1/me/appointments/${encodeURIComponent(id)}`, { method: "DELETE" });
  announce(answer.ok ? "Votre rendez-vous est annulé." : problemText(answer, "l'annulation"));
  await loadAppointments();
}

async function loadDossier() {
  const answer = await part("dossier", "/v1/me/dossier", "votre dossier", (body) => {
    const { contract, corrections, ...rest } = body || {};
    return render(rest);
  });
  const contract = answer && answer.body && (answer.body.contract || (answer.body.sections || {}).contract);
  fill("contrat", contract ? render(contract)
    : element("p", answer ? "Vous n'avez pas encore de contrat d'engagement." : "Votre contrat n'est pas disponible pour le moment."));
}

function accessTable(body) {
  const list = items(body);
  if (list.length === 0) return element("p", "Aucun organisme n'a consulté vos données pour le moment.");
  const table = element("table");
  table.append(element("caption", "Consultations et modifications de vos données, les plus récentes d'abord"));
  const head = element("tr");
  ["Date", "Organisme", "Agent", "Accès", "Parties", "Finalité", "Service"].forEach((title) => {
    const th = element("th", title); th.scope = "col"; head.append(th);
  });
  const thead = element("thead");
  thead.append(head);
  table.append(thead);
  const rows = element("tbody");
  list.forEach((entry) => {
    const by = entry.by || {};
    const row = element("tr");
    [entry.at, by.org_name || by.org_id, by.agent || entry.agent, entry.access, (entry.sections || []).map((code) => CODES[code] || code).join(", "),
      entry.purpose, entry.service].forEach((value) => row.append(element("td", scalar(value))));
    rows.append(row);
  });
  table.append(rows);
  return table;
}

async function loadCorrections() {
  await part("corrections", "/v1/me/corrections", "vos demandes de correction", (body) => {
    const list = items(body);
    return list.length ? render(list) : element("p", "Vous n'avez envoyé aucune demande de correction.");
  });
}

async function askCorrection(event) {
  event.preventDefault();
  const form = event.target;
  const payload = { section: form.elements.section.value, message: form.elements.message.value };
  if (form.elements.field.value) payload.field = form.elements.field.value;
  const answer = await send("/v1/me/corrections", "POST", payload, { "Idempotency-Key": key() });
  announce(answer.ok ? "Votre demande est envoyée à votre référent." : problemText(answer, "votre demande"));
  if (answer.ok) { form.reset(); await loadCorrections(); }
}

// The audiences a profile may be shown to (services/profiles/domain/consent.py).
const AUDIENCES = { employers: "les employeurs", temp_agencies: "les agences d'intérim",
                    counsellors: "les conseillers du réseau pour l'emploi" };

async function loadProfile() {
  await part("profil", "/v1/me/profile", "votre profil", (body) => {
    const zone = element("div");
    zone.append(render(body));
    const shown = new Set((body && body.audiences) || []);
    const consents = element("div", null, "actions");
    Object.entries(AUDIENCES).forEach(([audience, text]) => {
      const granted = shown.has(audience);
      consents.append(button(`${granted ? "Retirer" : "Donner"} mon accord pour ${text}`,
        () => setConsent(audience, !granted), granted));
    });
    zone.append(element("h3", "Qui peut voir mon profil"), consents, element("h3", "Demandes d'employeurs"));
    const interests = element("div");
    zone.append(interests);
    loadInterests(interests);
    return zone;
  });
}

async function loadInterests(zone) {
  const answer = await api("/v1/me/profile/interests");
  if (!answer.ok) { zone.replaceChildren(element("p", problemText(answer, "les demandes d'employeurs"))); return; }
  const list = items(answer.body);
  if (list.length === 0) { zone.replaceChildren(element("p", "Aucune demande pour le moment.")); return; }
  const ul = element("ul", null, "liste");
  list.forEach((request) => {
    const li = element("li");
    li.append(render(request));
    if (request.status === "requested") {
      const actions = element("div", null, "actions");
      actions.append(button("Je suis intéressé·e", () => answerInterest(request.id, "interested")),
                     button("Je décline", () => answerInterest(request.id, "declined"), true));
      li.append(actions);
    }
    ul.append(li);
  });
  zone.replaceChildren(ul);
}

async function answerInterest(id, choice) {
  const answer = await send(`/v1/me/profile/interests/${encodeURIComponent(id)}/answer`, "POST", { answer: choice });
  announce(answer.ok ? "Votre réponse est envoyée." : problemText(answer, "votre réponse"));
  await loadProfile();
}

async function setConsent(audience, granted) {
  const answer = await send(`/v1/me/profile/consents/${encodeURIComponent(audience)}`, "PUT", { granted });
  announce(answer.ok ? "Votre choix est enregistré." : problemText(answer, "votre consentement"));
  await loadProfile();
}

async function loadSanctions() {
  await part("sanctions", "/v1/me/sanction-cases", "vos procédures", (body) => {
    const list = items(body);
    if (list.length === 0) return element("p", "Aucune procédure de sanction ne vous concerne.");
    const ul = element("ul", null, "liste");
    list.forEach((item, index) => {
      const li = element("li");
      li.append(render(item));
      if (item.case_id || item.id) li.append(observationForm(item.case_id || item.id, index));
      ul.append(li);
    });
    return ul;
  });
}

function observationForm(caseId, index) {
  const form = element("form", null, "formulaire");
  const id = `observations-${index}`;
  const text = element("label", "Mes observations");
  text.htmlFor = id;
  const area = element("textarea");
  Object.assign(area, { id, name: "text", rows: 3, required: true, maxLength: 4000 });
  const submit = element("button", "Envoyer mes observations");
  submit.type = "submit";
  form.append(text, area, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await send(`/v1/me/sanction-cases/${encodeURIComponent(caseId)}/observations`, "POST",
      { text: area.value }, { "Idempotency-Key": key() });
    announce(answer.ok ? "Vos observations sont envoyées." : problemText(answer, "vos observations"));
    if (answer.ok) await loadSanctions();
  });
  return form;
}

async function start() {
  announce("Chargement de votre espace…");
  document.getElementById("form-contact").addEventListener("submit", saveContact);
  document.getElementById("form-correction").addEventListener("submit", askCorrection);
  await Promise.all([
    loadRegistration(), part("orientation", "/v1/me/orientation", "votre orientation"), loadAppointments(),
    loadDossier(), part("consultations", "/v1/me/access-log", "les consultations de votre dossier", accessTable),
    loadCorrections(), loadProfile(), part("recherches", "/v1/me/saved-searches", "vos recherches"), loadSanctions(),
  ]);
  announce("");
  document.getElementById(sessionMissing ? "connexion" : "espace").hidden = false;
  document.getElementById("session").hidden = sessionMissing;
  window.personalSpaceReady = true;
}

document.addEventListener("DOMContentLoaded", start);
