"""A throwaway PostgreSQL server on loopback, for the tests and the benchmarks.

It uses the server binaries of Debian's postgresql package (`make test` installs them), in a
new data directory with its own port, and is stopped when the session ends. PostgreSQL
refuses to run as root, so under root the server runs as the `postgres` system user.

Roles made here: `npsdesk_admin` (superuser, socket only), the team role `npsdesk_team`
(owns the stores; no login) and the analysts `tester`, `ana` and `bruno`, members of it, who
log in over TCP with a password from the environment or a PGPASSFILE.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ANALYSTS = ("tester", "ana", "bruno")
TEAM = "npsdesk_team"
ADMIN = "npsdesk_admin"


def password_of(user: str) -> str:
    return f"pw-{user}-2026"


def server_bin() -> Path | None:
    """The newest installed server's bin folder, or None when there is none."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _version(path: Path) -> int:
    try:
        return int(path.parent.parent.name)
    except ValueError:
        return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="npsdesk-pg-")))
    port: int = field(default_factory=_free_port)
    _counter: int = 0
    _settings: str = ""

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def sockets(self) -> Path:
        return self.base / "run"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")

    def start(self) -> None:
        self.sockets.mkdir(parents=True)
        self.base.chmod(0o755)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for path in (self.base, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            ADMIN,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        settings = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=256MB"
        )
        self._settings = settings
        self._start_server()
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {TEAM} NOLOGIN")
            for user in ANALYSTS:
                conn.execute(
                    f"CREATE ROLE {user} LOGIN PASSWORD '{password_of(user)}' IN ROLE {TEAM}"
                )

    def _start_server(self) -> None:
        log = self.base / "server.log"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", self._settings, "-l", str(log), "-w", "start"
        )

    def restart(self, down: float = 0.0) -> None:
        """Stop the server (every connection is cut), wait `down` seconds, start it again."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        time.sleep(down)
        self._start_server()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def admin(self, dbname: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(
            host=str(self.sockets), port=self.port, user=ADMIN, dbname=dbname, autocommit=True
        )

    def url(self, dbname: str, user: str = "tester") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, template: str | None = None, name: str | None = None) -> str:
        """A new database owned by the team role, empty or copied from `template`."""
        self._counter += 1
        name = name or f"store_{os.getpid()}_{self._counter}"
        copy = f" TEMPLATE {template}" if template else ""
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} OWNER {TEAM}{copy}")
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
