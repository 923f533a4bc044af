"""Reads: opinions with their respondent, history, look-ups and period counts.

Plain SQL with named parameters over a DB-API connection, so the CLI's cold path never
loads an ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from npsdesk.domain.lookup_terms import (
    Cnpj,
    CnpjRoot,
    Email,
    ExternalId,
    OpinionId,
    Phone,
    PhoneEnd,
    Words,
    lookup_terms,
)
from npsdesk.store import search
from npsdesk.store.connection import Connection, Row
from npsdesk.store.db import db_date, db_time, from_db_time
from npsdesk.store.records import EventView, OpinionView, PeriodCounts
from npsdesk.store.visibility import hidden

OPINION_COLUMNS = """
    o.id, o.source, o.external_id, o.score, o.nps_class, o.status, o.archived, o.deadline,
    o.priority, o.comment, o.sent_at, o.answered_at, o.campaign, o.internal, o.type,
    c.name AS category, a.username AS responsible, o.first_action_at, o.closed_at, o.version,
    o.respondent_id, r.name, r.email, r.phone, r.cnpj, r.company, r.product, r.vertical,
    r.state
"""
OPINION_FROM = """
    FROM opinion o
    JOIN respondent r ON r.id = o.respondent_id
    LEFT JOIN category c ON c.id = o.category_id
    LEFT JOIN analyst a ON a.id = o.responsible_id
"""
EVENT_COLUMNS = (
    "id, opinion_id, at, actor, kind, field, old_value, new_value, channel, outcome, subject, body"
)


def _opinion(row: Row, followers: tuple[str, ...] = ()) -> OpinionView:
    return OpinionView(
        id=row["id"],
        source=row["source"],
        external_id=row["external_id"],
        score=row["score"],
        nps_class=row["nps_class"],
        status=row["status"],
        archived=bool(row["archived"]),
        deadline=db_date(row["deadline"]),
        priority=row["priority"],
        comment=row["comment"],
        sent_at=from_db_time(row["sent_at"]),
        answered_at=db_time(row["answered_at"]),
        campaign=row["campaign"],
        internal=bool(row["internal"]),
        type=row["type"],
        category=row["category"],
        responsible=row["responsible"],
        first_action_at=from_db_time(row["first_action_at"]),
        closed_at=from_db_time(row["closed_at"]),
        version=row["version"],
        respondent_id=row["respondent_id"],
        name=row["name"],
        email=row["email"],
        phone=row["phone"],
        cnpj=row["cnpj"],
        company=row["company"],
        product=row["product"],
        vertical=row["vertical"],
        state=row["state"],
        followers=followers,
    )


def _event(row: Row) -> EventView:
    return EventView(
        id=row["id"],
        opinion_id=row["opinion_id"],
        at=db_time(row["at"]),
        actor=row["actor"],
        kind=row["kind"],
        field=row["field"],
        old_value=row["old_value"],
        new_value=row["new_value"],
        channel=row["channel"],
        outcome=row["outcome"],
        subject=row["subject"],
        body=row["body"],
    )


def opinions_by_ids(
    conn: Connection, ids: Iterable[int], *, newest_first: bool = True
) -> list[OpinionView]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    order = "o.answered_at DESC, o.id DESC" if newest_first else "o.answered_at, o.id"
    rows = conn.execute(
        f"SELECT {OPINION_COLUMNS} {OPINION_FROM} WHERE o.id IN ({marks}){hidden(conn)} "
        f"ORDER BY {order}",
        wanted,
    ).fetchall()
    return [_opinion(row) for row in rows]


def get_opinion(conn: Connection, opinion_id: int) -> OpinionView | None:
    row = conn.execute(
        f"SELECT {OPINION_COLUMNS} {OPINION_FROM} WHERE o.id = :id{hidden(conn)}",
        {"id": opinion_id},
    ).fetchone()
    if row is None:
        return None
    return _opinion(row, followers(conn, opinion_id))


def opinion_id_by_external(conn: Connection, external_id: str) -> list[int]:
    rows = conn.execute(
        f"SELECT o.id FROM opinion o WHERE o.external_id = :x{hidden(conn)} ORDER BY o.id",
        {"x": external_id},
    ).fetchall()
    return [row[0] for row in rows]


def followers(conn: Connection, opinion_id: int) -> tuple[str, ...]:
    rows = conn.execute(
        """SELECT a.username FROM opinion_follower f JOIN analyst a ON a.id = f.analyst_id
           WHERE f.opinion_id = :id ORDER BY a.username""",
        {"id": opinion_id},
    ).fetchall()
    return tuple(row[0] for row in rows)


def opinion_history(conn: Connection, opinion_id: int) -> list[EventView]:
    """The case's events, oldest first."""
    rows = conn.execute(
        f"SELECT {EVENT_COLUMNS} FROM event WHERE opinion_id = :id ORDER BY at, id",
        {"id": opinion_id},
    ).fetchall()
    return [_event(row) for row in rows]


def customer_opinion_ids(conn: Connection, cnpj: str | None, email: str | None) -> list[int]:
    """Every opinion of the customer: the same CNPJ, or the same e-mail when there is none."""
    if cnpj:
        where, params = "r.cnpj = :v", {"v": cnpj}
    elif email:
        where, params = "r.email = :v", {"v": email}
    else:
        return []
    rows = conn.execute(
        f"""SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id
            WHERE {where}{hidden(conn)} ORDER BY o.answered_at, o.id""",
        params,
    ).fetchall()
    return [row[0] for row in rows]


def customer_history(conn: Connection, opinion_ids: Sequence[int]) -> list[EventView]:
    """The customer's timeline across all their opinions, oldest first."""
    if not opinion_ids:
        return []
    marks = ",".join("?" * len(opinion_ids))
    rows = conn.execute(
        f"SELECT {EVENT_COLUMNS} FROM event WHERE opinion_id IN ({marks}) ORDER BY at, id",
        list(opinion_ids),
    ).fetchall()
    return [_event(row) for row in rows]


# -- find -------------------------------------------------------------------------------


def find_ids(conn: Connection, text: str, limit: int) -> list[int]:
    """Opinion ids matching one free query, each meaning `lookup_terms` reads in it (id,
    external id, CNPJ, e-mail, phone or words) in turn, without repeats."""
    found: list[int] = []
    seen: set[int] = set()
    unlanded = hidden(conn)

    def add(rows: Iterable[Row]) -> None:
        for row in rows:
            if row[0] not in seen:
                seen.add(row[0])
                found.append(row[0])

    def by_respondent(where: str, params: dict[str, object]) -> None:
        add(
            conn.execute(
                f"""SELECT o.id FROM respondent r JOIN opinion o ON o.respondent_id = r.id
                    WHERE {where}{unlanded} ORDER BY o.answered_at DESC LIMIT :limit""",
                {**params, "limit": limit},
            )
        )

    for term in lookup_terms(text):
        match term:
            case ExternalId(value):
                sql = f"SELECT o.id FROM opinion o WHERE o.external_id = :x{unlanded}"
                add(conn.execute(sql, {"x": value}))
            case OpinionId(value):
                add(
                    conn.execute(
                        f"SELECT o.id FROM opinion o WHERE o.id = :id{unlanded}", {"id": value}
                    )
                )
            case Cnpj(value):
                by_respondent("r.cnpj = :cnpj", {"cnpj": value})
            case Email(value):
                by_respondent("r.email = :email", {"email": value})
                if not found:  # a beginning of an address; a range so the index serves it
                    by_respondent(
                        "r.email >= :lo AND r.email < :hi", {"lo": value, "hi": value + "\uffff"}
                    )
            case Phone(e164):
                by_respondent("r.phone = :phone", {"phone": e164})
            case PhoneEnd(digits):  # a scan: a number typed without its area code
                by_respondent("r.phone LIKE :phone", {"phone": "%" + digits})
            case CnpjRoot(value):
                by_respondent("r.cnpj >= :lo AND r.cnpj < :hi", {"lo": value, "hi": value + "~"})
            case Words(words):
                matching = search.matching_ids(conn, words, "q")
                if matching is not None:
                    add(
                        conn.execute(
                            f"""SELECT o.id FROM opinion o WHERE o.id IN ({matching[0]}){unlanded}
                                ORDER BY o.answered_at DESC LIMIT :limit""",
                            {**matching[1], "limit": limit},
                        )
                    )
    return found


# -- periods ----------------------------------------------------------------------------


def period_counts(
    conn: Connection,
    *,
    start: str | None,
    end: str | None,
    today: date,
    verticals: Sequence[str] | None = None,
    include_internal: bool = False,
) -> PeriodCounts:
    """Counts of the opinions answered in [start, end) (store time text; None = open)."""
    # Times are text in DATETIME (numeric affinity) columns: compare them only with full
    # time strings, never with number-like sentinels, which SQLite would turn into numbers.
    where = ["TRUE"]
    params: dict[str, object] = {"today": today.isoformat()}
    if start is not None:
        where.append("o.answered_at >= :start")
        params["start"] = start
    if end is not None:
        where.append("o.answered_at < :end")
        params["end"] = end
    join = ""
    if verticals is not None:
        marks = ", ".join(f":v{i}" for i in range(len(verticals)))
        join = "JOIN respondent r ON r.id = o.respondent_id"
        where.append(f"r.vertical IN ({marks})")
        params.update({f"v{i}": v for i, v in enumerate(verticals)})
    internal = "" if include_internal else "NOT o.internal AND"
    row = conn.execute(
        f"""SELECT
              count(*) FILTER (WHERE {internal} TRUE) AS total,
              count(*) FILTER (WHERE {internal} o.nps_class = 'promoter') AS promoters,
              count(*) FILTER (WHERE {internal} o.nps_class = 'neutral') AS neutrals,
              count(*) FILTER (WHERE {internal} o.nps_class = 'detractor') AS detractors,
              count(*) FILTER (WHERE {internal} o.status = 'untreated') AS untreated,
              count(*) FILTER (WHERE {internal} o.status = 'in_treatment') AS in_treatment,
              count(*) FILTER (WHERE {internal} o.status = 'closed') AS closed,
              count(*) FILTER (WHERE {internal} o.archived) AS archived,
              count(*) FILTER (WHERE {internal} o.status <> 'closed' AND o.deadline < :today)
                AS overdue,
              count(*) FILTER (WHERE o.internal) AS internal_count
            FROM opinion o {join}
            WHERE {" AND ".join(where)}{hidden(conn)}""",
        params,
    ).fetchone()
    return PeriodCounts(
        total=row["total"],
        promoters=row["promoters"],
        neutrals=row["neutrals"],
        detractors=row["detractors"],
        untreated=row["untreated"],
        in_treatment=row["in_treatment"],
        closed=row["closed"],
        archived=row["archived"],
        overdue=row["overdue"],
        internal_excluded=0 if include_internal else row["internal_count"],
    )


def verticals(conn: Connection) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT vertical FROM respondent WHERE vertical IS NOT NULL"
        f"{hidden(conn, 'respondent')} ORDER BY vertical"
    ).fetchall()
    return [row[0] for row in rows]


def untreated_promoters(conn: Connection) -> list[int]:
    """Promoters nobody has treated or archived yet (external surveys only), oldest first."""
    rows = conn.execute(
        "SELECT id FROM opinion WHERE nps_class = 'promoter' AND NOT internal "
        f"AND status = 'untreated' AND NOT archived{hidden(conn, 'opinion')} ORDER BY id"
    ).fetchall()
    return [int(row[0]) for row in rows]
