"""Services as real processes, served as `make run` serves them (services/core/serving.py), for end-to-end tests."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from services.core import serving
from services.core.settings import REPO_ROOT
from tests.support.polling import url_answers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceProcess:
    def __init__(self, name: str, module: str, port: int, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.module = module
        self.port = port
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait_path: str = "/readyz", timeout: float = 60.0) -> "ServiceProcess":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", *serving.uvicorn_arguments(self.module, "127.0.0.1", self.port)],
            cwd=REPO_ROOT, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
        )
        self.wait(wait_path, timeout)
        return self

    def wait(self, path: str, timeout: float) -> None:
        if not url_answers(self.url + path, timeout, alive=lambda: self.process.poll() is None):
            state = "exited" if self.process.poll() is not None else f"not ready after {timeout}s"
            raise RuntimeError(f"{self.name} {state}: {self.log_tail()}")

    def stop(self, kill: bool = False) -> None:
        """Graceful stop, or SIGKILL to simulate a crash (nothing gets to run on the way out)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
