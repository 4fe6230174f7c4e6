"""The tests' events are those their producers publish: each one passes its schema."""
from datetime import datetime, timezone

from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.indicators.tests.builders import contract_signed, hiring_declared, registered, sanction_decided

AT = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)


def test_builders_match_the_schemas():
    schemas = SchemaRegistry(REPO_ROOT / "schemas")
    for envelope in (registered(AT, "44184"), contract_signed("5b0d6c1e-2f4a-4c8e-9d3b-7a1e2f3c4d5e", AT),
                     sanction_decided(AT), hiring_declared("5b0d6c1e-2f4a-4c8e-9d3b-7a1e2f3c4d5e", AT)):
        schemas.validate(envelope.to_dict())
