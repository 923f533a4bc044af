"""Fixtures for integration tests: a real SMTP server on loopback."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from tests.conftest import DEMO_DIR, NOW, make_settings
from tests.pg_cluster import ANALYSTS, Cluster, password_of, server_bin

from npsdesk.bootstrap import bootstrap
from npsdesk.clock import FixedClock


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


# -- both back ends -------------------------------------------------------------------------
# Every store and service test here runs on an SQLite file and on a PostgreSQL database
# (a copy of a migrated or demo template, so a test costs one CREATE DATABASE). Tests about
# the SQLite file itself carry the `sqlite_only` mark.

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    binaries = server_bin()
    if binaries is None:
        if os.environ.get("NPSDESK_TEST_PG") == "required":
            pytest.fail("PostgreSQL server binaries not found (make test installs them)")
        pytest.skip("no PostgreSQL server installed")
    cluster = Cluster(binaries)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_passfile(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pgpass") / "pgpass"
    path.write_text(
        "".join(f"127.0.0.1:{pg_cluster.port}:*:{u}:{password_of(u)}\n" for u in ANALYSTS)
    )
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def pg_templates(pg_cluster: Cluster, pg_passfile: Path) -> dict[str, str]:
    """Two template databases: migrated and empty, and the demo store."""
    from npsdesk.services.demo import build_demo

    names = {"empty": "tpl_empty", "demo": "tpl_demo"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGPASSFILE", str(pg_passfile))
        patch.setenv("NPSDESK_CONFIG", str(pg_passfile.parent / "none.toml"))
        for kind, name in names.items():
            pg_cluster.create_database(name=name)
            wired = bootstrap(make_settings(pg_cluster.url(name)), clock=FixedClock(NOW))
            if kind == "demo":
                build_demo(wired, DEMO_DIR)
            wired.close()
    return names


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _pg_copy(request: pytest.FixtureRequest, kind: str) -> str:
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    templates = request.getfixturevalue("pg_templates")
    passfile = request.getfixturevalue("pg_passfile")
    request.getfixturevalue("monkeypatch").setenv("PGPASSFILE", str(passfile))
    name = cluster.create_database(template=templates[kind])
    request.addfinalizer(lambda: cluster.drop_database(name))
    return cluster.url(name)


@pytest.fixture
def store_path(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    if backend == "sqlite":
        return tmp_path / "store.sqlite"
    return _pg_copy(request, "empty")


@pytest.fixture
def demo_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    if backend == "sqlite":
        target = tmp_path / "demo.sqlite"
        shutil.copyfile(request.getfixturevalue("demo_template"), target)
        target.chmod(0o600)
        return target
    return _pg_copy(request, "demo")


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
