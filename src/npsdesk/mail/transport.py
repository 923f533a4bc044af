"""Hand messages to an SMTP server or to a folder, and say exactly what became of them.

`SendOutcome.state` is "sent", "failed" (the server does not have the message; `retryable` says
whether trying again later may work) or "unknown": the connection broke after the message
body started going out, so the server may have it. Callers never resend an unknown message
on their own; a person decides.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol, Self

from npsdesk.mail.message import BadHeader, message_bytes, smtp_envelope

Security = Literal["starttls", "tls", "none"]
NO_STARTTLS = "the server does not offer STARTTLS; not sending in clear text"


@dataclass(frozen=True)
class SendOutcome:
    """What became of one message. `reason` is one line: the server's reply or the error."""

    state: Literal["sent", "failed", "unknown"]
    reason: str = ""
    retryable: bool = False


class TransportConfigError(ValueError):
    """Transport settings that would be unsafe or cannot work."""


class Transport(Protocol):
    def send(self, message: EmailMessage) -> SendOutcome: ...

    def close(self) -> None: ...


class _Closing:
    def close(self) -> None:
        """Nothing to release by default."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _one_line(text: object) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return " ".join(str(text).split())[:300]


def _refused(code: int, text: bytes | str) -> SendOutcome:
    """The server said no: temporary (4xx) may work later, permanent (5xx) will not."""
    return SendOutcome("failed", f"{code} {_one_line(text)}", retryable=400 <= code < 500)


def _error(exc: BaseException) -> str:
    return _one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


class FileTransport(_Closing):
    """Write each message as an .eml file (for a dry run, or to send from a mail client)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.last_path: Path | None = None  # the file the last successful send wrote

    def send(self, message: EmailMessage) -> SendOutcome:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        ident = re.sub(r"[^A-Za-z0-9._-]+", "_", str(message["Message-ID"] or "").strip("<> "))
        target = self.folder / f"{stamp}-{ident[:100] or 'no-id'}.eml"
        try:
            data = message_bytes(message)
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file 0600; the rename makes it appear whole or not at all.
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                Path(temp).replace(target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            return SendOutcome("failed", _error(exc), retryable=True)
        self.last_path = target
        return SendOutcome("sent")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback IP literals; names are not resolved."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class _Abort(Exception):
    """Stop this send with `outcome`."""

    def __init__(self, outcome: SendOutcome) -> None:
        super().__init__(outcome.reason)
        self.outcome = outcome


class SmtpTransport(_Closing):
    """Send over SMTP, one connection reused for a batch until `close()`."""

    def __init__(
        self,
        host: str,
        port: int,
        security: Security,
        username: str | None,
        password: Callable[[], str | None],
        timeout: float,
        context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in ("starttls", "tls", "none"):
            raise TransportConfigError(f"unknown SMTP security {security!r}")
        if security == "none" and not is_loopback(host):
            raise TransportConfigError(
                f"SMTP without TLS is allowed only to this machine (localhost), not to {host}"
            )
        if not 0 < port < 65536:
            raise TransportConfigError(f"SMTP port {port} is out of range")
        self.host, self.port, self.security = host, port, security
        self.username = username
        self.timeout = timeout
        self._password_source = password
        self._password: str | None = None
        # smtplib checks no certificate unless given a context, so there always is one.
        self._context = context if context is not None else ssl.create_default_context()
        self._conn: smtplib.SMTP | None = None

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except OSError:
            conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _login_password(self) -> str:
        if self._password is None:
            try:
                value = self._password_source()
            except Exception as exc:  # e.g. no keyring; the message never holds the password
                raise _Abort(SendOutcome("failed", f"no SMTP password: {_one_line(exc)}")) from exc
            if not value:
                raise _Abort(SendOutcome("failed", f"no SMTP password for {self.username}"))
            self._password = value
        return self._password

    def _connect(self) -> smtplib.SMTP:
        conn: smtplib.SMTP | None = None
        try:
            if self.security == "tls":
                conn = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self._context
                )
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            conn.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise _Abort(SendOutcome("failed", NO_STARTTLS))
                conn.starttls(context=self._context)
                conn.ehlo()
            if self.username is not None:
                conn.login(self.username, self._login_password())
            return conn
        except (_Abort, OSError) as exc:  # smtplib's own errors are OSErrors too
            if conn is not None:
                conn.close()
            if isinstance(exc, smtplib.SMTPAuthenticationError):
                self._password = None  # ask again next time rather than reuse a bad one
            if isinstance(exc, _Abort):
                raise
            if isinstance(exc, smtplib.SMTPResponseException):
                raise _Abort(_refused(exc.smtp_code, exc.smtp_error)) from exc
            retryable = not isinstance(exc, smtplib.SMTPNotSupportedError)
            raise _Abort(SendOutcome("failed", _error(exc), retryable)) from exc

    def send(self, message: EmailMessage) -> SendOutcome:
        try:
            sender, recipients, data = smtp_envelope(message)
            reused = self._conn is not None
            if self._conn is None:
                self._conn = self._connect()
            outcome = self._transaction(self._conn, sender, recipients, data)
            if outcome is None and reused:  # the kept connection had dropped: once more
                self._drop()
                self._conn = self._connect()
                outcome = self._transaction(self._conn, sender, recipients, data)
            if outcome is None:
                self._drop()
                return SendOutcome(
                    "failed", "the server closed the connection before MAIL", retryable=True
                )
            return outcome
        except BadHeader as exc:
            return SendOutcome("failed", str(exc))
        except _Abort as abort:
            return abort.outcome

    def _transaction(
        self, conn: smtplib.SMTP, sender: str, recipients: list[str], data: bytes
    ) -> SendOutcome | None:
        """Run one MAIL/RCPT/DATA exchange; None if the connection was gone before MAIL."""
        options: list[str] = []
        if not data.isascii():
            if not conn.has_extn("8bitmime"):
                return SendOutcome("failed", "the server does not accept 8-bit mail")
            options.append("BODY=8BITMIME")
        try:
            code, text = conn.mail(sender, options)
        except OSError:  # SMTPServerDisconnected included
            return None
        if code == 421:
            return None
        try:
            if code != 250:
                return self._reset(_refused(code, text))
            for recipient in recipients:
                code, text = conn.rcpt(recipient)
                if code not in (250, 251):
                    return self._reset(_refused(code, text))
            conn.putcmd("data")
            code, text = conn.getreply()
            if code != 354:
                return self._reset(_refused(code, text))
        except OSError as exc:  # no data went out: the server cannot have the message
            self._drop()
            return SendOutcome("failed", _error(exc), retryable=True)
        # From here on the server may end up with the message whatever we see.
        try:
            conn.send(_dot_stuffed(data))
            code, text = conn.getreply()
        except OSError as exc:
            self._drop()
            return SendOutcome("unknown", _error(exc))
        if code == 250:
            return SendOutcome("sent", _one_line(text))
        return self._reset(_refused(code, text))

    def _reset(self, outcome: SendOutcome) -> SendOutcome:
        """End a refused transaction so the connection can carry the next message."""
        if self._conn is not None:
            try:
                code, _ = self._conn.rset()
                if code != 250:
                    self._drop()
            except OSError:
                self._drop()
        return outcome


def _dot_stuffed(data: bytes) -> bytes:
    """`data` with CRLF line ends, leading dots doubled, and the CRLF.CRLF terminator."""
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"
