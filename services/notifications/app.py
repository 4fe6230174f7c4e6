"""Reminders sent to people: `uvicorn --factory services.notifications.app:create_app`.

A worker with no public routes: its api process serves /healthz, /readyz and /metrics only (the
gateway routes nothing to it), and runs the consumer, the outbox relay and the send job.

Settings (environment), with their local defaults, which point at the mail catcher `make run` starts:
NOTIFICATIONS_SMTP_HOST (127.0.0.1), _SMTP_PORT (1025), _SMTP_TLS (none | starttls | tls),
_SMTP_USERNAME and _SMTP_PASSWORD (none: no login), _MAIL_FROM; NOTIFICATIONS_SMS_URL
(http://127.0.0.1:1080/sms), _SMS_TOKEN (a bearer token, if the provider asks one), _SMS_SENDER;
NOTIFICATIONS_MAX_ATTEMPTS (5), _RETRY_FIRST_DELAY_SECONDS (30, then x4, 30 min at most),
_CONTACT_WAIT_SECONDS (600: how long a reminder waits for a contact still to come),
_SEND_INTERVAL_SECONDS (5). The personal space's link is GATEWAY_URL + /espace-personnel/.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import timedelta

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.scheduler import PeriodicJob
from services.core.settings import ServiceSettings, gateway_url
from services.notifications.adapters.sms_http import HttpSmsGateway
from services.notifications.adapters.smtp import SmtpMailer, SmtpSettings
from services.notifications.consumers import consumer_specs
from services.notifications.domain.send_record import RetryPolicy
from services.notifications.service.sending import Sender
from services.notifications.service.unit_of_work import unit_of_work

DESCRIPTION = """Reminders of first appointments, sent to the person by e-mail (SMTP) and SMS (a provider's HTTP
API), each once, never on a channel the person opted out of; a message given up after its retries is told to
the referent organisation (notifications.message.failed.v1). No public routes: health and metrics only."""
SEND_JOB = "notification-sends"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"NOTIFICATIONS_{name}", default)


def smtp_settings() -> SmtpSettings:
    """Locally, the mail catcher `make run` starts (deploy/local/mailcatcher.py)."""
    return SmtpSettings(host=_env("SMTP_HOST", "127.0.0.1"), port=int(_env("SMTP_PORT", "1025")),
                        sender=_env("MAIL_FROM", "France Travail <ne-pas-repondre@france-travail.local>"),
                        tls=_env("SMTP_TLS", "none"), username=_env("SMTP_USERNAME", ""),
                        password=_env("SMTP_PASSWORD", ""))


def sms_gateway() -> HttpSmsGateway:
    return HttpSmsGateway(_env("SMS_URL", "http://127.0.0.1:1080/sms"), token=_env("SMS_TOKEN", ""),
                          sender=_env("SMS_SENDER", "FranceTrav"))


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("notifications")
    app = create_service_app(settings, title="Notifications API", description=DESCRIPTION, routers=[])
    platform = app.state.platform

    @contextmanager
    def transaction():
        with platform.db.transaction() as session:
            yield unit_of_work(session, platform.outbox)

    policy = RetryPolicy(max_attempts=int(_env("MAX_ATTEMPTS", "5")),
                         first_delay=timedelta(seconds=float(_env("RETRY_FIRST_DELAY_SECONDS", "30"))))
    sender = Sender(transaction, SmtpMailer(smtp_settings()), sms_gateway(),
                    space_url=f"{gateway_url().rstrip('/')}/espace-personnel/", policy=policy,
                    contact_wait=timedelta(seconds=float(_env("CONTACT_WAIT_SECONDS", "600"))))
    app.state.notification_sender = sender
    platform.add_consumers(consumer_specs(platform.outbox, utcnow))
    platform.add_job(PeriodicJob(SEND_JOB, float(_env("SEND_INTERVAL_SECONDS", "5")), sender.run))
    return app
