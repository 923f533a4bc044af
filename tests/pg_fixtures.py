"""The team-store fixtures: a throwaway PostgreSQL server for the session, a PGPASSFILE
for its analysts, and template databases (migrated; the demo) that a test copies."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import DEMO_DIR, NOW, make_settings
from tests.pg_cluster import ANALYSTS, Cluster, password_of, server_bin

from npsdesk.bootstrap import bootstrap
from npsdesk.domain.clock import FixedClock


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


def pg_store(request: pytest.FixtureRequest, kind: str, user: str = "tester") -> str:
    """The URL of a new database copied from the `kind` template ("empty" or "demo"),
    dropped after the test; PGPASSFILE points at the analysts' passwords."""
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    templates = request.getfixturevalue("pg_templates")
    passfile = request.getfixturevalue("pg_passfile")
    request.getfixturevalue("monkeypatch").setenv("PGPASSFILE", str(passfile))
    name = cluster.create_database(template=templates[kind])
    request.addfinalizer(lambda: cluster.drop_database(name))
    return cluster.url(name, user)
