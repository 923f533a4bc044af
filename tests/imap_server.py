"""A throwaway IMAP server for the tests: Debian's Dovecot on loopback, its own config,
users and Maildir folders in a temporary directory, stopped when the session ends.

`make test` installs `dovecot-imapd`; the tests start the server themselves (nothing of
the system's Dovecot set-up is used or changed). As root the mail is owned by the
`dovecot` system user (Dovecot refuses uid 0 for mail and for its login processes).

It speaks TLS too: implicit TLS on `tls_port` and STARTTLS on `port`, with a throwaway
certificate for 127.0.0.1 signed by a throwaway CA (`ca_file`, made with `cryptography`),
so a client that verifies certificates trusts it only when given that CA.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

USER = "nps@empresa.example"
PASSWORD = "segredo-de-teste"


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accounts() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid) for the user running the tests."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid
    mail = pwd.getpwnam("dovecot")
    login = "dovenull" if _exists("dovenull") else "dovecot"
    return "dovecot", login, mail.pw_uid, mail.pw_gid


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/tls/leaf.pem
ssl_key = <{root}/tls/leaf.key
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
"""


@dataclass
class ImapServer:
    """One Dovecot on loopback, with one mailbox user (`USER`)."""

    binary: str
    root: Path
    port: int = field(default_factory=_free_port)
    tls_port: int = field(default_factory=_free_port)
    user: str = USER
    password: str = PASSWORD
    _process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        internal, login, uid, gid = _accounts()
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)  # the login processes (another user) reach their sockets
        (self.root / "run").chmod(0o755)
        os.chown(self.root / "mail", uid, gid)
        make_certificates(self.root / "tls")
        users = self.root / "users"
        users.write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        users.chmod(0o644)  # Dovecot's auth process reads it (a throwaway test password)
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                internal=internal,
                internal_group=internal,
                login=login,
                port=self.port,
                tls_port=self.tls_port,
                uid=uid,
                gid=gid,
            )
        )
        self._process = subprocess.Popen([self.binary, "-F", "-c", str(config)])
        deadline = time.monotonic() + 30
        while True:
            try:
                with self.connect():
                    return
            except (OSError, imaplib.IMAP4.error):  # not listening, or auth not up yet
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dovecot did not start: {self.log()}") from None
                time.sleep(0.05)

    def connect(self) -> imaplib.IMAP4:
        """A logged-in client session, as the product's fetcher would open one."""
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def deliver(self, message: bytes, folder: str = "INBOX") -> int:
        """Put a raw RFC 5322 message in `folder` (as the mail system would); its UID."""
        quoted = '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'  # ASCII names
        with self.connect() as client:
            if folder != "INBOX":
                client.create(quoted)
            status, data = client.append(quoted, None, None, message)
        if status != "OK":
            raise RuntimeError(f"append refused: {data!r}")
        answer = data[0].decode() if isinstance(data[0], bytes) else str(data[0])
        return int(answer.split("APPENDUID ", 1)[1].split()[1].rstrip("]"))

    @property
    def ca_file(self) -> Path:
        """The CA that signed the server's certificate (trust it to verify the server)."""
        return self.root / "tls" / "ca.pem"

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else "(no log)"

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def make_certificates(folder: Path) -> None:
    """A throwaway CA (`ca.pem`) and a certificate for 127.0.0.1 and localhost signed by
    it (`leaf.pem`, `leaf.key`), valid for a day."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)

    def cert(subject: str, key: Any, issuer: x509.Name | None, signer: Any, ca: bool) -> Any:
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
    ca_cert = cert("npsdesk test IMAP CA", ca_key, None, ca_key, ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = cert("127.0.0.1", leaf_key, ca_cert.subject, ca_key, ca=False)
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (folder / "leaf.pem").write_bytes(leaf.public_bytes(pem))
    key_file = folder / "leaf.key"
    key_file.write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
