"""`npsdesk archive|unarchive|assign` on ids or a filter, through the entry point."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.test_cli import fails_with, run


def count(store: Path, sql: str) -> int:
    with sqlite3.connect(store) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_archive_closed_cases_answered_before_a_day(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    wanted = count(
        demo_store,
        "SELECT count(*) FROM opinion WHERE status = 'closed' AND NOT archived "
        "AND answered_at < '2026-10-01 03:00:00'",
    )
    assert wanted > 0
    dry = json.loads(
        run(
            *store, "archive", "--status", "closed", "--before", "2026-10-01", "--dry-run", "--json"
        ).stdout
    )
    assert dry["matched"] == wanted
    assert (
        count(demo_store, "SELECT count(*) FROM event WHERE kind = 'archived' AND actor = 'tester'")
        == 0
    )
    done = json.loads(
        run(*store, "archive", "--status", "closed", "--before", "01/10/2026", "--json").stdout
    )
    assert len(done["changed"]) == wanted
    again = run(*store, "archive", "--status", "closed", "--before", "2026-10-01").stdout
    assert again == "archive: 0 opinion(s) match\n"
    assert (
        count(demo_store, "SELECT count(*) FROM event WHERE kind = 'archived' AND actor = 'tester'")
        == wanted
    )


def test_ids_and_skips_are_reported(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    archived = count(demo_store, "SELECT min(id) FROM opinion WHERE archived")
    open_one = count(demo_store, "SELECT min(id) FROM opinion WHERE NOT archived")
    out = run(
        *store, "archive", "--id", str(open_one), "--id", str(archived), "--id", "999999"
    ).stdout
    assert out.splitlines()[0] == "archive: 1 of 3 opinion(s) changed"
    assert f"1 skipped: already archived ({archived})" in out
    assert "1 skipped: not found (999999)" in out
    run(*store, "unarchive", "--id", str(open_one))
    assert count(demo_store, f"SELECT archived FROM opinion WHERE id = {open_one}") == 0


def test_assign_by_filter_and_refusals(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    matched = count(
        demo_store,
        "SELECT count(*) FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
        "WHERE o.nps_class = 'detractor' AND r.vertical = 'Farma' AND NOT o.archived "
        "AND o.status = 'untreated'",
    )
    done = json.loads(
        run(
            *store,
            "assign",
            "ana",
            "--class",
            "detractor",
            "--vertical",
            "Farma",
            "--status",
            "untreated",
            "--json",
        ).stdout
    )
    assert done["matched"] == matched
    assert (
        count(
            demo_store,
            "SELECT count(*) FROM opinion WHERE responsible_id = "
            "(SELECT id FROM analyst WHERE username = 'ana') "
            f"AND id IN ({','.join(map(str, done['changed']))})",
        )
        == len(done["changed"])
        > 0
    )
    fails_with(run(*store, "archive", check=False), "choose opinions")
    fails_with(
        run(*store, "assign", "ninguem", "--id", "1", check=False), "unknown analyst 'ninguem'"
    )
