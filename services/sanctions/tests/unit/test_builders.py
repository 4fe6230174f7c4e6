"""The other services' events the tests send are valid against schemas/: an invalid one would go to
the .dlq and a test would only time out."""
from __future__ import annotations

import pytest

from services.core.events import SchemaRegistry
from services.core.settings import ServiceSettings
from services.sanctions.tests import builders
from services.sanctions.tests.builders import NOW, PERSON


@pytest.mark.parametrize("build", [
    lambda: builders.registered(PERSON), lambda: builders.oriented(PERSON), lambda: builders.no_show(PERSON),
    lambda: builders.interview_held(PERSON, NOW), lambda: builders.contract_signed(PERSON, NOW),
    lambda: builders.review_overdue(PERSON), lambda: builders.contract_unsigned(PERSON),
])
def test_builder_matches_its_schema(build):
    SchemaRegistry(ServiceSettings.from_env("sanctions").schemas_dir).validate(build().to_dict())
