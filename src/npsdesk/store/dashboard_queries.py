"""Reads for the dashboard: NPS trend, per vertical, the team's backlog and customer replies.

Each figure is one aggregate query (GROUP BY), never a query per row: the store may hold a
million opinions. The scope is `period_counts`'s: answers in [start, end) (store time text;
None = open), internal surveys left out unless asked for, archived opinions counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from npsdesk.store.connection import Connection, Row, is_postgres
from npsdesk.store.visibility import hidden

__all__ = [
    "ClassCounts",
    "ClosedOnDay",
    "EmailedCase",
    "Scope",
    "TeamCounts",
    "VerticalCounts",
    "answered_span",
    "closed_per_day",
    "emailed_cases",
    "team_counts",
    "trend_counts",
    "vertical_counts",
]

_CLASSES = """
    count(o.id) FILTER (WHERE o.nps_class = 'promoter') AS promoters,
    count(o.id) FILTER (WHERE o.nps_class = 'neutral') AS neutrals,
    count(o.id) FILTER (WHERE o.nps_class = 'detractor') AS detractors
"""
# Seconds from the answer to a later moment; a moment before the answer (clock trouble in
# an import) counts as 0, and a NULL moment stays NULL so sum() and count() skip it.
_SECONDS_SINCE_ANSWER = {
    "sqlite": "CASE WHEN {column} IS NOT NULL"
    " THEN max(julianday({column}) - julianday(o.answered_at), 0) * 86400.0 END",
    "postgresql": "CASE WHEN {column} IS NOT NULL"
    " THEN greatest(extract(epoch FROM {column} - o.answered_at), 0) END",
}


@dataclass(frozen=True)
class Scope:
    """Which opinions a figure counts."""

    start: str | None = None  # store time text, inclusive
    end: str | None = None  # exclusive
    verticals: Sequence[str] | None = None  # the store's exact names; None = every vertical
    include_internal: bool = False

    def sql(self, conn: Connection, *, answered: bool = True) -> tuple[str, str, dict[str, object]]:
        """(join, where, params); `answered=False` leaves the answer dates out. Imports
        under way are left out."""
        where = ["TRUE"]
        params: dict[str, object] = {}
        if answered and self.start is not None:
            where.append("o.answered_at >= :start")
            params["start"] = self.start
        if answered and self.end is not None:
            where.append("o.answered_at < :end")
            params["end"] = self.end
        if not self.include_internal:
            where.append("NOT o.internal")
        join = ""
        if self.verticals is not None:
            marks = ", ".join(f":v{i}" for i in range(len(self.verticals)))
            join = "JOIN respondent r ON r.id = o.respondent_id"
            where.append(f"r.vertical IN ({marks})")
            params.update({f"v{i}": v for i, v in enumerate(self.verticals)})
        return join, " AND ".join(where) + hidden(conn), params


@dataclass(frozen=True)
class ClassCounts:
    promoters: int = 0
    neutrals: int = 0
    detractors: int = 0

    @property
    def total(self) -> int:
        return self.promoters + self.neutrals + self.detractors


@dataclass(frozen=True)
class VerticalCounts:
    vertical: str | None  # None: respondents without a vertical
    counts: ClassCounts


@dataclass(frozen=True)
class TeamCounts:
    """One responsible's opinions in the scope (None: nobody is responsible)."""

    responsible: str | None
    untreated: int
    in_treatment: int
    closed: int
    first_action_seconds: float  # summed over the opinions that had a first action
    first_action_count: int
    close_seconds: float  # summed over the closed opinions
    close_count: int


@dataclass(frozen=True)
class EmailedCase:
    """A case of the scope we e-mailed, and how long the customer took to reply."""

    nps_class: str
    reply_seconds: float | None  # our first e-mail to the first reply after it; None: none


@dataclass(frozen=True)
class ClosedOnDay:
    day: int  # index into the day bounds given
    responsible: str | None
    closed: int


def _classes(row: Row) -> ClassCounts:
    return ClassCounts(row["promoters"], row["neutrals"], row["detractors"])


def answered_span(conn: Connection, scope: Scope) -> tuple[str | None, str | None]:
    """The first and last answer times in the scope (None, None when it has none).

    Two walks along the answer-date index that stop at the first row in the scope: a
    min() and max() with a WHERE would read every row."""
    join, where, params = scope.sql(conn)
    first, last = (
        f"""(SELECT o.answered_at FROM opinion o {join} WHERE {where}
             ORDER BY o.answered_at {direction} LIMIT 1)"""
        for direction in ("ASC", "DESC")
    )
    row = conn.execute(f"SELECT {first} AS first, {last} AS last", params).fetchone()
    return row["first"], row["last"]


def _bucket_of(column: str, edges: int, first: int = 0, last: int | None = None) -> str:
    """SQL giving the bucket of `column` among consecutive edges :e0 < :e1 < ... : a binary
    search written out as nested CASEs, so a row costs log2(buckets) comparisons."""
    last = edges - 1 if last is None else last
    if last - first == 1:
        return str(first)
    middle = (first + last) // 2
    return (
        f"CASE WHEN {column} < :e{middle} THEN {_bucket_of(column, edges, first, middle)} "
        f"ELSE {_bucket_of(column, edges, middle, last)} END"
    )


def trend_counts(conn: Connection, scope: Scope, edges: Sequence[str]) -> list[ClassCounts]:
    """Class counts per bucket [edges[i], edges[i+1]) of answer time (the scope's own dates
    still apply). One pass over the scope's rows, as `period_counts` makes, whatever the
    number of buckets; a range join on the index instead costs a table look-up per row,
    five times slower over a whole store (bench/dashboard.py). The edges' own range is
    written `+o.answered_at` so that it never steers the plan: the scope's dates decide
    between the index and a scan, as they do for `period_counts`."""
    if len(edges) < 2:
        return []
    join, where, params = scope.sql(conn)
    params.update({f"e{i}": edge for i, edge in enumerate(edges)})
    bucket = _bucket_of("o.answered_at", len(edges))
    last = len(edges) - 1
    rows = conn.execute(
        f"""SELECT {bucket} AS i, {_CLASSES}
            FROM opinion o {join}
            WHERE {where} AND +o.answered_at >= :e0 AND +o.answered_at < :e{last}
            GROUP BY 1""",
        params,
    ).fetchall()
    found = {int(row["i"]): _classes(row) for row in rows}
    return [found.get(i, ClassCounts()) for i in range(last)]


def vertical_counts(conn: Connection, scope: Scope) -> list[VerticalCounts]:
    """Class counts per respondent vertical, most answers first."""
    join, where, params = scope.sql(conn)
    join = join or "JOIN respondent r ON r.id = o.respondent_id"
    rows = conn.execute(
        f"""SELECT r.vertical AS vertical, {_CLASSES}
            FROM opinion o {join}
            WHERE {where}
            GROUP BY r.vertical
            ORDER BY count(o.id) DESC, r.vertical IS NULL, r.vertical""",
        params,
    ).fetchall()
    return [VerticalCounts(row["vertical"], _classes(row)) for row in rows]


def team_counts(conn: Connection, scope: Scope) -> list[TeamCounts]:
    """Status counts and summed times to first action and to close, per responsible.

    Times run from the answer: `first_action_at` is set by the first thing an analyst does
    to the case, `closed_at` when it is closed (a reopened case loses it)."""
    join, where, params = scope.sql(conn)
    seconds = _SECONDS_SINCE_ANSWER["postgresql" if is_postgres(conn) else "sqlite"]
    first = seconds.format(column="o.first_action_at")
    close = seconds.format(column="o.closed_at")
    rows = conn.execute(
        f"""SELECT a.username AS responsible, t.*
            FROM (
                SELECT o.responsible_id AS responsible_id,
                  count(*) FILTER (WHERE o.status = 'untreated') AS untreated,
                  count(*) FILTER (WHERE o.status = 'in_treatment') AS in_treatment,
                  count(*) FILTER (WHERE o.status = 'closed') AS closed,
                  coalesce(sum({first}), 0) AS first_seconds,
                  count(o.first_action_at) AS first_count,
                  coalesce(sum({close}) FILTER (WHERE o.status = 'closed'), 0) AS close_seconds,
                  count(o.closed_at) FILTER (WHERE o.status = 'closed') AS close_count
                FROM opinion o {join}
                WHERE {where}
                GROUP BY o.responsible_id
            ) t
            LEFT JOIN analyst a ON a.id = t.responsible_id
            ORDER BY a.username IS NULL, a.username""",
        params,
    ).fetchall()
    return [
        TeamCounts(
            responsible=row["responsible"],
            untreated=row["untreated"],
            in_treatment=row["in_treatment"],
            closed=row["closed"],
            first_action_seconds=float(row["first_seconds"]),
            first_action_count=row["first_count"],
            close_seconds=float(row["close_seconds"]),
            close_count=row["close_count"],
        )
        for row in rows
    ]


def closed_per_day(
    conn: Connection, scope: Scope, bounds: Sequence[tuple[str, str]]
) -> list[ClosedOnDay]:
    """Closed opinions per day [lo, hi) of `closed_at` and per responsible, whenever they
    were answered (the scope's answer dates are left out; its other limits apply).

    `closed_at` has no index: one pass over the table, the day picked by a CASE over the
    given consecutive bounds, rather than a pass per day."""
    if not bounds:
        return []
    join, where, params = scope.sql(conn, answered=False)
    days = " ".join(f"WHEN o.closed_at < :hi{i} THEN {i}" for i in range(len(bounds)))
    params.update({f"hi{i}": hi for i, (_, hi) in enumerate(bounds)})
    rows = conn.execute(
        f"""SELECT t.day AS day, a.username AS responsible, t.closed AS closed
            FROM (
                SELECT CASE {days} END AS day, o.responsible_id AS responsible_id,
                       count(*) AS closed
                FROM opinion o {join}
                WHERE {where} AND o.status = 'closed'
                  AND o.closed_at >= :first AND o.closed_at < :last
                GROUP BY 1, 2
            ) t
            LEFT JOIN analyst a ON a.id = t.responsible_id
            ORDER BY t.day, a.username""",
        {**params, "first": bounds[0][0], "last": bounds[-1][1]},
    ).fetchall()
    return [ClosedOnDay(row["day"], row["responsible"], row["closed"]) for row in rows]


# Seconds between two event times of the same row (`later` >= `earlier` by the query).
_SECONDS_BETWEEN = {
    "sqlite": "(julianday({later}) - julianday({earlier})) * 86400.0",
    "postgresql": "extract(epoch FROM {later} - {earlier})",
}


def emailed_cases(conn: Connection, scope: Scope) -> list[EmailedCase]:
    """The scope's cases with at least one e-mail from us (`email_sent`), each with the
    seconds from the first of them to the customer's first reply at or after it (an
    `email_received` of outcome `reply`: auto-replies, bounces and unsubscribes are not
    replies), None when none came.

    Driven by the scope's opinions (the answer-date index for a period), each one's e-mails
    found by a seek on `ix_event_opinion` (opinion_id, id): the replies are looked for only
    on the cases that were e-mailed."""
    join, where, params = scope.sql(conn)
    between = _SECONDS_BETWEEN["postgresql" if is_postgres(conn) else "sqlite"]
    seconds = between.format(later="min(r.at)", earlier="c.sent")
    rows = conn.execute(
        f"""SELECT c.nps_class AS nps_class,
                   (SELECT {seconds} FROM event r
                    WHERE r.opinion_id = c.id AND r.kind = 'email_received'
                      AND r.outcome = 'reply' AND r.at >= c.sent) AS seconds
            FROM (
                SELECT o.id AS id, o.nps_class AS nps_class, min(e.at) AS sent
                FROM opinion o {join}
                JOIN event e ON e.opinion_id = o.id
                WHERE {where} AND e.kind = 'email_sent'
                GROUP BY o.id, o.nps_class
            ) c""",
        params,
    ).fetchall()
    return [
        EmailedCase(
            str(row["nps_class"]), None if row["seconds"] is None else float(row["seconds"])
        )
        for row in rows
    ]
