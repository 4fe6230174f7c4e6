# Fixtures shared by every test folder (services/*/tests, gateway/tests, tests/).
pytest_plugins = ["tests.support.fixtures", "tests.support.browser"]
