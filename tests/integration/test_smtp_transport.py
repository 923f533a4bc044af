"""SmtpTransport against a real SMTP server on 127.0.0.1: what was delivered, and what not."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from npsdesk.mail.message import Envelope, build_message, message_bytes, new_message_id
from npsdesk.mail.transport import NO_STARTTLS, SmtpTransport, TransportConfigError

SENDER = "sucesso@empresa.com.br"
REFUSED = "sumiu@cliente.com.br"
LATER = "cheio@cliente.com.br"
BODY = "Olá, João!\n.linha com ponto no começo\n.\n..dois pontos\nAté logo.\n"


def message(to: str = "joao@cliente.com.br", body: str = BODY) -> EmailMessage:
    return build_message(
        Envelope(
            from_address=SENDER,
            sender_name="Equipe Sucesso",
            to_address=to,
            to_name="João Conceição",
            subject="Sua avaliação — obrigado",
            body=body,
            message_id=new_message_id(SENDER),
            date=dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC),
        )
    )


@dataclass
class Delivery:
    peer: Any
    login: bytes | None
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Recorder:
    """Keeps what arrives; refuses, defers or drops as a test asks."""

    delivered: list[Delivery] = field(default_factory=list)
    received_then_dropped: list[bytes] = field(default_factory=list)
    drop_after_data: bool = False
    hang_after_data: float = 0.0
    close_after_reply: bool = False
    data_reply: str = "250 2.0.0 Ok: queued as 4Xq9"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        if address == LATER:
            return "451 4.2.2 mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drop_after_data:
            self.received_then_dropped.append(envelope.content)
            server.transport.close()
            return "250 OK"  # never reaches the client
        if self.hang_after_data:
            self.received_then_dropped.append(envelope.content)
            await asyncio.sleep(self.hang_after_data)
        if self.data_reply.startswith("250"):
            delivery = Delivery(
                session.peer,
                getattr(session.auth_data, "login", None),
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.content,
            )
            self.delivered.append(delivery)
        if self.close_after_reply:
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
        return self.data_reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


Serve = Callable[..., tuple[Recorder, int]]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start aiosmtpd servers on 127.0.0.1; every one is stopped after the test."""
    running: list[Controller] = []

    def start(**options: Any) -> tuple[Recorder, int]:
        recorder = Recorder()
        controller = Controller(
            recorder, hostname="127.0.0.1", port=free_port(), decode_data=False, **options
        )
        controller.start()
        running.append(controller)
        return recorder, controller.port

    yield start
    for controller in running:
        controller.stop()


def plain(port: int, **options: Any) -> SmtpTransport:
    settings: dict[str, Any] = {
        "security": "none",
        "username": None,
        "password": lambda: None,
        "timeout": 2.0,
    }
    settings.update(options)
    return SmtpTransport("127.0.0.1", port, **settings)


def test_delivers_byte_for_byte(serve: Serve) -> None:
    server, port = serve()
    sent = [message(), message(body="plain ascii\n.\n.dot\n")]
    with plain(port) as transport:
        outcomes = [transport.send(m) for m in sent]
    assert [o.state for o in outcomes] == ["sent", "sent"]
    assert outcomes[0].reason == "2.0.0 Ok: queued as 4Xq9"
    assert [d.content for d in server.delivered] == [message_bytes(m) for m in sent]
    assert server.delivered[0].mail_from == SENDER
    assert server.delivered[0].rcpt_tos == ["joao@cliente.com.br"]
    assert server.delivered[0].peer == server.delivered[1].peer  # one connection for both


def test_cc_and_bcc_are_recipients_and_bcc_is_not_sent(serve: Serve) -> None:
    server, port = serve()
    msg = message()
    msg["Cc"] = "ana@cliente.com.br"
    msg["Bcc"] = "arquivo@empresa.com.br"
    with plain(port) as transport:
        assert transport.send(msg).state == "sent"
    assert server.delivered[0].rcpt_tos == [
        "joao@cliente.com.br",
        "ana@cliente.com.br",
        "arquivo@empresa.com.br",
    ]
    assert b"arquivo@" not in server.delivered[0].content
    assert "Bcc" in msg  # the caller's message is left as it was


def test_permanent_refusal_is_not_retryable_and_the_next_message_goes(serve: Serve) -> None:
    server, port = serve()
    with plain(port) as transport:
        refused = transport.send(message(to=REFUSED))
        after = transport.send(message())
    assert refused.state == "failed"
    assert refused.reason == "550 5.1.1 mailbox unavailable"
    assert refused.retryable is False
    assert after.state == "sent"
    assert [d.rcpt_tos for d in server.delivered] == [["joao@cliente.com.br"]]


def test_temporary_refusal_is_retryable(serve: Serve) -> None:
    server, port = serve()
    with plain(port) as transport:
        outcome = transport.send(message(to=LATER))
    assert outcome.state == "failed"
    assert outcome.retryable is True
    assert outcome.reason.startswith("451 4.2.2")
    assert server.delivered == []


def test_refusal_after_the_data_is_a_failure(serve: Serve) -> None:
    server, port = serve()
    server.data_reply = "554 5.7.1 looks like spam"
    with plain(port) as transport:
        outcome = transport.send(message())
    assert outcome == type(outcome)("failed", "554 5.7.1 looks like spam", retryable=False)


def test_drop_after_the_data_is_unknown(serve: Serve) -> None:
    server, port = serve()
    server.drop_after_data = True
    msg = message()
    with plain(port) as transport:
        outcome = transport.send(msg)
    assert outcome.state == "unknown"
    assert outcome.retryable is False
    assert outcome.reason
    assert server.received_then_dropped == [message_bytes(msg)]  # the server did have it


def test_no_final_reply_in_time_is_unknown(serve: Serve) -> None:
    server, port = serve()
    server.hang_after_data = 1.0
    with plain(port, timeout=0.3) as transport:
        outcome = transport.send(message())
    assert outcome.state == "unknown"
    assert len(server.received_then_dropped) == 1


def test_reconnects_once_when_the_kept_connection_dropped(serve: Serve) -> None:
    server, port = serve()
    server.close_after_reply = True
    with plain(port) as transport:
        first = transport.send(message())
        time.sleep(0.2)  # the server hangs up 0.05 s after its reply
        second = transport.send(message())
    assert (first.state, second.state) == ("sent", "sent")
    assert len(server.delivered) == 2
    assert server.delivered[0].peer != server.delivered[1].peer


def test_server_without_starttls_gets_nothing(serve: Serve) -> None:
    server, port = serve()
    with plain(port, security="starttls") as transport:
        outcome = transport.send(message())
    assert outcome.state == "failed"
    assert outcome.reason == NO_STARTTLS
    assert outcome.reason == "the server does not offer STARTTLS; not sending in clear text"
    assert outcome.retryable is False
    assert server.delivered == []


def test_server_down_is_retryable() -> None:
    with plain(free_port()) as transport:
        outcome = transport.send(message())
    assert outcome.state == "failed"
    assert outcome.retryable is True
    assert "refused" in outcome.reason.lower()


@pytest.mark.parametrize("host", ["smtp.empresa.com.br", "10.0.0.5", "192.168.1.10", "::2"])
def test_clear_text_is_only_for_loopback(host: str) -> None:
    with pytest.raises(TransportConfigError, match="localhost"):
        SmtpTransport(host, 25, "none", None, lambda: None, 1.0)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])
def test_clear_text_to_loopback_is_allowed(host: str) -> None:
    SmtpTransport(host, 25, "none", None, lambda: None, 1.0).close()


def check_login(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    assert isinstance(auth_data, LoginPassword)
    ok = (auth_data.login, auth_data.password) == (b"sucesso", b"s3nh@ certa")
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


def test_login_asks_for_the_password_once(serve: Serve) -> None:
    server, port = serve(authenticator=check_login, auth_require_tls=False)
    asked: list[str] = []

    def password() -> str:
        asked.append("?")
        return "s3nh@ certa"

    with plain(port, username="sucesso", password=password) as transport:
        outcomes = [transport.send(message()), transport.send(message())]
    assert [o.state for o in outcomes] == ["sent", "sent"]
    assert asked == ["?"]
    assert [d.login for d in server.delivered] == [b"sucesso", b"sucesso"]


def test_wrong_password_is_not_retryable_and_not_echoed(serve: Serve) -> None:
    server, port = serve(authenticator=check_login, auth_require_tls=False)
    with plain(port, username="sucesso", password=lambda: "errada") as transport:
        outcome = transport.send(message())
    assert outcome.state == "failed"
    assert outcome.reason.startswith("535")
    assert outcome.retryable is False
    assert "errada" not in outcome.reason
    assert server.delivered == []


# TLS: a throwaway CA and a certificate for 127.0.0.1, made with `cryptography`.


@dataclass(frozen=True)
class Pki:
    ca_file: Path
    server: ssl.SSLContext


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(dt.UTC)

    def cert(
        subject: str, key: Any, issuer: x509.Name | None, signer: Any, ca: bool
    ) -> x509.Certificate:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(issuer or name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if ca:
            usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
            builder = builder.add_extension(usage, critical=True).add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
        else:
            san = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = cert("npsdesk test CA", ca_key, None, ca_key, ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = cert("127.0.0.1", leaf_key, ca_cert.subject, ca_key, ca=False)

    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (folder / "leaf.pem").write_bytes(leaf.public_bytes(pem))
    (folder / "leaf.key").write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(folder / "leaf.pem", folder / "leaf.key")
    return Pki(folder / "ca.pem", server)


def trusting(pki: Pki) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(pki.ca_file))


def test_starttls_verifies_the_certificate(serve: Serve, pki: Pki) -> None:
    server, port = serve(tls_context=pki.server)
    with plain(port, security="starttls") as transport:  # system CAs only
        untrusted = transport.send(message())
    with plain(port, security="starttls", context=trusting(pki)) as transport:
        trusted = transport.send(message())
    assert untrusted.state == "failed"
    assert "certificate verify failed" in untrusted.reason
    assert trusted.state == "sent"
    assert len(server.delivered) == 1


def test_implicit_tls_verifies_the_certificate(serve: Serve, pki: Pki) -> None:
    server, port = serve(ssl_context=pki.server)
    with plain(port, security="tls") as transport:
        untrusted = transport.send(message())
    with plain(port, security="tls", context=trusting(pki)) as transport:
        trusted = transport.send(message())
    assert untrusted.state == "failed"
    assert untrusted.retryable is True
    assert "certificate verify failed" in untrusted.reason
    assert trusted.state == "sent"
    assert len(server.delivered) == 1
