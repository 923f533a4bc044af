"""The store on a real SQLite file and a real PostgreSQL database: pragmas, migrations,
integrity, concurrency."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests.conftest import NOW, make_settings

from npsdesk.bootstrap import Services, bootstrap, open_database
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.periods import Period
from npsdesk.errors import StoreError, StoreTooNew, StoreUnreadable
from npsdesk.store import case_writes, intake_writes, schema
from npsdesk.store.case_writes import NewEvent
from npsdesk.store.intake_writes import RespondentData


@pytest.mark.sqlite_only
def test_connections_use_wal_foreign_keys_and_normal_sync(services: Services) -> None:
    conn = services.db.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    # one try at the write lock is short; `Database.write` tries again up to its wait limit
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 100


def test_new_store_is_created_at_head(services: Services) -> None:
    assert schema.current_revision(services.db) == schema.HEAD
    catalog = (
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        if services.db.dialect == "sqlite"
        else "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema()"
    )
    tables = {row[0] for row in services.db.connection().execute(catalog)}
    expected = {"analyst", "category", "import_batch", "respondent", "opinion", "event"}
    assert expected <= tables
    assert "opinion_search" in tables


def test_revisions_match_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    ordered = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert tuple(ordered) == schema.REVISIONS
    assert scripts.get_current_head() == schema.HEAD


def test_migrations_produce_the_declared_schema(services: Services) -> None:
    """Alembic finds nothing to add: tables.py and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from npsdesk.store.tables import metadata

    if services.db.dialect == "postgresql":
        engine = create_engine(
            "postgresql+psycopg://",
            creator=lambda: services.db.connect(plain=True),  # type: ignore[attr-defined]
        )
    else:
        engine = create_engine(f"sqlite:///{services.db.path}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert [d for d in diff if "opinion_search" not in str(d) and not _same_time(d)] == []


def _same_time(difference: object) -> bool:
    """A timestamp column declared with the store's UTC text type (a decorator over
    DateTime): the same column, which PostgreSQL's reflection names TIMESTAMP."""
    from sqlalchemy import DateTime

    if not isinstance(difference, list) or len(difference) != 1:
        return False
    kind, *_, existing, declared = difference[0]
    return (
        kind == "modify_type"
        and isinstance(existing, DateTime)
        and isinstance(getattr(declared, "impl", declared), DateTime)
    )


@pytest.mark.sqlite_only
def test_upgrade_from_first_revision_keeps_data_and_makes_a_backup(store_path: Path) -> None:
    schema.upgrade(store_path, "0001")
    legacy = sqlite3.connect(store_path)
    legacy.execute(
        "INSERT INTO respondent (name, company, cnpj, created_at, updated_at) "
        "VALUES ('João Araújo', 'Padaria Pão Quente', '11222333000181', 'x', 'x')"
    )
    legacy.execute(
        """INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, comment,
             answered_at, internal, status, archived, deadline, priority, created_at, updated_at)
           VALUES ('track', 'T-1', 1, 3, 'detractor', 'Sistema lento demais',
             '2026-10-01 12:00:00', 0, 'untreated', 0, '2026-10-02', 1, 'x', 'x')"""
    )
    legacy.commit()
    legacy.close()

    wired = bootstrap(make_settings(store_path), clock=FixedClock(NOW))
    try:
        assert wired.backup is not None
        assert wired.backup.exists()
        assert schema.current_revision(wired.db) == schema.HEAD
        found = wired.lookup.find("lento")
        assert [o.external_id for o in found] == ["T-1"]
        backup = sqlite3.connect(wired.backup)
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert backup.execute("SELECT count(*) FROM opinion").fetchone()[0] == 1
        backup.close()
    finally:
        wired.close()


@pytest.mark.sqlite_only
def test_an_older_stores_batches_stay_shown_after_the_upgrade(store_path: Path) -> None:
    """Before 0009 a batch landed with the transaction that opened it: one without an end
    time (a hand-made store, an older tool) is complete, not an import under way."""
    schema.upgrade(store_path, "0008")
    legacy = sqlite3.connect(store_path)
    legacy.execute(
        "INSERT INTO import_batch (id, kind, source, file_name, sha256, analyst, started_at, "
        "new_count, updated_count, unchanged_count, rejected_count, duplicate_count) "
        "VALUES (1, 'responses', 'track', 'a.csv', '', 'ana', '2026-10-01 12:00:00', 1, 0, 0, 0, 0)"
    )
    legacy.execute(
        "INSERT INTO respondent (name, cnpj, created_at, updated_at) "
        "VALUES ('João Araújo', '11222333000181', 'x', 'x')"
    )
    legacy.execute(
        """INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, comment,
             answered_at, internal, status, archived, deadline, priority, import_batch_id,
             created_at, updated_at)
           VALUES ('track', 'T-1', 1, 3, 'detractor', 'Sistema lento demais',
             '2026-10-01 12:00:00', 0, 'untreated', 0, '2026-10-02', 1, 1, 'x', 'x')"""
    )
    legacy.commit()
    legacy.close()
    wired = bootstrap(make_settings(store_path), clock=FixedClock(NOW))
    try:
        assert wired.cleared == []
        assert [o.external_id for o in wired.lookup.find("T-1")] == ["T-1"]
        assert wired.lookup.report(Period()).counts.total == 1
    finally:
        wired.close()


def test_store_newer_than_the_program_is_refused(services: Services) -> None:
    with services.db.write() as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreTooNew, match="newer than this npsdesk"):
        schema.ensure_schema(services.db)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreUnreadable, match="not a readable npsdesk store"):
        bootstrap(make_settings(junk), create=False)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreUnreadable, match="not an npsdesk store"):
        bootstrap(make_settings(other), create=False)


def test_foreign_keys_are_enforced(services: Services) -> None:
    with pytest.raises(StoreError, match=r"(?i)foreign key"), services.db.write() as conn:
        case_writes.append_event(
            conn, NewEvent(kind="note", at=NOW, actor="ana", opinion_id=4242, body="x")
        )


def test_history_is_append_only(services: Services) -> None:
    with services.db.write() as conn:
        event_id = case_writes.append_event(
            conn, NewEvent(kind="note", at=NOW, actor="ana", body="x")
        )
    for statement in ("UPDATE event SET body = 'y' WHERE id = ?", "DELETE FROM event WHERE id = ?"):
        with pytest.raises(StoreError, match="append-only"), services.db.write() as conn:
            conn.execute(statement, (event_id,))


def test_a_failed_write_leaves_nothing_behind(services: Services) -> None:
    with pytest.raises(RuntimeError), services.db.write() as conn:
        intake_writes.insert_respondent(conn, RespondentData(name="Meio Caminho"), NOW)
        raise RuntimeError("crash in the middle")
    with services.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM respondent").fetchone()[0] == 0


def test_nested_writes_are_savepoints(services: Services) -> None:
    with services.db.write() as conn:
        intake_writes.insert_respondent(conn, RespondentData(name="Fica"), NOW)
        with pytest.raises(RuntimeError), services.db.write() as inner:
            intake_writes.insert_respondent(inner, RespondentData(name="Sai"), NOW)
            raise RuntimeError("inner failure")
    with services.db.read() as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM respondent")]
    assert names == ["Fica"]


def _writer(store: str, worker: int, rows: int, errors: list[str]) -> None:
    db = open_database(store, create=False)
    try:
        for i in range(rows):
            with db.write() as conn:
                # read then write in one transaction: the pattern that fails when deferred
                count = conn.execute("SELECT count(*) FROM respondent").fetchone()[0]
                intake_writes.insert_respondent(
                    conn, RespondentData(name=f"w{worker}-{i}", product=str(count)), NOW
                )
    except Exception as error:  # collected and asserted by the test
        errors.append(repr(error))
    finally:
        db.close()


def test_two_connections_write_at_once_without_locked_errors(services: Services) -> None:
    errors: list[str] = []
    threads = [
        threading.Thread(target=_writer, args=(services.settings.store, w, 150, errors))
        for w in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with services.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM respondent").fetchone()[0] == 300


def _process_writer(store: str, worker: int) -> None:
    errors: list[str] = []
    _writer(store, worker, 100, errors)
    if errors:
        raise SystemExit(errors[0])


def test_two_processes_write_at_once_without_locked_errors(services: Services) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_process_writer, args=(services.settings.store, w)) for w in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    with services.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM respondent").fetchone()[0] == 200


KILLED_WRITER = """
import sys, time
from datetime import UTC, datetime
from npsdesk.bootstrap import open_database
from npsdesk.store.intake_writes import RespondentData, insert_respondent
db = open_database(sys.argv[1], create=False)
now = datetime.now(UTC)
with db.write() as conn:
    for i in range(5000):
        insert_respondent(conn, RespondentData(name=f"r{i}"), now)
    print("written", flush=True)
    time.sleep(60)
"""


def test_a_process_killed_mid_write_leaves_the_store_consistent(services: Services) -> None:
    with services.db.write() as conn:
        intake_writes.insert_respondent(conn, RespondentData(name="before"), NOW)
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, services.settings.store],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "written"
    process.kill()
    process.wait()
    fresh = open_database(services.settings.store, create=False)
    with fresh.read() as conn:
        if fresh.dialect == "sqlite":
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [r[0] for r in conn.execute("SELECT name FROM respondent")] == ["before"]
    fresh.close()


def test_times_round_trip_as_utc_text(services: Services) -> None:
    from npsdesk.store.db import from_db_time, to_db_time

    moment = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    assert to_db_time(moment) == "2026-10-31 23:30:00"
    assert from_db_time(to_db_time(moment)) == moment
    with pytest.raises(ValueError, match="naive"):
        to_db_time(datetime(2026, 10, 31))
    assert date.fromisoformat("2026-10-31")


@pytest.mark.sqlite_only
def test_a_write_waiting_for_another_programs_gives_up_when_told(services: Services) -> None:
    """The desk, closing, tells its waiting saves to stop: they end refused, not saved."""
    from npsdesk.errors import StoreLocked
    from npsdesk.store.db import Database

    other = sqlite3.connect(services.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    waiting = threading.Event()
    db = Database(services.db.path, on_wait=lambda limit: waiting.set())
    outcome: list[BaseException | None] = []

    def save() -> None:
        try:
            with db.write() as conn:
                conn.execute("INSERT INTO category (name, active) VALUES ('Nunca', 1)")
            outcome.append(None)
        except StoreLocked as error:
            outcome.append(error)
        finally:
            db.close()

    thread = threading.Thread(target=save)
    thread.start()
    try:
        assert waiting.wait(30)
        db.stop_waiting()
        thread.join(30)
        assert not thread.is_alive()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(outcome) == 1
    assert "this change was not saved" in str(outcome[0])
    with services.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM category WHERE name = 'Nunca'").fetchone()[0] == 0
