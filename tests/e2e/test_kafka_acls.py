"""Kafka is part of the attack surface: the broker lets in only its principals, and each service's
principal only to the topics and consumer groups the manifest gives it (services/core/kafka_acls.py)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.errors import GroupAuthorizationFailedError, KafkaTimeoutError, TopicAuthorizationFailedError

from services.core.broker import client_config, make_consumer, make_producer
from services.core.events import Envelope
from services.orientation.tests.builders import registered_event
from services.registration.published import PERSON_HEALTH
from tests.support.kafka import EVENT_SCHEMAS, TestBroker, unique_prefix

pytestmark = pytest.mark.integration

REGISTRATIONS = PERSON_HEALTH.topic.address  # with their health data: orientation and the dossier only
REFUSED_WITHIN_MS = 3_000  # a client the broker turns away gives up bootstrapping after this


def test_a_client_without_credentials_can_neither_read_nor_write(broker: TestBroker):
    anonymous = {"bootstrap_servers": broker.bootstrap, "bootstrap_timeout_ms": REFUSED_WITHIN_MS}
    with pytest.raises(KafkaTimeoutError, match="Unable to bootstrap"):
        KafkaConsumer(**anonymous)
    with pytest.raises(KafkaTimeoutError, match="Unable to bootstrap"):
        KafkaProducer(**anonymous)
    assert REGISTRATIONS in admin_topics(broker)  # the same broker lets its admin in


def test_a_wrong_password_is_refused(broker: TestBroker):
    impostor = replace(broker.access("orientation"), sasl_password="not-" + broker.access("orientation").sasl_password)
    with pytest.raises(KafkaTimeoutError, match="Unable to bootstrap"):
        KafkaConsumer(**client_config(impostor), bootstrap_timeout_ms=REFUSED_WITHIN_MS)


def test_a_service_reads_only_the_topics_it_consumes(broker: TestBroker):
    since = broker.end_offsets(REGISTRATIONS)
    subject = publish_registration(broker)

    def about(messages):
        return [message for message in messages if message.key == subject.encode()]

    assert about(broker.read(REGISTRATIONS, since, about, principal="orientation"))  # it consumes them
    assert not broker.read(REGISTRATIONS, since, about, timeout=5, principal="offers")  # it does not
    offers = KafkaConsumer(**client_config(broker.access("offers")))
    try:
        with pytest.raises(TopicAuthorizationFailedError):  # not even where the topic starts
            offers.beginning_offsets(list(since))
    finally:
        offers.close()


def test_a_service_writes_only_its_own_topics_and_the_dead_letters_of_what_it_consumes(broker: TestBroker):
    producer = make_producer(broker.access("offers"))
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            producer.send(REGISTRATIONS, key=b"intruder", value=b"{}").get(timeout=30)
        with pytest.raises(TopicAuthorizationFailedError):
            producer.send(REGISTRATIONS + ".dlq", key=b"intruder", value=b"{}").get(timeout=30)
        # offers.matches.v1 is its own and nobody consumes it: writing there disturbs no other test
        assert producer.send("offers.matches.v1", key=b"probe", value=b"{}").get(timeout=30).offset >= 0
    finally:
        producer.close()


def test_a_service_cannot_join_another_services_consumer_group(broker: TestBroker):
    prefix = unique_prefix()
    broker.allow_groups("orientation", prefix)
    intruder = make_consumer(broker.access("offers"), prefix + "orientation.registrations", [REGISTRATIONS])
    try:
        with pytest.raises(GroupAuthorizationFailedError):
            for _ in range(20):
                intruder.poll(timeout_ms=500)
    finally:
        intruder.close()


def admin_topics(broker: TestBroker) -> set[str]:
    admin = KafkaAdminClient(**broker.config)
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


def publish_registration(broker: TestBroker) -> str:
    """A valid event (the services of other tests consume this topic too), sent as the admin."""
    data = registered_event()
    envelope = Envelope(type=PERSON_HEALTH.name, source="registration", subject=data["registration_id"], data=data)
    EVENT_SCHEMAS.validate(envelope.to_dict())
    broker.produce(REGISTRATIONS, envelope.subject, envelope.to_json())
    return envelope.subject
