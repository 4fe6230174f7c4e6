"""How every process of the platform is served: `uvicorn` with `uvicorn_arguments(...)`, which
`python -m services.core.serving <app module> <host> <port>` runs for shell scripts.

`make run`, the tests, the bench and the containers all serve processes with these arguments, so the
server stack is chosen here once: uvicorn with uvloop and httptools, measured against h11 and asyncio in
docs/performance.md. The access log is ours (services/core/request_context.py), not uvicorn's.
"""
from __future__ import annotations

import json
import sys

import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from services.core.problems import PROBLEM_MEDIA_TYPE, Problem

LOOP, HTTP = "uvloop", "services.core.serving:ProblemHttpToolsProtocol"
SERVER_OPTIONS = ("--loop", LOOP, "--http", HTTP, "--no-access-log")


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, but a request the parser refuses (a NUL in the request line, a broken
    header) is answered problem+json like every other 4xx: the parser answers before any app runs."""

    def send_400_response(self, msg: str) -> None:
        problem = Problem(400, "The request could not be read as HTTP/1.1.", slug="bad-request")
        body = json.dumps(problem.body()).encode()
        head = [STATUS_LINE[400], *(name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers),
                b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n",
                b"content-length: " + str(len(body)).encode() + b"\r\n", b"connection: close\r\n", b"\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def uvicorn_arguments(app: str, host: str, port: int) -> list[str]:
    """uvicorn's command-line arguments that serve `app`'s create_app()."""
    return ["--factory", f"{app}:create_app", "--host", host, "--port", str(port), *SERVER_OPTIONS]


def main(argv: list[str]) -> None:
    app, host, port = argv
    uvicorn.main.main(uvicorn_arguments(app, host, int(port)), prog_name="uvicorn")


if __name__ == "__main__":
    main(sys.argv[1:])
