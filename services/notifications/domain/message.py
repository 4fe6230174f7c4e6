"""What a reminder says, in French: what (the first appointment with the referent organisation), when
(Europe/Paris local time), where (the place, or by phone or video), and how to move it (the personal
space). Plain text: an e-mail's subject and body, an SMS's one short text."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.notifications.domain.contact import EMAIL
from services.notifications.domain.reminder import Reminder

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
# Orientation lets a person move or cancel the appointment until this long before it (docs/person-door.md).
MOVABLE_UNTIL_HOURS = 24


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def compose(reminder: Reminder, channel: str, space_url: str) -> Text:
    return _email(reminder, space_url) if channel == EMAIL else Text("", _sms(reminder, space_url))


def local_moment(moment: datetime) -> str:
    """'jeudi 10 décembre 2026 à 14 h 30', in Paris time (summer or winter, as the date has it)."""
    local = moment.astimezone(PARIS)
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} à {local:%H} h {local:%M}"


def where(reminder: Reminder) -> str:
    if reminder.mode == "phone":
        return "par téléphone" + (f" ({reminder.location})" if reminder.location else " : votre conseiller vous appellera")
    if reminder.mode == "video":
        return "en visioconférence" + (f" : {reminder.location}" if reminder.location else "")
    return reminder.location or "à l'adresse indiquée dans votre espace personnel"


def movable(reminder: Reminder) -> bool:
    """A 48 h reminder comes while the appointment can still be moved online; a 2 h one, no longer."""
    return reminder.kind != "2h"


def _email(reminder: Reminder, space_url: str) -> Text:
    when = local_moment(reminder.starts_at)
    how = (f"Pour le déplacer ou l'annuler (jusqu'à {MOVABLE_UNTIL_HOURS} heures avant), rendez-vous dans votre "
           f"espace personnel : {space_url}" if movable(reminder) else
           "Il ne peut plus être déplacé en ligne : en cas d'empêchement, prévenez au plus vite votre organisme "
           f"référent. Votre espace personnel : {space_url}")
    body = "\n".join([
        "Bonjour,",
        "",
        "Nous vous rappelons votre premier rendez-vous avec votre organisme référent, qui vous accompagnera "
        "dans votre recherche d'emploi.",
        "",
        f"Quand : le {when} (heure de Paris), durée {reminder.duration_minutes} minutes.",
        f"Où : {where(reminder)}.",
        "",
        how,
        "",
        "Ce message vous est envoyé automatiquement. Vous pouvez choisir de ne plus recevoir de rappels par "
        "e-mail ou par SMS dans votre espace personnel.",
    ])
    return Text(f"Rappel : votre premier rendez-vous le {when}", body)


def _sms(reminder: Reminder, space_url: str) -> str:
    local = reminder.starts_at.astimezone(PARIS)
    when = f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} à {local:%H}h{local:%M}"
    move = "Déplacer ou annuler" if movable(reminder) else "Détails"
    return (f"Rappel : 1er rendez-vous avec votre organisme référent le {when} (heure de Paris), "
            f"{where(reminder)}. {move} : {space_url}")
