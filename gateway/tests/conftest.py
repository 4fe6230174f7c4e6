"""A gateway in the test process, on demo partners of the test's own, in front of real servers."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
import yaml
from fastapi.testclient import TestClient

from gateway.app import create_app
from services.core import serving
from services.core.settings import REPO_ROOT

DEMO_PARTNERS = REPO_ROOT / "deploy" / "local" / "partners.yaml"


@pytest.fixture
def gateway_for(tmp_path, monkeypatch):
    """`gateway_for(partners=…, **service_urls)`: a gateway whose services answer at the URLs given
    (e.g. registration="http://127.0.0.1:5000"), with its own key and key registry under tmp_path."""
    monkeypatch.setenv("GATEWAY_KEY_FILE", str(tmp_path / "signing-key.pem"))
    monkeypatch.setenv("GATEWAY_DATABASE_URL", f"sqlite:///{tmp_path / 'gateway.db'}")

    def build(partners: list[dict] | None = None, **service_urls: str) -> TestClient:
        for service, url in service_urls.items():
            monkeypatch.setenv(f"{service.upper()}_URL", url)
        partners_file: Path = DEMO_PARTNERS
        if partners is not None:
            partners_file = tmp_path / "partners.yaml"
            partners_file.write_text(yaml.safe_dump({"partners": partners}))
        return TestClient(create_app(partners_file=partners_file), raise_server_exceptions=False)

    return build


def demo_partner(client_id: str) -> dict:
    return next(entry for entry in yaml.safe_load(DEMO_PARTNERS.read_text())["partners"]
                if entry["client_id"] == client_id)


def bearer(gateway: TestClient, client_id: str) -> dict[str, str]:
    answer = gateway.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                "client_secret": f"demo-{client_id}-secret"})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def uvicorn_server(app, port: int | None = None, **config) -> Iterator[str]:
    """A real uvicorn server, on the platform's server stack (services/core/serving.py), in a thread; yields
    its base URL. `port`: one chosen beforehand (a URL naming it was given out before the app was built)."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           loop=serving.LOOP, http=serving.HTTP, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
