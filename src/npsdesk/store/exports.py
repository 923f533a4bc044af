"""Reads for export: every chosen opinion with its respondent, case fields and last note.

One streaming query (the cursor is iterated, never fetched whole), so an export of a million
opinions holds one row at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from npsdesk.store.connection import Connection, Row, is_postgres, stream
from npsdesk.store.db import db_date, db_time, from_db_time
from npsdesk.store.visibility import hidden

# Followers as a JSON array (exact whatever the names hold); the last note is the newest
# 'note' event of the opinion, found through ix_event_opinion (opinion_id, id) backwards.
_EXPORT_SELECT = """
    SELECT o.id, o.source, o.external_id, o.score, o.nps_class, o.comment, o.sent_at,
           o.answered_at, o.campaign, o.internal, o.status, o.archived, o.deadline,
           o.priority, o.type, c.name AS category, a.username AS responsible,
           (SELECT {followers}
              FROM opinion_follower f JOIN analyst fa ON fa.id = f.analyst_id
             WHERE f.opinion_id = o.id) AS followers,
           (SELECT e.body FROM event e
             WHERE e.opinion_id = o.id AND e.kind = 'note'
             ORDER BY e.id DESC LIMIT 1) AS last_note,
           r.name, r.email, r.phone, r.cnpj, r.company, r.product, r.vertical, r.state
      FROM opinion o
      JOIN respondent r ON r.id = o.respondent_id
      LEFT JOIN category c ON c.id = o.category_id
      LEFT JOIN analyst a ON a.id = o.responsible_id
"""


@dataclass(frozen=True)
class ExportRow:
    id: int
    source: str
    external_id: str
    score: int
    nps_class: str
    comment: str | None
    sent_at: datetime | None
    answered_at: datetime
    campaign: str | None
    internal: bool
    status: str
    archived: bool
    deadline: date
    priority: int
    type: str | None
    category: str | None
    responsible: str | None
    followers: tuple[str, ...]
    last_note: str | None
    name: str | None
    email: str | None
    phone: str | None
    cnpj: str | None
    company: str | None
    product: str | None
    vertical: str | None
    state: str | None


def _row(row: Row) -> ExportRow:
    followers: list[str] = json.loads(row["followers"]) if row["followers"] else []
    return ExportRow(
        id=row["id"],
        source=row["source"],
        external_id=row["external_id"],
        score=row["score"],
        nps_class=row["nps_class"],
        comment=row["comment"],
        sent_at=from_db_time(row["sent_at"]),
        answered_at=db_time(row["answered_at"]),
        campaign=row["campaign"],
        internal=bool(row["internal"]),
        status=row["status"],
        archived=bool(row["archived"]),
        deadline=db_date(row["deadline"]),
        priority=row["priority"],
        type=row["type"],
        category=row["category"],
        responsible=row["responsible"],
        followers=tuple(sorted(followers)),
        last_note=row["last_note"],
        name=row["name"],
        email=row["email"],
        phone=row["phone"],
        cnpj=row["cnpj"],
        company=row["company"],
        product=row["product"],
        vertical=row["vertical"],
        state=row["state"],
    )


def iter_export_rows(
    conn: Connection,
    *,
    start: str | None,
    end: str | None,
    statuses: Sequence[str] | None,
    archived: bool | None,
) -> Iterator[ExportRow]:
    """The opinions answered in [start, end) (store time text; None = open), with a status
    among `statuses` (None or empty = any) and archived or not (None = both), oldest first.

    Consume it inside the read transaction that gave `conn`.
    """
    # Times are text in DATETIME (numeric affinity) columns: compare them only with full
    # time strings, never with number-like sentinels, which SQLite would turn into numbers.
    where: list[str] = []
    params: dict[str, object] = {}
    if start is not None:
        where.append("o.answered_at >= :start")
        params["start"] = start
    if end is not None:
        where.append("o.answered_at < :end")
        params["end"] = end
    if statuses:
        marks = ", ".join(f":s{i}" for i in range(len(statuses)))
        where.append(f"o.status IN ({marks})")
        params.update({f"s{i}": status for i, status in enumerate(statuses)})
    if archived is not None:
        where.append("o.archived = :archived")
        params["archived"] = bool(archived)
    followers = (  # the names as a JSON array's text on both back ends
        "json_agg(fa.username ORDER BY f.analyst_id)::text"
        if is_postgres(conn)
        else "json_group_array(fa.username)"
    )
    sql = _EXPORT_SELECT.format(followers=followers)
    sql += " WHERE " + " AND ".join(where or ["TRUE"]) + hidden(conn)
    sql += " ORDER BY o.answered_at, o.id"
    for row in stream(conn, sql, params):
        yield _row(row)
