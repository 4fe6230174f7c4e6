"""The gateway's pooled HTTP/1.1 client for the common proxied call: a whole body, one answer.

httpx over httpcore cost ~450 µs of the gateway's CPU per proxied call (h11's pure-Python parser, anyio's
streams, the request and response models): more than the rest of the gateway together (docs/performance.md).
Here a call is one write of the request and the answer parsed by httptools (llhttp, the parser uvicorn already
serves with) from an asyncio protocol, on keep-alive connections kept per service.

Errors are httpx's, so the proxy answers them as before: a timeout is a 504, a refused or lost connection a
502, and a lost connection may be retried by the caller on a fresh connection (gateway/proxy.py).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httptools
import httpx

# uvicorn closes a connection idle for 5 s: one idle longer than this is not reused, to not race the close.
IDLE_SECONDS = 4.0


@dataclass(frozen=True)
class Answer:
    status_code: int
    raw_headers: list[tuple[bytes, bytes]]
    content: bytes


class _Connection(asyncio.Protocol):
    """One keep-alive connection to a service; one exchange at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = time.monotonic()
        self._waiter: asyncio.Future | None = None
        self._parser: httptools.HttpResponseParser | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []
        self._keep_alive, self._status = False, 0

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self.close()  # a service speaking unasked: nothing to trust on this connection any more
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(httpx.RemoteProtocolError(f"The service's answer could not be read: {exc}"))
            self.close()

    def eof_received(self) -> bool:
        self.closed = True
        self._fail(httpx.RemoteProtocolError("Server disconnected without sending a complete response."))
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(httpx.ReadError(str(exc)) if exc else
                   httpx.RemoteProtocolError("Server disconnected without sending a complete response."))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        # Asked here: once the message is complete, the parser has moved on to the next one.
        self._keep_alive = self._parser.should_keep_alive()
        self._status = self._parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if not self._waiter.done():
            self._waiter.set_result(None)

    def _fail(self, error: Exception) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(error)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def exchange(self, request: bytes, timeout: float) -> tuple[Answer, bool]:
        """The answer, and whether the connection may carry another request."""
        self._parser = httptools.HttpResponseParser(self)
        self._headers, self._body = [], []
        self._waiter = self.loop.create_future()
        self.transport.write(request)
        try:
            async with asyncio.timeout(timeout):
                await self._waiter
        except TimeoutError as exc:
            raise httpx.ReadTimeout("The service did not answer in time.") from exc
        answer = Answer(self._status, self._headers, b"".join(self._body))
        reusable = self._keep_alive and not self.closed
        self._waiter = None
        self.idle_since = time.monotonic()
        return answer, reusable


class UpstreamPool:
    """Keep-alive connections by service address, at most `max_connections` in use at once."""

    def __init__(self, *, max_connections: int, max_idle: int, connect_timeout: float, read_timeout: float,
                 pool_timeout: float) -> None:
        self._idle: dict[tuple[str, int], list[_Connection]] = {}
        self._slots = asyncio.Semaphore(max_connections)
        self._max_idle, self._connect_timeout = max_idle, connect_timeout
        self._read_timeout, self._pool_timeout = read_timeout, pool_timeout

    async def request(self, method: str, url: httpx.URL, headers: list[tuple[bytes, bytes]], body: bytes) -> Answer:
        address = (url.host, url.port or 80)
        await self._take_slot()
        try:
            connection = self._idle_connection(address) or await self._connect(address)
            reusable = False
            try:
                answer, reusable = await connection.exchange(_request_bytes(method, url, headers, body),
                                                             self._read_timeout)
                return answer
            finally:  # a cancelled or failed exchange leaves the connection in an unknown state: closed
                self._release(address, connection, reusable)
        finally:
            self._slots.release()

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    async def _take_slot(self) -> None:
        if not self._slots.locked():
            await self._slots.acquire()  # free: no wait, no timer
            return
        try:
            async with asyncio.timeout(self._pool_timeout):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise httpx.PoolTimeout("Every upstream connection is busy.") from exc

    def _idle_connection(self, address: tuple[str, int]) -> _Connection | None:
        connections = self._idle.get(address)
        oldest_usable = time.monotonic() - IDLE_SECONDS
        while connections:
            connection = connections.pop()  # the most recently used: the least likely to have been closed
            if not connection.closed and connection.idle_since >= oldest_usable:
                return connection
            connection.close()
        return None

    async def _connect(self, address: tuple[str, int]) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self._connect_timeout):
                _, connection = await loop.create_connection(lambda: _Connection(loop), *address)
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"No connection to {address[0]}:{address[1]} in time.") from exc
        except OSError as exc:
            raise httpx.ConnectError(str(exc)) from exc
        return connection

    def _release(self, address: tuple[str, int], connection: _Connection, reusable: bool) -> None:
        idle = self._idle.setdefault(address, [])
        if reusable and len(idle) < self._max_idle:
            idle.append(connection)
        else:
            connection.close()


def _request_bytes(method: str, url: httpx.URL, headers: list[tuple[bytes, bytes]], body: bytes) -> bytes:
    """The request line and headers as given (bytes), the service's host, and the body's length."""
    lines = [method.encode(), b" ", url.raw_path, b" HTTP/1.1\r\nhost: ", url.netloc, b"\r\n"]
    for name, value in headers:
        lines += [name, b": ", value, b"\r\n"]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += [b"content-length: ", str(len(body)).encode(), b"\r\n"]
    lines += [b"\r\n", body]
    return b"".join(lines)
