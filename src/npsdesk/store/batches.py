"""Import batches: one row per import run, opened when it starts and given its counts
when it finishes (inside the import's transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from npsdesk.store.connection import Connection
from npsdesk.store.db import to_db_time
from npsdesk.store.writes import rowid


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
