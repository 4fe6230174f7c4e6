"""What a reminder says: what, when (Paris time, in French), where, and how to move it."""
from datetime import datetime, timezone

from services.notifications.domain.contact import EMAIL, SMS
from services.notifications.domain.message import compose, local_moment
from services.notifications.domain.reminder import Reminder
from services.notifications.tests.builders import reminder_data

SPACE = "https://france-travail.local/espace-personnel/"
WINTER = datetime(2026, 12, 10, 13, 30, tzinfo=timezone.utc)  # 14 h 30 in Paris (UTC+1)


def reminder(**kwargs) -> Reminder:
    return Reminder.from_data(reminder_data(starts_at=kwargs.pop("starts_at", WINTER), **kwargs))


def test_the_time_is_paris_time_in_french_summer_and_winter():
    assert local_moment(WINTER) == "jeudi 10 décembre 2026 à 14 h 30"
    assert local_moment(datetime(2027, 7, 5, 7, 0, tzinfo=timezone.utc)) == "lundi 5 juillet 2027 à 09 h 00"


def test_an_email_says_what_when_where_and_how_to_move_it():
    text = compose(reminder(), EMAIL, SPACE)
    assert text.subject == "Rappel : votre premier rendez-vous le jeudi 10 décembre 2026 à 14 h 30"
    assert "premier rendez-vous avec votre organisme référent" in text.body
    assert "Quand : le jeudi 10 décembre 2026 à 14 h 30 (heure de Paris), durée 45 minutes." in text.body
    assert "Où : Mission locale Nantes Métropole, 4 rue Bisson, 44100 Nantes." in text.body
    assert f"Pour le déplacer ou l'annuler (jusqu'à 24 heures avant), rendez-vous dans votre espace personnel : {SPACE}" \
        in text.body


def test_an_sms_says_the_same_in_one_short_text():
    text = compose(reminder(), SMS, SPACE)
    assert text.body == ("Rappel : 1er rendez-vous avec votre organisme référent le jeudi 10 décembre à 14h30 "
                         "(heure de Paris), Mission locale Nantes Métropole, 4 rue Bisson, 44100 Nantes. "
                         f"Déplacer ou annuler : {SPACE}")


def test_by_phone_or_video_the_message_says_so():
    assert "Où : par téléphone : votre conseiller vous appellera." in compose(
        reminder(mode="phone", location=None), EMAIL, SPACE).body
    assert "Où : en visioconférence : https://visio.example.org/abc." in compose(
        reminder(mode="video", location="https://visio.example.org/abc"), EMAIL, SPACE).body


def test_two_hours_before_it_can_no_longer_be_moved_online():
    body = compose(reminder(kind="2h"), EMAIL, SPACE).body
    assert "Il ne peut plus être déplacé en ligne" in body and SPACE in body
    assert "Détails : " + SPACE in compose(reminder(kind="2h"), SMS, SPACE).body
