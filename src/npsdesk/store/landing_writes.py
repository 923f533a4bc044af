"""The SQL of a batch's landing: the rows its staged changes touch, and the writes that
apply them a prepared statement per set of columns (see `importers.landing`)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime

from npsdesk.store.case_writes import CASE_FIELDS, INSERT_EVENT, db_value
from npsdesk.store.connection import Connection, Row, is_postgres
from npsdesk.store.db import to_db_time
from npsdesk.store.intake_writes import PLATFORM_FIELDS

PART = 500  # ids per look-up

_OPINION = """id, respondent_id, score, nps_class, comment, sent_at, answered_at, campaign,
    internal, deadline, priority, version"""
_RESPONDENT_COLUMNS = frozenset(
    {"name", "email", "phone", "cnpj", "company", "product", "vertical", "state",
     "last_service_at"}
)  # fmt: skip


def _by_id(conn: Connection, sql: str, ids: Sequence[int]) -> dict[int, Row]:
    found: dict[int, Row] = {}
    for start in range(0, len(ids), PART):
        part = list(ids[start : start + PART])
        marks = ",".join("?" * len(part))
        for row in conn.execute(sql.format(marks=marks), part):
            found[int(row["id"])] = row
    return found


def opinions(conn: Connection, ids: Sequence[int]) -> dict[int, Row]:
    """The opinions a landing changes, as they are now (with their version)."""
    return _by_id(conn, f"SELECT {_OPINION} FROM opinion WHERE id IN ({{marks}})", ids)


def respondents(conn: Connection, ids: Sequence[int]) -> dict[int, Row]:
    """The respondents a landing changes, as they are now (with their updated_at)."""
    return _by_id(conn, "SELECT * FROM respondent WHERE id IN ({marks})", ids)


def opinion_versions(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    rows = _by_id(conn, "SELECT id, version FROM opinion WHERE id IN ({marks})", ids)
    return {i: int(row["version"]) for i, row in rows.items()}


def respondent_stamps(conn: Connection, ids: Sequence[int]) -> dict[int, str | None]:
    rows = _by_id(conn, "SELECT id, updated_at FROM respondent WHERE id IN ({marks})", ids)
    return {i: row["updated_at"] for i, row in rows.items()}


def _grouped(
    changes: Iterable[tuple[int, Mapping[str, object]]], allowed: frozenset[str]
) -> dict[tuple[str, ...], list[dict[str, object]]]:
    groups: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for target_id, values in changes:
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not columns a landing sets: {sorted(unknown)}")
        if values:
            params = {k: db_value(value) for k, value in values.items()}
            groups[tuple(sorted(values))].append({**params, "id": target_id})
    return groups


def update_opinions(
    conn: Connection, changes: Iterable[tuple[int, Mapping[str, object]]], now: datetime
) -> None:
    """Platform fields and the case defaults they move; each opinion's version goes up once."""
    extra = "updated_at = :now, version = version + 1"
    _update(conn, "opinion", changes, PLATFORM_FIELDS | CASE_FIELDS, extra, now)


def update_respondents(
    conn: Connection, changes: Iterable[tuple[int, Mapping[str, object]]], now: datetime
) -> None:
    _update(conn, "respondent", changes, _RESPONDENT_COLUMNS, "updated_at = :now", now)


def _update(
    conn: Connection,
    table: str,
    changes: Iterable[tuple[int, Mapping[str, object]]],
    allowed: frozenset[str],
    extra: str,
    now: datetime,
) -> None:
    """One statement per set of columns. On SQLite the rows go through a temporary table
    and one UPDATE ... FROM: the search index (FTS5) writes a segment per statement, so
    row-by-row updates of comments and names cost it thousands."""
    stamp = to_db_time(now)
    for columns, rows in _grouped(changes, allowed).items():
        if is_postgres(conn):
            sets = "".join(f"{k} = :{k}, " for k in columns)
            conn.executemany(
                f"UPDATE {table} SET {sets}{extra} WHERE id = :id",
                [{**row, "now": stamp} for row in rows],
            )
            continue
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS landing_set (id INTEGER PRIMARY KEY, payload TEXT)"
        )
        conn.execute("DELETE FROM temp.landing_set")
        conn.executemany(
            "INSERT INTO temp.landing_set (id, payload) VALUES (?, ?)",
            [(row.pop("id"), json.dumps(row, ensure_ascii=False)) for row in rows],
        )
        sets = "".join(f"{k} = json_extract(s.payload, '$.{k}'), " for k in columns)
        update = f"UPDATE {table} SET {sets}{extra} FROM temp.landing_set s WHERE {table}.id = s.id"
        if table == "respondent" and _SEARCHED & set(columns):
            with _search_trigger_lifted(conn):
                conn.execute(update, {"now": stamp})
                _reindex_respondents(conn)
        else:
            conn.execute(update, {"now": stamp})
        conn.execute("DELETE FROM temp.landing_set")


_SEARCHED = frozenset({"name", "company", "email"})  # a respondent's columns in the index


@contextmanager
def _search_trigger_lifted(conn: Connection) -> Iterator[None]:
    """The trigger re-indexing a renamed respondent's opinions is dropped for one UPDATE
    (inside the landing transaction: DDL is transactional, nobody else sees it missing)
    and the index is written for all of them at once instead, two statements in all."""
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TRIGGER,)
    ).fetchone()
    if row is None:
        yield
        return
    conn.execute(f"DROP TRIGGER {_TRIGGER}")
    yield
    conn.execute(row[0])


_TRIGGER = "respondent_search_update"


def _reindex_respondents(conn: Connection) -> None:
    """The opinions of the respondents in `temp.landing_set`, indexed again for search."""
    of_them = (
        "SELECT o.id FROM opinion o WHERE o.respondent_id IN (SELECT id FROM temp.landing_set)"
    )
    conn.execute(f"DELETE FROM opinion_search WHERE rowid IN ({of_them})")
    conn.execute(
        "INSERT INTO opinion_search (rowid, name, company, email, comment) "
        "SELECT o.id, r.name, r.company, r.email, o.comment "
        "FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
        "WHERE r.id IN (SELECT id FROM temp.landing_set)"
    )


def append_history(conn: Connection, rows: Sequence[Mapping[str, object]]) -> None:
    """The landing's `updated_by_import` entries, in one prepared statement."""
    if rows:
        conn.executemany(INSERT_EVENT, rows)
