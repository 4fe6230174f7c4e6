"""Two source trees measured in one run: the working tree and the issue's starting commit, checked out with
`git worktree` and run on the same .venv with its own code first on PYTHONPATH.

The starting commit predates the brokers' SASL/SCRAM login: it runs on a plain broker of its own (PlainBroker),
started by its own deploy/local/kafka.sh, with a registered stream of its own."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from services.core.broker import declared_topics, ensure_topics
from services.core.settings import REPO_ROOT, KafkaAccess
from tests.bench.tree_stack import MARKER
from tests.support.kafka import TestBroker

TREE_STACK = Path(__file__).resolve().parent / "tree_stack.py"
UNLIMITED = 10**9  # requests per minute: the rate limit is still checked on every call, never reached


@contextmanager
def checked_out(commit: str, where: Path) -> Iterator[Path]:
    subprocess.run(["git", "worktree", "prune"], cwd=REPO_ROOT, check=True)
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(where), commit], cwd=REPO_ROOT, check=True)
    try:
        yield where
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(where)], cwd=REPO_ROOT, check=True)


@dataclass(frozen=True)
class PlainBroker(TestBroker):
    """A broker without login, for a tree of before SASL: started by that tree's kafka.sh, fresh each run, on
    its own ports and data dir. The bench's helpers (read, lag, end offsets) reach it as they do the SASL one."""
    tree: Path

    @property
    def data_dir(self) -> Path:
        return REPO_ROOT / ".data" / f"bench-kafka-plain-{self.port}"

    def access(self, principal: str = "") -> KafkaAccess:
        return KafkaAccess(self.bootstrap)

    def start(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        # The tree's kafka.sh fetches the jars into its own .cache: share the working tree's (same pom.xml).
        cache = self.tree / ".cache"
        if not cache.exists():
            cache.symlink_to(REPO_ROOT / ".cache", target_is_directory=True)
        subprocess.run([str(self.tree / "deploy" / "local" / "kafka.sh"), "start"], env=self.env, check=True,
                       capture_output=True, timeout=300)

    def stop(self) -> None:
        subprocess.run([str(self.tree / "deploy" / "local" / "kafka.sh"), "stop"], env=self.env, check=True,
                       capture_output=True, timeout=120)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def ensure_topics(self) -> None:
        ensure_topics(self.access(), declared_topics())


@dataclass
class Platform:
    """One tree's processes, started by tests/bench/tree_stack.py in a child process."""
    process: subprocess.Popen
    gateway: dict
    services: dict[str, dict]
    secrets: dict[str, str]

    @classmethod
    def start(cls, tree: Path, workdir: Path, broker: TestBroker, **env: str) -> "Platform":
        """`env`: more settings for the tree's processes."""
        workdir.mkdir(parents=True, exist_ok=True)
        partners_file = unlimited_partners(tree, workdir)
        env = {**os.environ, "PYTHONPATH": str(tree), "PARTNERS_FILE": str(partners_file),
               "TEST_KAFKA_PORT": str(broker.port), **env}
        process = subprocess.Popen([sys.executable, str(TREE_STACK), str(workdir)], cwd=tree, env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for line in process.stdout:
            if line.startswith(MARKER):
                described = json.loads(line.removeprefix(MARKER))
                partners = yaml.safe_load(partners_file.read_text())["partners"]
                return cls(process, described["gateway"], described["services"],
                           {partner["client_id"]: partner["client_secret"] for partner in partners})
        raise RuntimeError(f"the platform of {tree} did not start; logs in {workdir}")

    @property
    def url(self) -> str:
        return self.gateway["url"]

    def consumer_group(self, service: str, consumer: str) -> str:
        return self.services[service]["consumer_prefix"] + consumer

    def pids(self) -> dict[str, int]:
        return {"gateway": self.gateway["pid"], **{name: process["pid"] for name, process in self.services.items()}}

    def headers(self, client_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(client_id)}"}

    def token(self, client_id: str) -> str:
        """A fresh token each time: a bench outlives one."""
        answer = httpx.post(f"{self.url}/oauth/token", data={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": self.secrets[client_id]})
        answer.raise_for_status()
        return answer.json()["access_token"]

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=180)


def unlimited_partners(tree: Path, workdir: Path) -> Path:
    """The tree's demo partners, with a rate limit the load never reaches."""
    document = yaml.safe_load((tree / "deploy" / "local" / "partners.yaml").read_text())
    for partner in document["partners"]:
        partner["rate_limit_per_minute"] = UNLIMITED
    path = workdir / "partners.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    return path
