"""Real receivers for alert digests, on loopback ports: an SMTP server (aiosmtpd) and an HTTP server
that keeps every JSON body POSTed to it. Started and stopped by the tests."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost (and its key), made by the openssl command."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    return cert, key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def _login_as(user: str, password: str) -> Any:
    def authenticate(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> AuthResult:
        wanted = (user.encode(), password.encode())
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == wanted
        return AuthResult(success=ok, handled=False)
    return authenticate


@contextmanager
def smtp_server(security: str = "none", cert: tuple[Path, Path] | None = None,
                login: tuple[str, str] | None = None) -> Iterator[tuple[int, list[tuple[list[str], Any]]]]:
    """(port, messages received as (envelope recipients, parsed message)).

    ``security`` starttls (required before anything else) or ssl needs ``cert`` (certificate, key);
    ``login`` (user, password) makes the server require that login.
    """
    inbox = _Inbox()
    options: dict[str, Any] = {}
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        options |= {"ssl_context": context} if security == "ssl" else {"tls_context": context,
                                                                       "require_starttls": True}
    if login is not None:
        options |= {"authenticator": _login_as(*login), "auth_required": True,
                    # aiosmtpd counts only STARTTLS as TLS; an ssl server is encrypted from the start
                    "auth_require_tls": security == "starttls"}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller.port, inbox.messages
    finally:
        controller.stop()


@contextmanager
def http_receiver(port: int | None = None) -> Iterator[tuple[int, list[tuple[str, dict[str, Any]]]]]:
    """(port, bodies received as (path, JSON))."""
    bodies: list[tuple[str, dict[str, Any]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", "0"))
            bodies.append((self.path, json.loads(self.rfile.read(length))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port or free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1]), bodies
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
