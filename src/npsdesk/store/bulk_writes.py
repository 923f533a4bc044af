"""Set-based case changes for many opinions at once (bulk archive, unarchive, assign).

Each function runs inside the caller's write transaction and writes the same columns and
events as the one-case use cases in `services.cases`, one statement per kind of change
instead of one round trip per case. The ids travel as one JSON array parameter.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime

from npsdesk.store.db import to_db_time

_IDS = "SELECT value FROM json_each(:ids)"
# (id, version) pairs an undo expects to find unchanged
_EXPECTED = "SELECT CAST(key AS INTEGER) AS id, value AS version FROM json_each(:expected)"


def set_archived(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    archived: bool,
    actor: str,
    now: datetime,
    expected: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """Archive (or unarchive) the ids not already so; with `expected`, only those whose
    version is still the one given. Returns {id: new version} of the changed ones."""
    params: dict[str, object] = {
        "ids": json.dumps(list(ids)),
        "cur": 0 if archived else 1,
        "new": 1 if archived else 0,
        "kind": "archived" if archived else "unarchived",
        "now": to_db_time(now),
        "actor": actor,
    }
    unchanged = ""
    if expected is not None:
        params["expected"] = json.dumps({str(k): v for k, v in expected.items()})
        unchanged = f" AND (o.id, o.version) IN ({_EXPECTED})"
    # `+o.archived` keeps SQLite finding the rows by id. Left plain, it walked the queue
    # index through every opinion with that flag and tested each against the ids: over 1M
    # opinions 0.2-0.7 s per statement, for 10 ids as for 10k.
    where = f"o.id IN ({_IDS}) AND +o.archived = :cur{unchanged}"
    conn.execute(
        f"""INSERT INTO event (opinion_id, respondent_id, at, actor, kind)
            SELECT o.id, o.respondent_id, :now, :actor, :kind FROM opinion o
            WHERE {where} ORDER BY o.id""",
        params,
    )
    rows = conn.execute(
        f"""UPDATE opinion AS o SET archived = :new, updated_at = :now, version = version + 1
            WHERE {where} RETURNING id, version""",
        params,
    ).fetchall()
    return {int(row[0]): int(row[1]) for row in rows}


def set_responsible(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    analyst_id: int | None,
    username: str | None,
    actor: str,
    now: datetime,
) -> dict[int, int]:
    """Make `analyst_id` responsible for the ids it is not responsible for yet. Like any
    first action, this moves an untreated case into treatment. Returns {id: new version}."""
    params: dict[str, object] = {
        "ids": json.dumps(list(ids)),
        "analyst": analyst_id,
        "username": username,
        "now": to_db_time(now),
        "actor": actor,
    }
    where = f"o.id IN ({_IDS}) AND o.responsible_id IS NOT :analyst"
    conn.execute(
        f"""INSERT INTO event (opinion_id, respondent_id, at, actor, kind, field, old_value,
                               new_value)
            SELECT o.id, o.respondent_id, :now, :actor, 'field_changed', 'responsible',
                   a.username, :username
            FROM opinion o LEFT JOIN analyst a ON a.id = o.responsible_id
            WHERE {where} ORDER BY o.id""",
        params,
    )
    conn.execute(
        f"""INSERT INTO event (opinion_id, respondent_id, at, actor, kind, field, old_value,
                               new_value)
            SELECT o.id, o.respondent_id, :now, :actor, 'status_changed', 'status',
                   'untreated', 'in_treatment'
            FROM opinion o WHERE {where} AND o.status = 'untreated' ORDER BY o.id""",
        params,
    )
    rows = conn.execute(
        f"""UPDATE opinion AS o SET responsible_id = :analyst,
                status = CASE WHEN status = 'untreated' THEN 'in_treatment' ELSE status END,
                first_action_at = coalesce(first_action_at, :now),
                updated_at = :now, version = version + 1
            WHERE {where} RETURNING id, version""",
        params,
    ).fetchall()
    return {int(row[0]): int(row[1]) for row in rows}


def states(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, sqlite3.Row]:
    """The archived flag, responsible id and version of the stored ids among `ids`."""
    rows = conn.execute(
        f"SELECT id, archived, responsible_id, version FROM opinion WHERE id IN ({_IDS})",
        {"ids": json.dumps(list(ids))},
    )
    return {int(row["id"]): row for row in rows}
