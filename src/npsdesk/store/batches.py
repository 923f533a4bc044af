"""Import batches: one row per import run, opened when it starts and given its counts
when it lands; until then what it wrote is hidden from every read (see `hidden`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from npsdesk.store import history_guard, turns
from npsdesk.store.case_writes import rowid
from npsdesk.store.connection import Connection, Store
from npsdesk.store.db import to_db_time


def start_batch(
    conn: Connection,
    *,
    kind: str,
    source: str,
    file_name: str,
    sha256: str,
    analyst: str,
    now: datetime,
) -> int:
    cursor = conn.execute(
        """INSERT INTO import_batch (kind, source, file_name, sha256, analyst, started_at,
                                     new_count, updated_count, unchanged_count,
                                     rejected_count, duplicate_count)
           VALUES (:kind, :source, :file, :sha, :analyst, :now, 0, 0, 0, 0, 0)
           RETURNING id""",
        {
            "kind": kind,
            "source": source,
            "file": file_name,
            "sha": sha256,
            "analyst": analyst,
            "now": to_db_time(now),
        },
    )
    return rowid(cursor)


def finish_batch(conn: Connection, batch_id: int, counts: Mapping[str, int], now: datetime) -> None:
    conn.execute(
        """UPDATE import_batch SET finished_at = :now, new_count = :new,
             updated_count = :updated, unchanged_count = :unchanged,
             rejected_count = :rejected, duplicate_count = :duplicates
           WHERE id = :id""",
        {
            "now": to_db_time(now),
            "id": batch_id,
            "new": counts.get("new", 0),
            "updated": counts.get("updated", 0),
            "unchanged": counts.get("unchanged", 0),
            "rejected": counts.get("rejected", 0),
            "duplicates": counts.get("duplicates", 0),
        },
    )


# -- a batch under way ---------------------------------------------------------------------
# On SQLite an import commits a step at a time so that others can write meanwhile; until
# `finish_batch` its rows are in the file but every read leaves them out, and changes to
# rows already shown wait in `import_change`. On PostgreSQL an import is one transaction
# (others' writes go on beside it, row by row), so no other connection sees an open batch.

STEP = 2000  # rows deleted per transaction when an unfinished batch is removed


def stage_change(
    conn: Connection, batch_id: int, target: str, target_id: int, values: Mapping[str, object]
) -> None:
    """A change the batch makes to a row already shown, applied when it lands."""
    conn.execute(
        "INSERT INTO import_change (batch_id, target, target_id, payload) VALUES (?, ?, ?, ?)",
        (batch_id, target, target_id, json.dumps(values, ensure_ascii=False)),
    )


def staged_changes(conn: Connection, batch_id: int) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """The batch's staged changes in the order they were made: (target, id, values)."""
    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, target, target_id, payload FROM import_change "
            "WHERE batch_id = ? AND id > ? ORDER BY id LIMIT 1000",
            (batch_id, last),
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield str(row["target"]), int(row["target_id"]), json.loads(row["payload"])
        last = int(rows[-1]["id"])


def land(conn: Connection, batch_id: int) -> None:
    """The staged changes are applied: drop them (inside the landing transaction)."""
    conn.execute("DELETE FROM import_change WHERE batch_id = ?", (batch_id,))


def discard(db: Store, batch_id: int) -> None:
    """Remove an unfinished batch and what it wrote, a step per transaction (it stays
    hidden until its row goes, last): the `imported` history of its opinions (nobody was
    shown it; the history's guard is lifted for these steps only), the opinions, the
    customers it created. Campaign links, changes to rows already shown and their history
    are written only when a batch lands, and thank-yous after that."""
    last = 0
    while True:  # opinions, with their history
        with db.write() as conn:
            ids = [
                int(row[0])
                for row in conn.execute(
                    "SELECT id FROM opinion WHERE import_batch_id = ? AND id > ? "
                    f"ORDER BY id LIMIT {STEP}",
                    (batch_id, last),
                )
            ]
            if not ids:
                break
            marks = ",".join("?" * len(ids))
            with history_guard.lifted(conn):
                conn.execute(f"DELETE FROM event WHERE opinion_id IN ({marks})", ids)
            conn.execute(f"DELETE FROM opinion WHERE id IN ({marks})", ids)
            last = ids[-1]
        turns.step_aside(db)  # a writer that waits goes before the next step
    last = 0
    while True:  # the customers only they had
        with db.write() as conn:
            ids = [
                int(row[0])
                for row in conn.execute(
                    "SELECT id FROM respondent WHERE id > ? AND import_batch_id = ? "
                    "AND NOT EXISTS (SELECT 1 FROM opinion o WHERE o.respondent_id = respondent.id)"
                    f" ORDER BY id LIMIT {STEP}",
                    (last, batch_id),
                )
            ]
            if not ids:
                break
            conn.execute(f"DELETE FROM respondent WHERE id IN ({','.join('?' * len(ids))})", ids)
            last = ids[-1]
        turns.step_aside(db)  # a writer that waits goes before the next step
    with db.write() as conn:
        conn.execute("DELETE FROM import_change WHERE batch_id = ?", (batch_id,))
        conn.execute("DELETE FROM import_batch WHERE id = ? AND finished_at IS NULL", (batch_id,))


def describe(conn: Connection, batch_id: int) -> str:
    row = conn.execute(
        "SELECT file_name, started_at FROM import_batch WHERE id = ?", (batch_id,)
    ).fetchone()
    if row is None:
        return f"batch {batch_id}"
    return f"the import of {row['file_name']} started {row['started_at']} UTC (batch {batch_id})"
