"""Debian's nginx as a keep-alive reverse proxy in front of one service (deploy/local/nginx/reverse-proxy.conf):
what a mature proxy adds to a call, the yardstick of the gateway's own cost."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


from services.core.settings import REPO_ROOT
from tests.support.processes import free_port
from tests.support.polling import url_answers

TEMPLATE = REPO_ROOT / "deploy" / "local" / "nginx" / "reverse-proxy.conf"


@contextmanager
def reverse_proxy(upstream_port: int, workdir: Path) -> Iterator[str]:
    """nginx listening on a free port in front of 127.0.0.1:`upstream_port`; yields its base URL."""
    prefix = workdir / "nginx"
    prefix.mkdir(parents=True)
    port = free_port()
    config = prefix / "nginx.conf"
    config.write_text(TEMPLATE.read_text().replace("@PREFIX@", str(prefix)).replace(
        "@LISTEN_PORT@", str(port)).replace("@UPSTREAM_PORT@", str(upstream_port)))
    # Debian installs nginx in /usr/sbin, not on every user's PATH.
    nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin") or "nginx"
    process = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_proxying(url, process, prefix / "error.log")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_proxying(url: str, process: subprocess.Popen, error_log: Path, timeout: float = 30.0) -> None:
    if url_answers(f"{url}/healthz", timeout, alive=lambda: process.poll() is None):
        return
    log = error_log.read_text(errors="replace") if error_log.exists() else "(no log)"
    raise RuntimeError(f"nginx is not proxying to the service on {url}:\n{log}")
