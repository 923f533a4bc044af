"""The team store reads the same whatever a login's own session defaults are: a role with
another DateStyle or TimeZone (ALTER ROLE ... SET) sees what an ISO/UTC login sees."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.pg_cluster import TEAM, Cluster

from npsdesk.cli.main import cli
from npsdesk.store.pg import PgDatabase

LOGIN = "sessao"
STYLES = ("SQL, DMY", "German", "Postgres")


@pytest.fixture
def store(
    pg_cluster: Cluster, pg_templates: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A demo store and a login of the team whose session settings the test changes."""
    name = pg_cluster.create_database(template=pg_templates["demo"])
    with pg_cluster.admin() as conn:
        conn.execute(f"CREATE ROLE {LOGIN} LOGIN PASSWORD 'pw-sessao' IN ROLE {TEAM}")
    monkeypatch.setenv("PGPASSWORD", "pw-sessao")
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    yield pg_cluster.url(name, LOGIN)
    pg_cluster.drop_database(name)
    with pg_cluster.admin() as conn:
        conn.execute(f"DROP ROLE {LOGIN}")


def set_role(cluster: Cluster, **settings: str) -> None:
    with cluster.admin() as conn:
        conn.execute(f"ALTER ROLE {LOGIN} RESET ALL")
        for name, value in settings.items():
            conn.execute(f"ALTER ROLE {LOGIN} SET {name} = '{value}'")


def outputs(url: str, folder: Path) -> dict[str, object]:
    """What show, find, export and report --json give on the store."""

    def npsdesk(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--store", url, *args])
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.stdout

    folder.mkdir()
    export = folder / "export.csv"
    npsdesk("export", "-o", str(export))
    return {
        "show": json.loads(npsdesk("show", "418", "--json")),
        "show text": npsdesk("show", "418"),
        "customer": json.loads(npsdesk("show", "418", "--customer", "--json")),
        "find": json.loads(npsdesk("find", "Silva", "--json")),
        "export": export.read_text(encoding="utf-8-sig"),
        "report": json.loads(npsdesk("report", "--json", "--trend", "week", "--by", "vertical")),
        "backlog": json.loads(npsdesk("report", "--json", "--by", "responsible")),
    }


def test_a_login_with_other_date_styles_and_time_zone_reads_the_same(
    store: str, pg_cluster: Cluster, tmp_path: Path
) -> None:
    set_role(pg_cluster, DateStyle="ISO, MDY", TimeZone="UTC")
    expected = outputs(store, tmp_path / "iso")
    assert expected["show"]["answered_at"] == "2026-11-20T10:51:00+00:00"  # type: ignore[index]
    for number, style in enumerate(STYLES):
        set_role(pg_cluster, DateStyle=style, TimeZone="Asia/Tokyo", IntervalStyle="sql_standard")
        assert outputs(store, tmp_path / f"style{number}") == expected, style


def test_every_connection_gets_the_stores_session_settings(store: str, pg_cluster: Cluster) -> None:
    """The desk's thread connection, a reused worker's and the change watch's alike."""
    set_role(
        pg_cluster,
        DateStyle="German",
        TimeZone="Asia/Tokyo",
        search_path="nowhere",
        extra_float_digits="-15",
        standard_conforming_strings="off",
        default_transaction_isolation="serializable",
    )
    db = PgDatabase(store)
    wanted = ("ISO, YMD", "UTC", "public", "1", "on", "read committed")
    query = (
        "SELECT current_setting('DateStyle'), current_setting('TimeZone'), "
        "current_setting('search_path'), current_setting('extra_float_digits'), "
        "current_setting('standard_conforming_strings'), "
        "current_setting('default_transaction_isolation')"
    )
    try:
        assert tuple(db.connection().execute(query).fetchone()) == wanted
        raw = db.connect()
        try:
            assert tuple(raw.execute(query).fetchone()) == wanted
        finally:
            raw.close()
        plain = db.connect(plain=True)  # the migrations' connection
        try:
            assert tuple(plain.execute(query).fetchone()) == wanted
        finally:
            plain.close()
    finally:
        db.close()
