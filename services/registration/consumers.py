"""Kafka events → commands: partner facts prefill pre-registrations ("dites-le nous une fois")."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.core.idempotency import resource_id
from services.core.inbound import CAF_RSA_OPENED
from services.core.outbox import Outbox
from services.registration.service.handlers import RegistrationService
from services.registration.service.sections import Address, Contact, Household
from services.registration.service.unit_of_work import on_session


def caf_rsa_opening_sections(data: dict) -> dict:
    """What the CAF already knows becomes the prefilled sections; the person completes the rest."""
    person = data["person"]
    identity = {
        "last_name": person["last_name"], "first_names": person["first_names"],
        "birth_date": person["birth_date"], "sex": person.get("sex"),
        "birth_place": person.get("birth_place") or {}, "nationality": person.get("nationality", "FR"),
    }
    return {
        "identity": {k: v for k, v in identity.items() if v is not None},
        "contact": Contact.model_validate(data.get("contact") or {}).model_dump(mode="json"),
        "address": Address.model_validate(data["address"]).model_dump(mode="json"),
        "situation": {
            "professional_situation": "unemployed",
            "rsa_recipient": True,
            "household": Household.model_validate(data.get("household") or {}).model_dump(mode="json"),
        },
    }


def consumer_specs(service: RegistrationService, outbox: Outbox) -> list[ConsumerSpec]:
    def on_caf_rsa_opened(session: Session, event: Envelope) -> None:
        # The pre-registration's id derives from the fact's id: a replayed fact names the same one.
        service.prefill(on_session(session, outbox), resource_id("partner-fact", event.id),
                        caf_rsa_opening_sections(event.data))

    return [ConsumerSpec(name="registration.partner-facts", handlers={CAF_RSA_OPENED: on_caf_rsa_opened})]
