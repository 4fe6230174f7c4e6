"""The local mail catcher: where the platform's reminders land on a developer's machine (`make run`) and
in the notifications' tests. It never delivers anything onwards.

- An SMTP server (aiosmtpd) keeping each message it is given as an .eml file under its folder
  (`.data/mail/` for `make run`).
- An HTTP server that plays the SMS provider: `POST /sms` with a JSON body and an `Idempotency-Key`
  header keeps the text message as a .json file; the same key again is answered as the first time and
  keeps nothing more, as a real provider's idempotency does.
- An inbox page at `/` listing both, newest first, each e-mail readable at `/mail/<name>`, and
  `/api/messages` giving the same list as JSON (for tests and scripts).

Tests set `smtp_failure` (an SMTP reply such as "451 4.3.0 Try again later") or `sms_status` (an HTTP
status) to make it refuse what it is sent.

    python deploy/local/mailcatcher.py [--smtp-port 1025] [--http-port 1080] [--folder .data/mail]
"""
from __future__ import annotations

import argparse
import email
import email.policy
import html
import json
import logging
import signal
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

from aiosmtpd.controller import Controller

# aiosmtpd logs each command at INFO, addresses included: personal data, and noise in the tests.
logging.getLogger("mail.log").setLevel(logging.WARNING)

HOST = "127.0.0.1"
SMTP_PORT, HTTP_PORT = 1025, 1080


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class MailCatcher:
    def __init__(self, folder: Path, smtp_port: int = 0, http_port: int = 0) -> None:
        self.folder = folder
        self.sms_folder = folder / "sms"
        self.smtp_port = smtp_port or free_port()
        self.smtp_failure: str | None = None
        self.sms_status: int | None = None
        self._lock = threading.Lock()
        self._sms_keys: dict[str, str] = {}  # idempotency key -> the file kept for it
        self.smtp = Controller(_SmtpHandler(self), hostname=HOST, port=self.smtp_port)
        self.http = _HttpServer((HOST, http_port), _handler(self))
        self._http_thread = threading.Thread(target=self.http.serve_forever, name="mailcatcher-http", daemon=True)

    @property
    def http_port(self) -> int:
        return self.http.server_address[1]

    @property
    def inbox_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/"

    @property
    def sms_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/sms"

    def start(self) -> "MailCatcher":
        self.sms_folder.mkdir(parents=True, exist_ok=True)
        for kept in self.sms_folder.glob("*.json"):  # a restart still honours the keys already seen
            self._sms_keys[json.loads(kept.read_text()).get("idempotency_key") or kept.name] = kept.name
        self.smtp.start()
        self._http_thread.start()
        return self

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.smtp.stop()

    __enter__ = start

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what was caught -------------------------------------------------------------------------
    def mails(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in self._files("*.eml")]

    def sms(self) -> list[dict]:
        return [json.loads(path.read_text()) for path in self._files("sms/*.json")]

    def _files(self, pattern: str) -> list[Path]:
        return sorted(self.folder.glob(pattern))

    # -- keeping ---------------------------------------------------------------------------------
    def keep_mail(self, content: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{_stamp()}.eml").write_bytes(content)

    def keep_sms(self, key: str | None, body: dict) -> tuple[int, str]:
        """The status to answer and the message's name; a key seen before keeps nothing new."""
        with self._lock:
            if key and key in self._sms_keys:
                return 200, self._sms_keys[key]
            name = f"{_stamp()}.json"
            (self.sms_folder / name).write_text(json.dumps({**body, "idempotency_key": key}, ensure_ascii=False))
            if key:
                self._sms_keys[key] = name
            return 202, name


def _stamp() -> str:
    """Sortable and unique enough for one machine: nanoseconds since 1970."""
    return f"{time.time_ns():020d}"


class _SmtpHandler:
    def __init__(self, catcher: MailCatcher) -> None:
        self.catcher = catcher

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.catcher.smtp_failure:
            return self.catcher.smtp_failure
        self.catcher.keep_mail(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True


def _handler(catcher: MailCatcher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            if self.path != "/sms":
                return self._answer(404, "text/plain", b"not found")
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
            except ValueError:
                return self._answer(400, "text/plain", b"a JSON body is expected")
            if catcher.sms_status:
                return self._answer(catcher.sms_status, "application/json", b"{}")
            status, name = catcher.keep_sms(self.headers.get("idempotency-key"), body)
            self._answer(status, "application/json", json.dumps({"id": name}).encode())

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/":
                return self._answer(200, "text/html; charset=utf-8", inbox_page(catcher).encode())
            if self.path == "/api/messages":
                return self._answer(200, "application/json", json.dumps(listing(catcher), ensure_ascii=False).encode())
            if self.path.startswith("/mail/"):
                path = catcher.folder / Path(unquote(self.path[len("/mail/"):])).name
                if path.suffix == ".eml" and path.is_file():
                    return self._answer(200, "text/plain; charset=utf-8", _readable(path).encode())
            self._answer(404, "text/plain", b"not found")

        def _answer(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


def listing(catcher: MailCatcher) -> list[dict]:
    items = []
    for path in catcher._files("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        items.append({"kind": "email", "name": path.name, "to": message["To"], "subject": message["Subject"],
                      "message_id": message["Message-ID"], "date": message["Date"]})
    for path in catcher._files("sms/*.json"):
        sms = json.loads(path.read_text())
        items.append({"kind": "sms", "name": path.name, "to": sms.get("to"), "text": sms.get("text"),
                      "message_id": sms.get("idempotency_key")})
    return sorted(items, key=lambda item: item["name"], reverse=True)


def _readable(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    head = "\n".join(f"{name}: {message[name]}" for name in ("From", "To", "Subject", "Date", "Message-ID"))
    body = message.get_body(preferencelist=("plain",))
    return f"{head}\n\n{body.get_content() if body else ''}"


def inbox_page(catcher: MailCatcher) -> str:
    rows = []
    for item in listing(catcher):
        if item["kind"] == "email":
            what = f'<a href="/mail/{quote(item["name"])}">{html.escape(item["subject"] or "(sans objet)")}</a>'
        else:
            what = html.escape(item["text"] or "")
        rows.append(f"<tr><td>{'E-mail' if item['kind'] == 'email' else 'SMS'}</td>"
                    f"<td>{html.escape(item['to'] or '')}</td><td>{what}</td></tr>")
    table = "\n".join(rows) or '<tr><td colspan="3">Aucun message pour l\'instant.</td></tr>'
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Boîte de réception locale</title>
<meta http-equiv="refresh" content="5"></head>
<body><main><h1>Boîte de réception locale</h1>
<p>Les e-mails et SMS que la plateforme a envoyés sur cette machine (rien ne part ailleurs).</p>
<table><caption>Messages, du plus récent au plus ancien</caption>
<thead><tr><th scope="col">Canal</th><th scope="col">Destinataire</th><th scope="col">Message</th></tr></thead>
<tbody>
{table}
</tbody></table></main></body></html>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smtp-port", type=int, default=SMTP_PORT)
    parser.add_argument("--http-port", type=int, default=HTTP_PORT)
    parser.add_argument("--folder", type=Path, default=Path(__file__).resolve().parents[2] / ".data" / "mail")
    args = parser.parse_args()
    catcher = MailCatcher(args.folder, args.smtp_port, args.http_port).start()
    print(f"mail catcher: SMTP {HOST}:{catcher.smtp_port}, inbox {catcher.inbox_url}", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    catcher.stop()


if __name__ == "__main__":
    main()
