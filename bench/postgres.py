"""The team store on PostgreSQL with 1M opinions: the desk's list page, the dashboard and bulk
archive, each as a ratio to the same SQL issued raw (psycopg, no npsdesk layers) on the same
server, measured in turns in the same run (medians).

    .venv/bin/python bench/run.py --only postgres [--runs N]

store:  a throwaway server on loopback (tests/pg_cluster.py); a database the app's migrations
        create (`ensure_schema` through `PgDatabase`), then filled from the 1M-opinion desk
        store of bench/datasets.py, the rows the SQLite desk benchmarks use: COPY table by
        table with triggers off and the secondary indexes dropped (built again after), the
        search table filled by the import's own INSERT ... SELECT, sequences moved past the
        loaded ids, VACUUM ANALYZE. Built every run (the server is temporary; a minute or
        two); the time is printed.
list page: the first page (50 rows) of the "untreated" tab, the page after it (keyset seek),
        the first page of "all" (a tab of every status) and the six tab counts, each in a
        read transaction through `PgDatabase` and `desk_queries`, as the desk's list reads
        them, against the very statements those calls sent (recorded once) replayed on a
        plain psycopg connection: BEGIN, the queries, ROLLBACK. Target <= 1.5x.
dashboard: `DashboardService.figures` of the desk's "quarter" (2026-10-01 to 11-20, weeks),
        against its statements replayed the same way. Target <= 1.25x: five aggregate
        queries over the quarter's ~145k opinions, to which npsdesk adds only a few objects.
bulk archive: `BulkService.archive` of the 10k opinions bench/desk.py archives (one
        transaction: events, versions, ids as a JSON parameter), against a hand-written
        `UPDATE opinion SET archived = TRUE, ... WHERE id = ANY(...)` of the same ids and
        the INSERT ... SELECT of their events, commit included, each on its own copy of the
        store (CREATE DATABASE ... TEMPLATE). Target <= 2x.
A ratio to the same SQL shows what npsdesk adds, not whether its SQL suits PostgreSQL; for
that each read also shows, with no target, the same call on the SQLite store the rows came
from. Also shown: what a new connection (a login) costs.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from datasets import desk_store
from desk import alternate, archive_ids

if TYPE_CHECKING:
    import psycopg

    from npsdesk.store.connection import Store
    from npsdesk.store.pg_connection import PgConnection

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OPINIONS = 1_000_000
ANALYST = "ana"  # a login of the test cluster, and one of the desk store's analysts
TEAM_STORE = "npsdesk_1m"
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)  # the desk store's newest answers are the 20th
TIME_ZONE = "America/Sao_Paulo"
PAGE = 50  # rows a list page reads (ui/paging.py)
CALLS = 20  # list page calls in one sample: a call takes about a millisecond
LIST_TARGET = 1.5
DASHBOARD_TARGET = 1.25
ARCHIVE_TARGET = 2.0

Statement = tuple[str, Any]  # the SQL psycopg is given, and its parameters
TRANSACTION = frozenset({"BEGIN", "COMMIT", "ROLLBACK"})


def pg_cluster() -> ModuleType:
    """tests/pg_cluster.py, loaded from its file (the tests import it as tests.pg_cluster)."""
    spec = importlib.util.spec_from_file_location("pg_cluster", ROOT / "tests" / "pg_cluster.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


# -- the team store -----------------------------------------------------------------------


def build_team_store(cluster: Any, source: Path) -> None:
    """TEAM_STORE at the program's schema holding every row of the SQLite store `source`."""
    from npsdesk.store.pg import PgDatabase
    from npsdesk.store.schema import ensure_schema

    cluster.create_database(name=TEAM_STORE)
    db = PgDatabase(cluster.url(TEAM_STORE, ANALYST))
    try:
        ensure_schema(db)
    finally:
        db.close()
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    with cluster.admin(TEAM_STORE) as pg:
        tables = loaded_tables(lite, pg)
        # built again once the rows are in (the search index is kept: rows go into its
        # pending list faster than a GIN index is built over all of them at the end)
        secondary = pg.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
                   SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            (list(tables),),
        ).fetchall()
        for name, _ in secondary:
            pg.execute(f"DROP INDEX {name}")
        indexes = [str(definition) for _, definition in secondary]
        # the loaded rows already agree with every foreign key; the search trigger would skip
        # them (they come from an import batch) and the change notices have no listener
        pg.execute("SET session_replication_role = replica")
        for table, columns in tables.items():
            listed = ", ".join(columns)
            with pg.cursor() as cursor, cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {listed} FROM {table}"):  # noqa: S608
                    copy.write_row(row)
        for table in (name for name, columns in tables.items() if "id" in columns):
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "  # noqa: S608
                f"FROM {table} HAVING max(id) IS NOT NULL"
            )
        last = int(pg.execute("SELECT coalesce(max(id), 0) FROM opinion").fetchone()[0])
    lite.close()
    # the search rows as an import writes them (intake_writes.insert_opinions), in two halves at
    # once (their tsvectors are most of the build), and the other indexes beside them
    search = (
        "INSERT INTO opinion_search (rowid, name, company, email, comment) "
        "SELECT o.id, r.name, r.company, r.email, o.comment "
        "FROM opinion o JOIN respondent r ON r.id = o.respondent_id WHERE "
    )
    middle = last // 2
    in_parallel(
        cluster,
        [[f"{search}o.id <= {middle}"], [f"{search}o.id > {middle}"], indexes],
    )
    in_parallel(cluster, [["VACUUM ANALYZE"]])
    checked = cluster_value(
        cluster,
        "SELECT (SELECT count(*) FROM opinion) = (SELECT count(*) FROM opinion_search) "
        "AND NOT EXISTS (SELECT 1 FROM opinion o LEFT JOIN respondent r "
        "ON r.id = o.respondent_id WHERE r.id IS NULL)",
    )
    if not checked:
        raise RuntimeError("the team store's search rows or respondents do not match")


def loaded_tables(lite: sqlite3.Connection, pg: psycopg.Connection[Any]) -> dict[str, list[str]]:
    """The tables with rows to copy, and the columns both stores have (the search table and
    the schema's own bookkeeping are written otherwise)."""
    tables: dict[str, list[str]] = {}
    names = [
        str(row[0])
        for row in pg.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
            "AND table_name NOT IN ('alembic_version', 'opinion_search') ORDER BY 1"
        )
    ]
    for name in names:
        found = lite.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        if found is None or lite.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone() is None:  # noqa: S608
            continue
        theirs = {str(row[1]) for row in lite.execute(f"PRAGMA table_info({name})")}
        ours = pg.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position",
            (name,),
        )
        tables[name] = [str(row[0]) for row in ours if row[0] in theirs]
    return tables


def cluster_value(cluster: Any, sql: str) -> Any:
    with cluster.admin(TEAM_STORE) as pg:
        return pg.execute(sql).fetchone()[0]


def in_parallel(cluster: Any, work: Sequence[Sequence[str]]) -> None:
    """Each list of statements on its own connection, the lists at the same time."""
    failures: list[BaseException] = []

    def run(statements: Sequence[str]) -> None:
        try:
            with cluster.admin(TEAM_STORE) as pg:
                pg.execute("SET maintenance_work_mem = '256MB'")
                for sql in statements:
                    pg.execute(sql)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(part,)) for part in work if part]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def copy_store(cluster: Any, name: str) -> str:
    """A fresh copy of the team store (file by file: a second or two for 1M opinions)."""
    with cluster.admin() as pg:
        owner = pg.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (TEAM_STORE,)
        ).fetchone()[0]
        newer = int(pg.execute("SHOW server_version_num").fetchone()[0]) >= 150000
    strategy = " STRATEGY FILE_COPY" if newer else ""  # not through the WAL
    for attempt in range(20):
        try:
            with cluster.admin() as pg:
                pg.execute(f"CREATE DATABASE {name} OWNER {owner} TEMPLATE {TEAM_STORE}{strategy}")
            break
        except Exception as error:  # the template is busy for a moment (autovacuum)
            if "being accessed by other users" not in str(error) or attempt == 19:
                raise
            time.sleep(0.5)
    return str(cluster.url(name, ANALYST))


# -- what npsdesk sends, and the same sent raw ---------------------------------------------


class Recorded:
    """A team-store connection that notes each statement as psycopg receives it."""

    dialect = "postgresql"

    def __init__(self, conn: PgConnection, log: list[Statement]) -> None:
        self.conn = conn
        self.log = log

    def execute(self, sql: str, parameters: Any = None, /) -> Any:
        from npsdesk.store.pg_sql import translate

        given = () if parameters is None else parameters
        plain = given if isinstance(given, dict | list | tuple) else dict(given)
        self.log.append((translate(sql), plain))
        return self.conn.execute(sql, parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def recording(url: str) -> tuple[Store, list[Statement]]:
    """A `PgDatabase` whose connections note what they send, and the list they add to."""
    from npsdesk.store.pg import PgDatabase

    log: list[Statement] = []

    class RecordingDatabase(PgDatabase):
        def connection(self) -> Any:
            return Recorded(super().connection(), log)

    return RecordingDatabase(url), log


def statements_of(url: str, call: Callable[[Store], object]) -> list[Statement]:
    """The statements `call` sends (one call, after a first one that fills caches)."""
    db, log = recording(url)
    try:
        call(db)
        log.clear()
        call(db)
    finally:
        db.close()
    return list(log)


def replay(raw: psycopg.Connection[Any], statements: Sequence[Statement]) -> None:
    for sql, params in statements:
        cursor = raw.execute(sql, params)
        if cursor.description is not None:
            cursor.fetchall()


def raw_connection(url: str) -> psycopg.Connection[Any]:
    """psycopg as it comes: tuples, its own loaders; transactions as the statements say."""
    import psycopg

    return psycopg.connect(url, autocommit=True)


# -- measuring -------------------------------------------------------------------------------


def per_call(call: Callable[[], object], calls: int) -> Callable[[], float]:
    def sample() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            call()
        return (time.perf_counter() - start) / calls

    return sample


def show(name: str, seconds: float, base: float | None = None, target: float | None = None) -> bool:
    """One line as bench/desk.py prints them, milliseconds with decimals below 10 ms."""
    ms = seconds * 1000
    shown = f"{ms:>7.2f} ms" if ms < 10 else f"{ms:>7.0f} ms"
    if base is None or target is None:
        print(f"{name:<44} {shown}")
        return True
    ratio = seconds / base
    ok = ratio <= target
    print(f"{name:<44} {shown} {ratio:>6.2f}x  <= {target}x {'ok' if ok else 'MISSED'}")
    return ok


def note(text: str, seconds: float) -> None:
    ms = seconds * 1000
    print(f"    ({text}: {ms:.2f} ms)" if ms < 10 else f"    ({text}: {ms:.0f} ms)")


def list_calls(db: Store) -> list[tuple[str, Callable[[Store], object], int]]:
    """The list's reads as (name, call, calls a sample), each call in its own read
    transaction as ui/paging.py and the desk's counting thread make them."""
    from npsdesk.store import desk_queries as dq

    untreated = dq.ListFilter("untreated", me=ANALYST)
    every = dq.ListFilter("all", me=ANALYST)
    with db.read() as conn:
        last = dq.page(conn, untreated, limit=PAGE)[-1].key

    def first_page(db: Store) -> object:
        with db.read() as conn:
            return dq.page(conn, untreated, limit=PAGE)

    def next_page(db: Store) -> object:
        with db.read() as conn:
            return dq.page(conn, untreated, limit=PAGE, after=last)

    def all_page(db: Store) -> object:
        with db.read() as conn:
            return dq.page(conn, every, limit=PAGE)

    def counts(db: Store) -> object:
        with db.read() as conn:
            return dq.tab_counts(conn, untreated)

    return [
        ("first page of untreated", first_page, CALLS),
        ("next page of untreated (keyset)", next_page, CALLS),
        ("first page of all (3 statuses)", all_page, CALLS),
        ("tab counts (6 tabs)", counts, 1),
    ]


def dashboard_call() -> Callable[[Store], object]:
    from zoneinfo import ZoneInfo

    from npsdesk.domain.clock import FixedClock
    from npsdesk.domain.figures import Grain
    from npsdesk.domain.periods import Period
    from npsdesk.services.dashboard import DashboardService
    from npsdesk.services.lookup import LookupService

    quarter = Period(date(2026, 10, 1), NOW.date())

    def figures(db: Store) -> object:
        lookup = LookupService(db, FixedClock(NOW), ZoneInfo(TIME_ZONE))
        return DashboardService(lookup).figures(quarter, Grain.WEEK)

    return figures


def bench_reads(url: str, lite: Path, runs: int) -> bool:
    """The list page and the dashboard: npsdesk, the same statements raw, SQLite beside."""
    from npsdesk.store.db import Database
    from npsdesk.store.pg import PgDatabase

    db = PgDatabase(url)
    sqlite_db = Database(lite)
    raw = raw_connection(url)

    def compare(
        name: str, call: Callable[[Store], object], calls: int, target: float, beside: int
    ) -> bool:
        """npsdesk against its statements raw, in turns; then SQLite, `beside` samples."""
        statements = statements_of(url, call)
        base, app = alternate(
            runs,
            per_call(lambda: replay(raw, statements), calls),
            per_call(lambda: call(db), calls),
        )
        (sqlite,) = alternate(beside, per_call(lambda: call(sqlite_db), calls))
        queries = sum(1 for sql, _ in statements if sql.split()[0] not in TRANSACTION)
        show(f"  raw SQL: {name}", base)
        ok = show(f"  npsdesk: {name}", app, base, target)
        note(f"{queries} queries, BEGIN and ROLLBACK; SQLite, same call", sqlite)
        return ok

    def login() -> float:
        fresh = PgDatabase(url)
        start = time.perf_counter()
        fresh.connection()
        seconds = time.perf_counter() - start
        fresh.close()
        return seconds

    ok = True
    try:
        print(f"list page, wall time, {runs} samples each (of {CALLS} calls below 10 ms)")
        for name, call, calls in list_calls(db):
            ok &= compare(name, call, calls, LIST_TARGET, 3)
        print(f"dashboard, wall time, {runs} samples each")
        ok &= compare("figures of a quarter", dashboard_call(), 1, DASHBOARD_TARGET, 1)
        (connect,) = alternate(runs, login)
        show("  a new connection (a login), no target", connect)
    finally:
        raw.close()
        db.close()
        sqlite_db.close()
    return ok


# -- bulk archive ----------------------------------------------------------------------------


def service_archive(cluster: Any, ids: list[int]) -> float:
    from npsdesk.domain.clock import SystemClock
    from npsdesk.services.bulk import BulkService
    from npsdesk.store.pg import PgDatabase

    url = copy_store(cluster, "archive_service")
    db = PgDatabase(url)
    try:
        warm(db.connection().raw, ids)
        start = time.perf_counter()
        result = BulkService(db, SystemClock(), ANALYST).archive(ids)
        seconds = time.perf_counter() - start
    finally:
        db.close()
        cluster.drop_database("archive_service")
    if len(result.changed) != len(ids):
        raise RuntimeError(f"BulkService archived {len(result.changed)} of {len(ids)}")
    return seconds


RAW_ARCHIVE = """UPDATE opinion SET archived = TRUE, updated_at = %(now)s, version = version + 1
    WHERE id = ANY(%(ids)s) AND NOT archived RETURNING id"""
RAW_EVENTS = """INSERT INTO event (opinion_id, respondent_id, at, actor, kind)
    SELECT id, respondent_id, %(now)s, %(actor)s, 'archived' FROM opinion
    WHERE id = ANY(%(ids)s) ORDER BY id"""


def raw_archive(cluster: Any, ids: list[int]) -> float:
    url = copy_store(cluster, "archive_raw")
    raw = raw_connection(url)
    try:
        warm(raw, ids)
        start = time.perf_counter()
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        raw.execute("BEGIN")
        changed = [row[0] for row in raw.execute(RAW_ARCHIVE, {"now": now, "ids": ids})]
        raw.execute(RAW_EVENTS, {"now": now, "actor": ANALYST, "ids": sorted(changed)})
        raw.execute("COMMIT")
        seconds = time.perf_counter() - start
    finally:
        raw.close()
        cluster.drop_database("archive_raw")
    if len(changed) != len(ids):
        raise RuntimeError(f"the raw UPDATE archived {len(changed)} of {len(ids)}")
    return seconds


def warm(raw: psycopg.Connection[Any], ids: list[int]) -> None:
    """The rows to archive in the server's cache, as on a store in use (the copy's
    other pages are in the system's file cache only)."""
    raw.execute("SELECT sum(version) FROM opinion WHERE id = ANY(%s)", (ids,)).fetchall()


def bench_archive(cluster: Any, lite: Path, runs: int) -> bool:
    described, ids = archive_ids(lite)
    print(f"bulk archive, wall time, {runs} runs each, each on a fresh copy of the store")
    base, app = alternate(
        runs, lambda: raw_archive(cluster, ids), lambda: service_archive(cluster, ids)
    )
    show(f"  raw UPDATE + events of {len(ids) // 1000}k rows", base)
    ok = show("  BulkService.archive, same rows", app, base, ARCHIVE_TARGET)
    print(f"  (the first {len(ids):,} of tab {described})")
    return ok


# -- all of it -------------------------------------------------------------------------------


def bench_postgres(runs: int | None = None) -> bool:
    """Every PostgreSQL benchmark; True when a target was missed. `runs` samples each, by
    default 7 for the reads and 5 for the archive."""
    started = time.perf_counter()
    lite = desk_store(OPINIONS)
    built = time.perf_counter() - started
    if built > 1:
        print(f"built the desk store in {built:.0f} s ({lite.name})")
    clusters = pg_cluster()
    binaries = clusters.server_bin()
    if binaries is None:
        print("\npostgres: skipped, no PostgreSQL server installed (make postgres installs it)")
        return False
    started = time.perf_counter()
    cluster = clusters.Cluster(binaries)
    cluster.start()
    saved = os.environ.get("PGPASSFILE")
    try:
        passfile = cluster.base / "pgpass"
        passfile.write_text(
            "".join(
                f"127.0.0.1:{cluster.port}:*:{user}:{clusters.password_of(user)}\n"
                for user in clusters.ANALYSTS
            )
        )
        passfile.chmod(0o600)
        os.environ["PGPASSFILE"] = str(passfile)
        build_team_store(cluster, lite)
        version = cluster_value(cluster, "SHOW server_version").split()[0]
        print(
            f"\npostgres {version} on loopback, {OPINIONS // 1_000_000}M opinions "
            f"(copied from {lite.name}; team store built in "
            f"{time.perf_counter() - started:.0f} s)"
        )
        print(f"{'team store':<44} {'median':>10} {'ratio':>6}  target")
        reads, archive = (runs, runs) if runs else (7, 5)
        ok = bench_reads(cluster.url(TEAM_STORE, ANALYST), lite, reads)
        ok &= bench_archive(cluster, lite, archive)
    finally:
        if saved is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = saved
        cluster.stop()
    print(f"postgres: {time.perf_counter() - started:.0f} s in all, the build included")
    return not ok
