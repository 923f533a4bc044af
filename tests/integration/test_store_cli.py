"""`npsdesk store copy` and `npsdesk store password` on a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from click.testing import CliRunner, Result
from keyring.backends import fail
from tests.cli.test_cli import fails_with, run
from tests.integration.test_store_copy import database_of
from tests.pg_cluster import Cluster, password_of
from tests.unit.test_mail_secrets import MemoryKeyring, PlaintextKeyring

from npsdesk.cli.main import Failure, cli
from npsdesk.errors import StoreUnreadable
from npsdesk.store.pg import KEYRING_SERVICE, PgDatabase, keyring_key


def npsdesk(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture
def personal(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "personal.sqlite"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def team(
    pg_cluster: Cluster,
    pg_templates: dict[str, str],
    pg_passfile: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    monkeypatch.setenv("PGPASSFILE", str(pg_passfile))
    name = pg_cluster.create_database(template=pg_templates["empty"])
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


def test_copy_prints_json_then_finds_nothing_left_to_copy(personal: Path, team: str) -> None:
    first = npsdesk("store", "copy", "--from", str(personal), "--to", team, "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["source"] == str(personal)
    assert report["target"] == team
    assert report["tables"]["opinion"] == {
        "personal": 422,
        "copied": 422,
        "already_there": 0,
        "updated": 0,
        "skipped": {},
        "team": 422,
    }
    assert sum(report["tables"]["outbox"]["skipped"].values()) == 153
    assert report["conflicts"] == {"count": 0, "examples": []}
    assert report["written"] > 0

    again = npsdesk("store", "copy", "--from", str(personal), "--to", team)
    assert again.exit_code == 0, again.output
    lines = again.stdout.splitlines()
    assert lines[0].startswith(f"nothing to copy: everything in {personal} is already in {team}")
    assert lines[1].split() == [
        "table",
        "personal",
        "copied",
        "already",
        "there",
        "skipped",
        "team",
    ]
    assert "opinion 422 0 422 0 422" in [" ".join(line.split()) for line in lines]
    assert "outbox: 153 skipped: not sent yet" in again.stdout


def test_a_copy_that_does_not_check_out_exits_non_zero(
    personal: Path, team: str, pg_cluster: Cluster
) -> None:
    with pg_cluster.admin(database_of(team)) as admin:
        admin.execute(
            "CREATE FUNCTION drop_all() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RETURN NULL; END $$"
        )
        admin.execute(
            "CREATE TRIGGER drop_all BEFORE INSERT ON opinion_follower "
            "FOR EACH ROW EXECUTE FUNCTION drop_all()"
        )
    result = run("store", "copy", "--from", str(personal), "--to", team, check=False)
    fails_with(result, "the copy did not check out, so nothing was written to the team store")
    assert "opinion_follower: 43 rows should be in the team store, 0 found" in result.stderr
    with pg_cluster.admin(database_of(team)) as admin:
        assert admin.execute("SELECT count(*) FROM opinion").fetchone()[0] == 0


def test_copy_refuses_what_is_not_a_personal_and_a_team_store(personal: Path) -> None:
    wrong = npsdesk("store", "copy", "--from", str(personal), "--to", str(personal))
    assert isinstance(wrong.exception, Failure)
    assert "--to must be the team store's postgresql:// URL" in str(wrong.exception)
    secret = npsdesk("store", "copy", "--from", str(personal), "--to", "postgresql://a:pw@h/db")
    assert "must not carry a password" in str(secret.exception)


# -- the login's password ---------------------------------------------------------------------


def test_password_is_kept_where_the_team_store_looks_and_forgotten(
    team: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSFILE")  # HOME is a fresh folder: no ~/.pgpass either
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = team.replace("postgresql://tester@", "postgresql://ana@")
    port = int(url.split(":")[-1].split("/")[0])
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        with pytest.raises(StoreUnreadable, match="store one with 'npsdesk store password'"):
            PgDatabase(url).connect().close()
        stored = npsdesk("store", "password", url, input=password_of("ana") + "\n")
        assert stored.exit_code == 0, stored.output
        assert password_of("ana") not in stored.output  # asked without echo
        login = f"ana@127.0.0.1:{port}"
        assert stored.stdout.strip() == f"password for {login} kept in the system keyring"
        key = keyring_key("ana", "127.0.0.1", port)
        assert memory.saved == {(KEYRING_SERVICE, key): password_of("ana")}
        db = PgDatabase(url)
        assert db.user == "ana"  # logged in with the password from the keyring
        db.close()

        forgot = npsdesk("store", "password", url, "--forget")
        assert forgot.stdout.strip() == f"password for {login} removed from the system keyring"
        assert memory.saved == {}
        again = npsdesk("store", "password", url, "--forget")
        assert again.stdout.strip() == f"no password was stored for {login}"
        with pytest.raises(StoreUnreadable):
            PgDatabase(url).connect().close()
    finally:
        keyring.set_keyring(before)


@pytest.mark.parametrize("backend", [PlaintextKeyring, fail.Keyring])
def test_password_without_a_usable_keyring_says_to_use_pgpass(backend: type) -> None:
    before = keyring.get_keyring()
    refused = backend()
    keyring.set_keyring(refused)
    try:
        result = npsdesk("store", "password", "postgresql://ana@db.example/npsdesk", input="x\n")
    finally:
        keyring.set_keyring(before)
    assert result.exit_code == 1
    assert isinstance(result.exception, Failure)
    message = str(result.exception)
    assert "PGPASSFILE (~/.pgpass" in message
    assert "PGPASSWORD" in message
    assert getattr(refused, "saved", {}) == {}


def test_password_refusal_through_the_entry_point() -> None:
    result = run(
        "store",
        "password",
        "postgresql://ana@db.example:5433/npsdesk",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        check=False,
    )
    fails_with(result, "no system keyring is available here (backend: fail.Keyring)")
    assert "PGPASSFILE" in result.stderr


def test_password_in_the_url_is_refused() -> None:
    result = npsdesk("store", "password", "postgresql://ana:secret@db.example/npsdesk")
    assert "must not carry a password" in str(result.exception)
