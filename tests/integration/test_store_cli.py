"""`npsdesk store copy` on a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.cli.test_cli import fails_with, run
from tests.integration.test_store_copy import database_of
from tests.pg_cluster import Cluster

from npsdesk.cli import Failure, cli


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
