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
    assert again == "archive: 0 opinions match\n"
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
    assert out.splitlines()[0] == "archive: 1 of 3 opinions changed"
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


def test_close_sets_the_given_fields_and_reports_what_the_rest_lack(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    run(*store, "set", "category", "Suporte", "2", "3")
    out = run(
        *store, "close", "--id", "2", "3", "6", "--type", "elogio", "--responsible", "ana"
    ).stdout.splitlines()
    assert out[0] == "close: 2 of 3 opinions changed"
    assert out[1] == "  1 skipped: missing category (6)"
    rows = sqlite3.connect(demo_store).execute(
        "SELECT o.id, o.status, o.type, a.username FROM opinion o "
        "LEFT JOIN analyst a ON a.id = o.responsible_id WHERE o.id IN (2, 3, 6) ORDER BY o.id"
    )
    assert [tuple(r) for r in rows][:2] == [
        (2, "closed", "praise", "ana"),
        (3, "closed", "praise", "ana"),
    ]
    again = run(*store, "close", "2", "--type", "praise").stdout
    assert "1 skipped: already closed (2)" in again


def test_set_follow_and_clear_on_ids(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    run(*store, "set", "priority", "baixa", "7", "8")
    run(*store, "set", "type", "Reclamação", "7")
    run(*store, "set", "deadline", "01/12/2026", "7")
    run(*store, "follow", "bruno", "7", "8")
    row = (
        sqlite3.connect(demo_store)
        .execute("SELECT priority, type, deadline FROM opinion WHERE id = 7")
        .fetchone()
    )
    assert tuple(row) == (3, "complaint", "2026-12-01")
    assert (
        count(
            demo_store,
            "SELECT count(*) FROM opinion_follower f JOIN analyst a ON a.id = f.analyst_id "
            "WHERE a.username = 'bruno' AND f.opinion_id IN (7, 8)",
        )
        == 2
    )
    run(*store, "set", "type", "-", "7")
    assert count(demo_store, "SELECT count(*) FROM opinion WHERE id = 7 AND type IS NULL") == 1
    fails_with(run(*store, "set", "priority", "urgente", "7", check=False), "unknown priority")
    fails_with(run(*store, "set", "category", "Nada", "7", check=False), "unknown category 'Nada'")
