"""What rules look at in the cases: each case's facts and its current fields, a period's
cases (by answer time) read a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from npsdesk.store.connection import Connection, Row
from npsdesk.store.db import to_db_time
from npsdesk.store.visibility import hidden

CHUNK = 2000

_FACTS = """
    SELECT o.id, o.nps_class, o.score, o.comment, o.campaign, o.source, o.internal,
           o.lane, o.status, o.archived, o.priority, o.deadline, o.type,
           c.name AS category, a.username AS responsible,
           r.vertical, r.product, r.state
    FROM opinion o
    JOIN respondent r ON r.id = o.respondent_id
    LEFT JOIN category c ON c.id = o.category_id
    LEFT JOIN analyst a ON a.id = o.responsible_id
"""


def cases_answered(
    conn: Connection, since: datetime | None, until: datetime | None
) -> Iterator[list[Row]]:
    """The facts of the cases answered in [since, until), oldest id first, in chunks."""
    after = 0
    while True:
        where = ["o.id > :after"]
        params: dict[str, object] = {"after": after, "limit": CHUNK}
        if since is not None:
            where.append("o.answered_at >= :since")
            params["since"] = to_db_time(since)
        if until is not None:
            where.append("o.answered_at < :until")
            params["until"] = to_db_time(until)
        rows = conn.execute(
            f"{_FACTS} WHERE {' AND '.join(where)}{hidden(conn)} ORDER BY o.id LIMIT :limit",
            params,
        ).fetchall()
        if not rows:
            return
        yield rows
        after = int(rows[-1]["id"])
