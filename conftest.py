# Fixtures shared by every test folder (services/*/tests, gateway/tests, tests/).
import pytest

pytest_plugins = ["tests.support.fixtures", "tests.support.browser"]


def pytest_collection_modifyitems(items):
    """A test under an `integration` folder needs the broker and the database whether or not its file
    says so: `make test-unit` (-m "not integration and not e2e") must not collect one that forgot."""
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)
