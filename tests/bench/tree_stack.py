"""The platform of one source tree, for tests/bench/bench_baseline.py: run with that tree as working directory
and PYTHONPATH, it starts the tree's own tests.support.stack.Stack on the bench broker, prints where its
processes are as one JSON line, and stops them when its standard input closes.

The tree may be the issue's starting commit: use only what Stack offered there (start(broker, workdir), url,
gateway and services with url, env and process).
"""
from __future__ import annotations

import json
import os
import select
import sys
from pathlib import Path

from tests.support.kafka import TestBroker
from tests.support.stack import Stack

MARKER = "STACK_JSON "


def describe(stack: Stack) -> dict:
    return {
        "gateway": {"url": stack.url, "pid": stack.gateway.process.pid},
        "services": {name: {"url": process.url, "pid": process.process.pid,
                            "consumer_prefix": process.env["CONSUMER_GROUP_PREFIX"]}
                     for name, process in stack.services.items()},
    }


def main() -> None:
    stack = Stack.start(TestBroker(int(os.environ["TEST_KAFKA_PORT"])), Path(sys.argv[1]))
    try:
        print(MARKER + json.dumps(describe(stack)), flush=True)
        wait_for_eof(sys.stdin.fileno())
    finally:
        stack.stop()


def wait_for_eof(fd: int) -> None:
    """Until the bench closes our standard input. A child process sharing that pipe may make it non-blocking
    (an event loop does), so a plain read() can return None at once: wait for readability instead."""
    while True:
        select.select([fd], [], [])
        try:
            if not os.read(fd, 4096):
                return
        except BlockingIOError:
            continue


if __name__ == "__main__":
    main()
