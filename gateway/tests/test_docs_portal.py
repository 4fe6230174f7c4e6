"""/docs works on an isolated network: the page and every file it loads come from the gateway."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app

LOADED = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.fixture(scope="module")
def gateway(tmp_path_factory) -> TestClient:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GATEWAY_KEY_FILE", str(tmp_path_factory.mktemp("keys") / "signing-key.pem"))
        return TestClient(create_app())


def test_the_docs_page_names_no_other_host(gateway):
    page = gateway.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "//" not in page.text, "a URL with a host: the page would depend on another server"
    assert "validatorUrl\": null" in page.text  # Swagger UI would send the contract to its validator


def test_every_file_the_docs_page_loads_is_served_by_the_gateway(gateway):
    loaded = LOADED.findall(gateway.get("/docs").text)
    assert {"js", "css", "png"} <= {url.rsplit(".", 1)[-1] for url in loaded}
    for url in loaded:
        answer = gateway.get(url)
        assert answer.status_code == 200 and len(answer.content) > 0, url


def test_a_missing_docs_file_is_a_404_problem(gateway):
    answer = gateway.get("/docs/assets/nothing.js")
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
