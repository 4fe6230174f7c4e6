import pytest

from deploy.local.mailcatcher import MailCatcher
from services.notifications.app import SEND_JOB
from tests.support.apps import service_client


@pytest.fixture
def catcher(tmp_path):
    """A real SMTP server (aiosmtpd) and a real HTTP receiver playing the SMS provider: the local mail
    catcher, on ports of its own."""
    with MailCatcher(tmp_path / "mail") as running:
        yield running


@pytest.fixture
def settings(catcher, monkeypatch):
    monkeypatch.setenv("NOTIFICATIONS_SMTP_PORT", str(catcher.smtp_port))
    monkeypatch.setenv("NOTIFICATIONS_SMS_URL", catcher.sms_url)
    monkeypatch.setenv("NOTIFICATIONS_MAX_ATTEMPTS", "3")


@pytest.fixture
def start(settings, database_url, broker, tokens):
    """Starts the service (the send job run by the tests on their own clock) under a consumer prefix."""
    def started(consumer_prefix: str):
        return service_client("notifications", database_url, broker, tokens, consumer_prefix, jobs=frozenset())
    return started


def send_job(client):
    return next(job for job in client.app.state.platform.jobs if job.name == SEND_JOB)
