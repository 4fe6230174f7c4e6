"""A service with a subscription the event contract does not declare refuses to start."""
from __future__ import annotations

import pytest

from services.core.app import ConsumerSpec, create_service_app
from services.core.events import EventType, Topic
from services.core.inbound import CAF_RSA_OPENED, PARTNERS_INBOUND
from services.core.settings import ServiceSettings
from services.core.subscriptions import UndeclaredSubscription


@pytest.fixture
def platform(tmp_path):
    settings = ServiceSettings.from_env("registration").with_(database_url=f"sqlite:///{tmp_path / 'x.db'}")
    return create_service_app(settings, title="t", description="d", routers=[]).state.platform


def ignore(session, event) -> None:
    pass


@pytest.mark.parametrize("event_type", [
    EventType("partners.caf.rsa_openned.v1", PARTNERS_INBOUND),  # a typo: no schema
    EventType(CAF_RSA_OPENED.name, Topic("partners.inbound.v2")),  # a topic asyncapi.yaml does not declare
])
def test_an_undeclared_subscription_refuses_to_start(platform, event_type):
    with pytest.raises(UndeclaredSubscription):
        platform.add_consumers([ConsumerSpec("test", {event_type: ignore})])
    assert platform.consumers == []


def test_a_declared_subscription_is_wired_on_its_topic(platform):
    platform.add_consumers([ConsumerSpec("test", {CAF_RSA_OPENED: ignore})])
    assert [consumer.topics for consumer in platform.consumers] == [[PARTNERS_INBOUND.address]]
