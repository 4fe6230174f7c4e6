"""The SMTP mailer and the HTTP SMS gateway against real servers (the mail catcher's): what they send,
and what a refusal becomes (a SendFailed saying how, never the address)."""
from __future__ import annotations

import httpx
import pytest

from deploy.local.mailcatcher import MailCatcher, free_port
from services.notifications.adapters.sms_http import HttpSmsGateway
from services.notifications.adapters.smtp import SmtpMailer, SmtpSettings
from services.notifications.domain.senders import SendFailed

pytestmark = pytest.mark.integration
RECORD = "5fc36a58-14b1-58c8-a623-d746dc803f71"


def test_an_email_is_plain_french_text_under_its_record_id(catcher: MailCatcher):
    mailer = SmtpMailer(SmtpSettings("127.0.0.1", catcher.smtp_port, "France Travail <ne-pas-repondre@example.org>"))
    mailer.send(RECORD, "camille@example.org", "Rappel : votre premier rendez-vous", "Où : à Nantes.")
    [mail] = catcher.mails()
    assert (mail["To"], mail["Subject"], mail["Message-ID"]) == (
        "camille@example.org", "Rappel : votre premier rendez-vous", f"<{RECORD}@france-travail.local>")
    assert mail.get_body().get_content().strip() == "Où : à Nantes."

    catcher.smtp_failure = "451 4.3.0 Try again later"
    with pytest.raises(SendFailed, match="^smtp 451$"):
        mailer.send(RECORD, "camille@example.org", "s", "b")
    with pytest.raises(SendFailed, match="^ConnectionRefusedError$"):
        SmtpMailer(SmtpSettings("127.0.0.1", free_port(), "a@example.org")).send(RECORD, "c@example.org", "s", "b")


def test_an_sms_carries_its_record_id_as_idempotency_key_so_a_second_send_is_not_a_second_sms(catcher: MailCatcher):
    sms = HttpSmsGateway(catcher.sms_url, sender="FranceTrav")
    sms.send(RECORD, "+33612345678", "Rappel : 1er rendez-vous")
    sms.send(RECORD, "+33612345678", "Rappel : 1er rendez-vous")  # a crash re-sent it
    assert catcher.sms() == [{"message_id": RECORD, "to": "+33612345678", "text": "Rappel : 1er rendez-vous",
                              "from": "FranceTrav", "idempotency_key": RECORD}]

    catcher.sms_status = 503
    with pytest.raises(SendFailed, match="^http 503$"):
        sms.send("another", "+33612345678", "t")
    with pytest.raises(SendFailed, match="^ConnectError$"):
        HttpSmsGateway(f"http://127.0.0.1:{free_port()}/sms").send(RECORD, "+33612345678", "t")


def test_the_local_inbox_lists_what_was_caught_newest_first(catcher: MailCatcher):
    SmtpMailer(SmtpSettings("127.0.0.1", catcher.smtp_port, "a@example.org")).send(
        RECORD, "camille@example.org", "Rappel : votre premier rendez-vous", "Bonjour")
    HttpSmsGateway(catcher.sms_url).send(RECORD, "+33612345678", "Rappel : 1er rendez-vous")
    listed = httpx.get(catcher.inbox_url + "api/messages").json()
    assert [(item["kind"], item["to"]) for item in listed] == [("sms", "+33612345678"), ("email", "camille@example.org")]
    page = httpx.get(catcher.inbox_url)
    assert page.headers["content-type"].startswith("text/html")
    assert "Rappel : votre premier rendez-vous" in page.text and "Rappel : 1er rendez-vous" in page.text
    assert "Bonjour" in httpx.get(catcher.inbox_url + f"mail/{listed[1]['name']}").text
