"""Fixtures for integration tests: a real SMTP server on loopback, the demo store mailing
through it, both back ends."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from tests.conftest import NOW, make_settings
from tests.pg_fixtures import pg_store

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock


@dataclass
class Server:
    """An SMTP server on 127.0.0.1 that records, refuses or drops as a test asks."""

    port: int = 0
    received: list[bytes] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_after_data: bool = False
    controller: Any = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, _o: Any):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        if self.drop_after_data:
            server.transport.close()
        return "250 2.0.0 Ok: queued"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, decode_data=False)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server(port=free_port())
    server.start()
    yield server
    if server.controller.loop.is_running():
        server.stop()


SENDER = "sucesso@durasoft.com.br"
MAIL_FLAGS = {
    "mail.host": "127.0.0.1",
    "mail.security": "none",
    "mail.from_address": SENDER,
    "mail.timeout": 3,
}


@pytest.fixture
def wired(demo_store: Path, smtp: Server) -> Iterator[Services]:
    """The demo store, mailing through the loopback server (not a demo store any more);
    modules that wire their services otherwise define their own `wired`."""
    settings = make_settings(demo_store, **MAIL_FLAGS, **{"mail.port": smtp.port})
    services = bootstrap(settings, clock=FixedClock(NOW))
    with services.db.write() as conn:
        conn.execute("DELETE FROM store_setting WHERE key = 'demo'")
    yield services
    services.close()


# -- both back ends -------------------------------------------------------------------------
# Every store and service test here runs on an SQLite file and on a PostgreSQL database
# (a copy of a migrated or demo template, so a test costs one CREATE DATABASE). Tests about
# the SQLite file itself carry the `sqlite_only` mark.

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_path(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    if backend == "sqlite":
        return tmp_path / "store.sqlite"
    return pg_store(request, "empty")


@pytest.fixture
def demo_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    if backend == "sqlite":
        target = tmp_path / "demo.sqlite"
        shutil.copyfile(request.getfixturevalue("demo_template"), target)
        target.chmod(0o600)
        return target
    return pg_store(request, "demo")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of the SQLite file itself run once, on SQLite."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("backend") == "postgresql"
        (dropped if on_pg and item.get_closest_marker("sqlite_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
