"""Writes: respondents, opinions, case fields, followers and the append-only history.

Every function takes the connection of an open write transaction (`Database.write()`), so a
use case composes several of them atomically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from npsdesk.store.connection import Connection, Cursor, Row, locking
from npsdesk.store.db import to_db_time

CASE_FIELDS = frozenset(
    {
        "status",
        "archived",
        "deadline",
        "priority",
        "category_id",
        "type",
        "responsible_id",
        "first_action_at",
        "closed_at",
    }
)


@dataclass(frozen=True)
class NewEvent:
    kind: str
    at: datetime
    actor: str
    opinion_id: int | None = None
    respondent_id: int | None = None
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    channel: str | None = None
    outcome: str | None = None
    subject: str | None = None
    body: str | None = None
    batch_id: int | None = None
    message_id: str | None = None


INSERT_EVENT = """
    INSERT INTO event (opinion_id, respondent_id, at, actor, kind, field, old_value,
                       new_value, channel, outcome, subject, body, batch_id, message_id)
    VALUES (:opinion_id, :respondent_id, :at, :actor, :kind, :field, :old_value,
            :new_value, :channel, :outcome, :subject, :body, :batch_id, :message_id)
"""


def append_events(conn: Connection, events: Iterable[NewEvent]) -> None:
    """Many history entries in one prepared statement (an import's changes)."""
    conn.executemany(INSERT_EVENT, (_event_params(event) for event in events))


def append_event(conn: Connection, event: NewEvent) -> int:
    cursor = conn.execute(INSERT_EVENT + " RETURNING id", _event_params(event))
    return rowid(cursor)


def _event_params(event: NewEvent) -> dict[str, object]:
    return {
        "opinion_id": event.opinion_id,
        "respondent_id": event.respondent_id,
        "at": to_db_time(event.at),
        "actor": event.actor,
        "kind": event.kind,
        "field": event.field,
        "old_value": event.old_value,
        "new_value": event.new_value,
        "channel": event.channel,
        "outcome": event.outcome,
        "subject": event.subject,
        "body": event.body,
        "batch_id": event.batch_id,
        "message_id": event.message_id,
    }


# -- analysts and categories -------------------------------------------------------------


def upsert_analyst(
    conn: Connection,
    username: str,
    now: datetime,
    *,
    name: str | None = None,
    email: str | None = None,
    role: str | None = None,
) -> int:
    """The analyst's id, creating them on first sight; given details replace the old ones."""
    conn.execute(
        """INSERT INTO analyst (username, name, email, role, active, created_at)
           VALUES (:u, :name, :email, :role, TRUE, :now)
           ON CONFLICT (username) DO UPDATE SET
             name = coalesce(:given_name, analyst.name),
             email = coalesce(:email, analyst.email),
             role = coalesce(:role, analyst.role)""",
        {
            "u": username,
            "name": name or username,
            "given_name": name,
            "email": email,
            "role": role,
            "now": to_db_time(now),
        },
    )
    row = conn.execute("SELECT id FROM analyst WHERE username = :u", {"u": username}).fetchone()
    return int(row[0])


def analyst_id(conn: Connection, username: str, *, active: bool | None = None) -> int | None:
    """The analyst's id; with `active`, only if they are (True) or are not (False) active."""
    row = conn.execute(
        "SELECT id, active FROM analyst WHERE username = :u", {"u": username}
    ).fetchone()
    if row is None or (active is not None and bool(row[1]) != active):
        return None
    return int(row[0])


def analyst_usernames(conn: Connection) -> list[str]:
    rows = conn.execute("SELECT username FROM analyst WHERE active ORDER BY username")
    return [row[0] for row in rows]


def upsert_category(conn: Connection, name: str) -> int:
    conn.execute(
        "INSERT INTO category (name) VALUES (:n) ON CONFLICT (name) DO NOTHING", {"n": name}
    )
    row = conn.execute("SELECT id FROM category WHERE name = :n", {"n": name}).fetchone()
    return int(row[0])


def category_names(conn: Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM category WHERE active ORDER BY name")
    return [row[0] for row in rows]


def category_id(conn: Connection, name: str, *, active: bool | None = None) -> int | None:
    """The category's id; with `active`, only if it is (True) or is not (False) active."""
    row = conn.execute("SELECT id, active FROM category WHERE name = :n", {"n": name}).fetchone()
    if row is None or (active is not None and bool(row[1]) != active):
        return None
    return int(row[0])


# -- respondents and opinions ------------------------------------------------------------


@dataclass(frozen=True)
class RespondentData:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    cnpj: str | None = None
    company: str | None = None
    product: str | None = None
    vertical: str | None = None
    state: str | None = None
    last_service_at: date | None = None


def match_respondent(
    conn: Connection, cnpj: str | None, email: str | None, phone: str | None = None
) -> int | None:
    """The stored respondent for a company (CNPJ) and contact (e-mail), if any.

    A CNPJ names the customer; when a company has several contacts, the e-mail tells them
    apart, so each keeps their own name while the customer's history still gathers them all
    by CNPJ. Without a CNPJ the e-mail alone matches; with neither, the phone.
    """
    if cnpj:
        rows = conn.execute(
            "SELECT id, email FROM respondent WHERE cnpj = :c ORDER BY id", {"c": cnpj}
        ).fetchall()
        if not rows:
            return None
        if not email:
            return int(rows[0]["id"])
        for wanted in (email, None):
            for row in rows:
                if row["email"] == wanted:
                    return int(row["id"])
        return None
    if email:
        row = conn.execute(
            "SELECT id FROM respondent WHERE email = :e ORDER BY cnpj IS NOT NULL, id LIMIT 1",
            {"e": email},
        ).fetchone()
        if row is not None:
            return int(row[0])
        return None
    if phone:
        row = conn.execute(
            "SELECT id FROM respondent WHERE phone = :p AND cnpj IS NULL AND email IS NULL "
            "ORDER BY id LIMIT 1",
            {"p": phone},
        ).fetchone()
        if row is not None:
            return int(row[0])
    return None


def insert_respondent(
    conn: Connection, data: RespondentData, now: datetime, batch_id: int | None = None
) -> int:
    cursor = conn.execute(
        """INSERT INTO respondent (name, email, phone, cnpj, company, product, vertical, state,
                                   last_service_at, import_batch_id, created_at, updated_at)
           VALUES (:name, :email, :phone, :cnpj, :company, :product, :vertical, :state,
                   :last_service_at, :batch, :now, :now)
           RETURNING id""",
        {**respondent_params(data), "batch": batch_id, "now": to_db_time(now)},
    )
    return rowid(cursor)


def respondent_changes(
    conn: Connection, respondent_id: int, data: RespondentData
) -> dict[str, tuple[object, object]]:
    """What `update_respondent` would change: {field: (old, new)}, nothing written."""
    row = conn.execute("SELECT * FROM respondent WHERE id = :id", {"id": respondent_id}).fetchone()
    given = {k: v for k, v in respondent_params(data).items() if v is not None}
    return {k: (row[k], v) for k, v in given.items() if row[k] != v}


def respondent_data(values: Mapping[str, object]) -> RespondentData:
    """`RespondentData` back from the column values `respondent_params` gives."""
    day = values.get("last_service_at")
    fields = {k: v for k, v in values.items() if k != "last_service_at"}
    return RespondentData(
        **fields,  # type: ignore[arg-type]
        last_service_at=None if day is None else date.fromisoformat(str(day)),
    )


def update_respondent(
    conn: Connection, respondent_id: int, data: RespondentData, now: datetime
) -> dict[str, tuple[object, object]]:
    """Fill in or replace the given (non-empty) fields; returns {field: (old, new)} changed."""
    changed = respondent_changes(conn, respondent_id, data)
    if changed:
        sets = ", ".join(f"{k} = :{k}" for k in changed)
        conn.execute(
            f"UPDATE respondent SET {sets}, updated_at = :now WHERE id = :id",
            {
                **{k: new for k, (_, new) in changed.items()},
                "now": to_db_time(now),
                "id": respondent_id,
            },
        )
    return changed


def respondent_params(data: RespondentData) -> dict[str, object]:
    return {
        "name": data.name,
        "email": data.email,
        "phone": data.phone,
        "cnpj": data.cnpj,
        "company": data.company,
        "product": data.product,
        "vertical": data.vertical,
        "state": data.state,
        "last_service_at": None
        if data.last_service_at is None
        else data.last_service_at.isoformat(),
    }


@dataclass(frozen=True)
class OpinionData:
    source: str
    external_id: str
    respondent_id: int
    score: int
    nps_class: str
    answered_at: datetime
    deadline: date
    priority: int
    comment: str | None = None
    sent_at: datetime | None = None
    campaign: str | None = None
    internal: bool = False
    import_batch_id: int | None = None
    survey_token: str | None = None


PLATFORM_FIELDS = frozenset(
    {"score", "nps_class", "comment", "sent_at", "answered_at", "campaign", "internal"}
)
INSERT_OPINION = """
    INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, comment,
                         sent_at, answered_at, campaign, internal, status, archived,
                         deadline, priority, import_batch_id, survey_token, created_at,
                         updated_at)
    VALUES (:source, :external_id, :respondent_id, :score, :nps_class, :comment,
            :sent_at, :answered_at, :campaign, :internal, 'untreated', FALSE,
            :deadline, :priority, :batch, :token, :now, :now)
"""


def _opinion_params(data: OpinionData, now: str) -> dict[str, object]:
    return {
        "source": data.source,
        "external_id": data.external_id,
        "respondent_id": data.respondent_id,
        "score": data.score,
        "nps_class": data.nps_class,
        "comment": data.comment,
        "sent_at": None if data.sent_at is None else to_db_time(data.sent_at),
        "answered_at": to_db_time(data.answered_at),
        "campaign": data.campaign,
        "internal": data.internal,
        "deadline": data.deadline.isoformat(),
        "priority": data.priority,
        "batch": data.import_batch_id,
        "token": data.survey_token,
        "now": now,
    }


def insert_opinions(conn: Connection, rows: Iterable[OpinionData], now: datetime) -> int:
    """Many new opinions at once (imports): one prepared statement, no per-row round trip,
    and one search-index statement for them all (the index trigger skips imported rows).
    Returns the highest opinion id before them: theirs are above it."""
    stamp = to_db_time(now)
    before = int(conn.execute("SELECT coalesce(max(id), 0) FROM opinion").fetchone()[0])
    conn.executemany(INSERT_OPINION, (_opinion_params(row, stamp) for row in rows))
    _index_for_search(conn, "o.id > ? AND o.import_batch_id IS NOT NULL", before)
    return before


def _index_for_search(conn: Connection, where: str, value: object) -> None:
    conn.execute(
        "INSERT INTO opinion_search (rowid, name, company, email, comment) "
        "SELECT o.id, r.name, r.company, r.email, o.comment "
        f"FROM opinion o JOIN respondent r ON r.id = o.respondent_id WHERE {where}",
        (value,),
    )


def record_imported(
    conn: Connection,
    batch_id: int,
    actor: str,
    now: datetime,
    after: int = 0,
    *,
    at_answer: bool = False,
) -> int:
    """The `imported` event of every opinion this batch created (with an id above
    `after`), in one statement: at `now`, or with `at_answer` when each was answered."""
    at = "answered_at" if at_answer else ":now"
    cursor = conn.execute(
        f"""INSERT INTO event (opinion_id, respondent_id, at, actor, kind, batch_id, body)
           SELECT id, respondent_id, {at}, :actor, 'imported', :batch,
                  source || ' ' || external_id
           FROM opinion WHERE import_batch_id = :batch AND id > :after ORDER BY id""",
        {"now": to_db_time(now), "actor": actor, "batch": batch_id, "after": after},
    )
    return cursor.rowcount


def update_platform(
    conn: Connection, opinion_id: int, changes: Mapping[str, object], now: datetime
) -> None:
    """Set the survey platform's fields of an opinion (a later export), bumping the version."""
    unknown = set(changes) - PLATFORM_FIELDS
    if unknown:
        raise ValueError(f"not platform fields: {sorted(unknown)}")
    params = {k: db_value(v) for k, v in changes.items()}
    sets = "".join(f"{k} = :{k}, " for k in changes)
    conn.execute(
        f"UPDATE opinion SET {sets}updated_at = :now, version = version + 1 WHERE id = :id",
        {**params, "now": to_db_time(now), "id": opinion_id},
    )


def opinion_id_by_source(conn: Connection, source: str, external_id: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM opinion WHERE source = :s AND external_id = :x",
        {"s": source, "x": external_id},
    ).fetchone()
    return None if row is None else int(row[0])


def insert_opinion(conn: Connection, data: OpinionData, now: datetime) -> int:
    cursor = conn.execute(INSERT_OPINION + " RETURNING id", _opinion_params(data, to_db_time(now)))
    opinion_id = rowid(cursor)
    if data.import_batch_id is not None:  # the index trigger leaves imported rows to us
        _index_for_search(conn, "o.id = ?", opinion_id)
    return opinion_id


_IMPORT_COMPARES = """id, source, external_id, respondent_id, score, nps_class, comment,
    sent_at, answered_at, campaign, internal, deadline, priority, import_batch_id"""


def opinions_by_keys(conn: Connection, source: str, external_ids: Sequence[str]) -> list[Row]:
    """The stored opinions among `external_ids` of `source`, with what an import compares."""
    if not external_ids:
        return []
    marks = ",".join("?" * len(external_ids))
    return conn.execute(
        f"SELECT {_IMPORT_COMPARES} FROM opinion WHERE source = ? AND external_id IN ({marks})",
        [source, *external_ids],
    ).fetchall()


def opinion_for_import(conn: Connection, opinion_id: int) -> Row | None:
    """One opinion with what an import compares (as `opinions_by_keys` gives it)."""
    return conn.execute(  # type: ignore[no-any-return]
        f"SELECT {_IMPORT_COMPARES} FROM opinion WHERE id = :id", {"id": opinion_id}
    ).fetchone()


def case_row(conn: Connection, opinion_id: int) -> Row | None:
    """The raw case columns a use case checks before it changes them."""
    return conn.execute(  # type: ignore[no-any-return]
        """SELECT o.*, c.name AS category, a.username AS responsible
           FROM opinion o
           LEFT JOIN category c ON c.id = o.category_id
           LEFT JOIN analyst a ON a.id = o.responsible_id
           WHERE o.id = :id"""
        + locking(conn, "o"),
        {"id": opinion_id},
    ).fetchone()


def events_since(conn: Connection, opinion_id: int, after: int) -> list[Row]:
    """The case's history entries newer than `after` (an event id), oldest first."""
    return conn.execute(
        """SELECT id, at, actor, kind, field, old_value, new_value FROM event
           WHERE opinion_id = :id AND id > :after ORDER BY id""",
        {"id": opinion_id, "after": after},
    ).fetchall()


def update_case(
    conn: Connection, opinion_id: int, changes: Mapping[str, object], now: datetime
) -> None:
    """Set case columns (never the platform's fields), bumping the version."""
    unknown = set(changes) - CASE_FIELDS
    if unknown:
        raise ValueError(f"not case fields: {sorted(unknown)}")
    params = {k: db_value(v) for k, v in changes.items()}
    sets = "".join(f"{k} = :{k}, " for k in changes)
    conn.execute(
        f"UPDATE opinion SET {sets}updated_at = :now, version = version + 1 WHERE id = :id",
        {**params, "now": to_db_time(now), "id": opinion_id},
    )


def add_follower(conn: Connection, opinion_id: int, analyst: int) -> bool:
    cursor = conn.execute(
        """INSERT INTO opinion_follower (opinion_id, analyst_id) VALUES (:o, :a)
           ON CONFLICT DO NOTHING""",
        {"o": opinion_id, "a": analyst},
    )
    return cursor.rowcount > 0


def remove_follower(conn: Connection, opinion_id: int, analyst: int) -> bool:
    cursor = conn.execute(
        "DELETE FROM opinion_follower WHERE opinion_id = :o AND analyst_id = :a",
        {"o": opinion_id, "a": analyst},
    )
    return cursor.rowcount > 0


def db_value(value: object) -> object:
    if isinstance(value, datetime):
        return to_db_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def rowid(cursor: Cursor) -> int:
    """The id an `INSERT ... RETURNING id` gave (both back ends; no `lastrowid` needed)."""
    return int(cursor.fetchone()[0])
