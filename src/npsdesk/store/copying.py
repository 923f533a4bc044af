"""The SQL behind `npsdesk store copy`: a personal SQLite store read in chunks, written into
the team store (PostgreSQL) in bulk.

New rows take their ids from the team store's own sequences (`nextval`), so nothing needs
renumbering afterwards and the copy knows each new id before it writes the row. Rows known
to be new go straight in through COPY; those the team store may already hold are loaded the
same way into staging tables that live until the transaction ends, then one INSERT ...
SELECT writes what the team store lacks, and the same tables answer the checks made before
the commit. Every value is bound; only table and column names written here enter the SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from psycopg.types.string import StrDumper

from npsdesk.store.connection import Connection, Row
from npsdesk.store.pg_connection import PgConnection

CHUNK = 5000  # rows read from the personal store, and written, per batch

# SQLite keeps booleans as 0/1; PostgreSQL wants them as booleans.
BOOLEANS: Mapping[str, frozenset[str]] = {
    "analyst": frozenset({"active"}),
    "category": frozenset({"active"}),
    "opinion": frozenset({"internal", "archived"}),
    "outbox": frozenset({"close_on_send", "retryable"}),
    "campaign": frozenset({"auto_include", "active"}),
}

# Columns that name another row, and the table of that row: their values are remapped.
FOREIGN: Mapping[str, Mapping[str, str]] = {
    "respondent": {"import_batch_id": "import_batch"},
    "opinion": {
        "respondent_id": "respondent",
        "category_id": "category",
        "responsible_id": "analyst",
        "import_batch_id": "import_batch",
    },
    "event": {"opinion_id": "opinion", "respondent_id": "respondent", "batch_id": "import_batch"},
    "outbox": {"opinion_id": "opinion", "respondent_id": "respondent"},
    "coupon": {"outbox_id": "outbox", "respondent_id": "respondent"},
    "inbound_message": {"opinion_id": "opinion"},
    "inbound_attachment": {"inbound_id": "inbound_message"},
    "participant": {
        "campaign_id": "campaign",
        "respondent_id": "respondent",
        "outbox_id": "outbox",
        "opinion_id": "opinion",
    },
}

# An event is "already there" when the team store holds one with the same content.
EVENT_CONTENT = (
    "at",
    "actor",
    "kind",
    "field",
    "old_value",
    "new_value",
    "channel",
    "outcome",
    "subject",
    "body",
    "message_id",
)
EVENT_COLUMNS = ("opinion_id", "respondent_id", "batch_id", *EVENT_CONTENT)


# -- reading the personal store --------------------------------------------------------------


def chunks(conn: Connection, sql: str, params: Sequence[object] = ()) -> Iterator[list[Row]]:
    """The rows of a query, CHUNK at a time."""
    batch: list[Row] = []
    for row in conn.execute(sql, params):
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_of(conn: Connection, table: str, columns: Sequence[str]) -> list[Row]:
    """These columns of every row of a (small) table."""
    return conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()


def columns_of(conn: Connection, table: str) -> list[str]:
    """The columns of a table of the personal store (SQLite) but its id, in order."""
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "id"]


def source_rows(conn: Connection, table: str, columns: Sequence[str]) -> Iterator[list[Row]]:
    """A table of the personal store as rows (id, *columns), CHUNK at a time."""
    return chunks(conn, f"SELECT id, {', '.join(columns)} FROM {table} ORDER BY id")


def key_text(value: object) -> str:
    """A value as both stores compare it: the team store's text cannot hold NUL (it drops
    it, see `insert`), and NULL compares as empty."""
    return "" if value is None else str(value).replace("\x00", "")


def count(conn: Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def values(
    table: str, row: Row, columns: Sequence[str], ids: Mapping[str, Mapping[int, int]]
) -> list[object]:
    """The values of a row (id, *columns) for the team store, without the id: booleans as
    booleans, references remapped (one to a row that was not copied becomes NULL)."""
    out = list(row)[1:]
    for i, target in _conversions(table, tuple(columns)):
        value = out[i]
        if value is not None:
            out[i] = bool(value) if target is None else ids[target].get(value)
    return out


@lru_cache(maxsize=64)
def _conversions(table: str, columns: tuple[str, ...]) -> tuple[tuple[int, str | None], ...]:
    """(position, referenced table or None for a boolean) of the columns to convert."""
    booleans, foreign = BOOLEANS.get(table, frozenset()), FOREIGN.get(table, {})
    return tuple(
        (i, foreign.get(name))
        for i, name in enumerate(columns)
        if name in booleans or name in foreign
    )


# -- writing the team store -----------------------------------------------------------------


def new_ids(conn: Connection, table: str, n: int) -> list[int]:
    """`n` ids from the table's own sequence, in one statement."""
    if n <= 0:
        return []
    rows = conn.execute(
        "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)",
        (table, n),
    )
    return [int(row[0]) for row in rows]


def insert(
    conn: PgConnection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Many rows at once through COPY, PostgreSQL's bulk load (several times faster than
    even a pipelined INSERT per row); how many were given. Text goes through psycopg's own
    dumper, NUL dropped first as the team store drops it everywhere (`pg._TextDumper`,
    whose per-value Python call would cost more than the rest of the copy)."""
    count = 0
    cursor = conn.raw.cursor()
    cursor.adapters.register_dumper(str, StrDumper)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            if "\\x00" in repr(row):  # (cheap; a false alarm only costs the clean-up)
                row = [v.replace("\x00", "") if type(v) is str else v for v in row]
            copy.write_row(row)
            count += 1
    return count


def insert_new(
    conn: PgConnection, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> list[int]:
    """Insert rows under ids drawn from the team store's sequence; the ids, in order."""
    ids = new_ids(conn, table, len(rows))
    insert(conn, table, ["id", *columns], ([i, *row] for i, row in zip(ids, rows, strict=True)))
    return ids


def existing(conn: Connection, table: str, key: str, wanted: Sequence[object]) -> list[Row]:
    """The team store's rows whose `key` is among `wanted`."""
    if not wanted:
        return []
    return conn.execute(
        f"SELECT * FROM {table} WHERE {key} = ANY(?::text[])", ([str(v) for v in wanted],)
    ).fetchall()


def found_ids(conn: Connection, table: str, ids: Iterable[int]) -> set[int]:
    """Those of these ids the team store holds in `table`."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    rows = conn.execute(f"SELECT id FROM {table} WHERE id = ANY(?::integer[])", (wanted,))
    return {int(row[0]) for row in rows}


# -- staging ---------------------------------------------------------------------------------


def create_staging(conn: Connection) -> None:
    """Staging tables for this transaction only (dropped at COMMIT or ROLLBACK)."""
    for sql in (
        """CREATE TEMP TABLE copy_opinion (id integer PRIMARY KEY, source text NOT NULL,
               external_id text NOT NULL, status text, archived integer, deadline date,
               priority integer, category text, type text, responsible text,
               first_action_at timestamp, closed_at timestamp) ON COMMIT DROP""",
        """CREATE TEMP TABLE copy_respondent (id integer PRIMARY KEY, cnpj text, email text,
               name text, phone text) ON COMMIT DROP""",
        """CREATE TEMP TABLE copy_follower (opinion_id integer NOT NULL,
               analyst_id integer NOT NULL) ON COMMIT DROP""",
        "CREATE TEMP TABLE copy_event (LIKE event) ON COMMIT DROP",
    ):
        conn.execute(sql)


def stage(conn: PgConnection, table: str, columns: Sequence[str], rows: Iterable[Any]) -> int:
    return insert(conn, f"copy_{table}", columns, rows)


# The case fields as the personal store has them (`s`) and as the team store has them.
CASE_FIELDS = {
    "status": ("s.status", "o.status"),
    "archived": ("s.archived <> 0", "o.archived"),
    "deadline": ("s.deadline", "o.deadline"),
    "priority": ("s.priority", "o.priority"),
    "category": ("s.category", "c.name"),
    "type": ("s.type", "o.type"),
    "responsible": ("s.responsible", "a.username"),
    "first_action_at": ("s.first_action_at", "o.first_action_at"),
    "closed_at": ("s.closed_at", "o.closed_at"),
}
STAGED_OPINION = ("id", "source", "external_id", *CASE_FIELDS)
# The personal store's opinions with their case fields by name, as staged.
SOURCE_OPINIONS = """SELECT o.id, o.source, o.external_id, o.status, o.archived, o.deadline,
           o.priority, c.name, o.type, a.username, o.first_action_at, o.closed_at,
           o.respondent_id
    FROM opinion o LEFT JOIN category c ON c.id = o.category_id
    LEFT JOIN analyst a ON a.id = o.responsible_id ORDER BY o.id"""
_DIFFER = ", ".join(
    f"CASE WHEN ({mine}) IS DISTINCT FROM {theirs} THEN '{name}' END"
    for name, (mine, theirs) in CASE_FIELDS.items()
)


def existing_opinions(conn: Connection) -> list[Row]:
    """The staged opinions the team store already has: its id and respondent, and the case
    fields the two stores hold differently (`differ`, a list of names)."""
    conn.execute("ANALYZE copy_opinion")
    return conn.execute(
        f"""SELECT s.id AS source_id, s.source, s.external_id, o.id, o.respondent_id,
                   array_remove(ARRAY[{_DIFFER}], NULL) AS differ
            FROM copy_opinion s
            JOIN opinion o ON o.source = s.source AND o.external_id = s.external_id
            LEFT JOIN category c ON c.id = o.category_id
            LEFT JOIN analyst a ON a.id = o.responsible_id
            ORDER BY s.id"""
    ).fetchall()


def opinions_found(conn: Connection) -> int:
    return int(
        conn.execute(
            """SELECT count(*) FROM copy_opinion s
               JOIN opinion o ON o.source = s.source AND o.external_id = s.external_id"""
        ).fetchone()[0]
    )


def same_respondents(conn: Connection) -> list[tuple[int, int]]:
    """(staged id, team id) for staged respondents with the same CNPJ, e-mail, name and
    phone as one the team store holds (the lowest id when several do). Empty text is stored
    as NULL, so coalescing to '' compares NULLs as equal and still lets PostgreSQL hash the
    join."""
    conn.execute("ANALYZE copy_respondent")
    rows = conn.execute(
        """SELECT s.id, min(r.id) FROM copy_respondent s
           JOIN respondent r ON coalesce(r.cnpj, '') = coalesce(s.cnpj, '')
                AND coalesce(r.email, '') = coalesce(s.email, '')
                AND coalesce(r.name, '') = coalesce(s.name, '')
                AND coalesce(r.phone, '') = coalesce(s.phone, '')
           GROUP BY s.id"""
    )
    return [(int(row[0]), int(row[1])) for row in rows]


def index_for_search(conn: Connection, opinion_ids: Sequence[int]) -> None:
    """Search rows for new opinions of an import: the index trigger leaves those to the
    importer (revision 0002), and the copy is one here."""
    if opinion_ids:
        conn.execute(
            """INSERT INTO opinion_search (rowid, name, company, email, comment)
               SELECT o.id, r.name, r.company, r.email, o.comment
               FROM opinion o JOIN respondent r ON r.id = o.respondent_id
               WHERE o.id = ANY(?::integer[]) AND o.import_batch_id IS NOT NULL""",
            (list(opinion_ids),),
        )


def copy_followers(conn: Connection) -> tuple[int, int]:
    """(followers written, staged followers the team store now holds)."""
    written = conn.execute(
        """INSERT INTO opinion_follower (opinion_id, analyst_id)
           SELECT DISTINCT opinion_id, analyst_id FROM copy_follower
           ON CONFLICT DO NOTHING"""
    ).rowcount
    found = conn.execute(
        """SELECT count(*) FROM copy_follower s JOIN opinion_follower f
           ON f.opinion_id = s.opinion_id AND f.analyst_id = s.analyst_id"""
    ).fetchone()[0]
    return int(written), int(found)


_SAME_CONTENT = " AND ".join(f"e.{name} IS NOT DISTINCT FROM s.{name}" for name in EVENT_CONTENT)
# The candidates come from the index on (opinion_id, id), else on (respondent_id, id).
_SAME_CASE_EVENT = f"SELECT 1 FROM event e WHERE e.opinion_id = s.opinion_id AND {_SAME_CONTENT}"
_SAME_CUSTOMER_EVENT = f"""SELECT 1 FROM event e WHERE e.opinion_id IS NULL
    AND (e.respondent_id = s.respondent_id OR (e.respondent_id IS NULL AND s.respondent_id IS NULL))
    AND {_SAME_CONTENT}"""
# One condition per kind of entry, each alone in its statement so the planner may turn the
# NOT EXISTS into an anti-join.
_MISSING = (
    f"s.opinion_id IS NOT NULL AND NOT EXISTS ({_SAME_CASE_EVENT})",
    f"s.opinion_id IS NULL AND NOT EXISTS ({_SAME_CUSTOMER_EVENT})",
)


def copy_events(conn: Connection) -> int:
    """Write the staged entries the team store lacks, oldest first; how many."""
    conn.execute("ANALYZE copy_event")  # temporary tables get no statistics by themselves
    cols = ", ".join(EVENT_COLUMNS)
    written = 0
    for missing in _MISSING:
        written += conn.execute(
            f"INSERT INTO event ({cols}) SELECT {cols} FROM copy_event s WHERE {missing} "
            "ORDER BY s.id"
        ).rowcount
    return written


def events_missing(conn: Connection) -> int:
    """Staged entries the team store does not hold (0 after a good copy)."""
    return sum(
        int(conn.execute(f"SELECT count(*) FROM copy_event s WHERE {missing}").fetchone()[0])
        for missing in _MISSING
    )


def events_of(conn: Connection, opinions: Sequence[int], respondents: Sequence[int]) -> int:
    """The team store's entries of these cases, and of these customers outside a case."""
    row = conn.execute(
        """SELECT (SELECT count(*) FROM event WHERE opinion_id = ANY(?::integer[]))
                + (SELECT count(*) FROM event
                   WHERE opinion_id IS NULL AND respondent_id = ANY(?::integer[]))""",
        (list(opinions), list(respondents)),
    ).fetchone()
    return int(row[0])


def follower_pairs(conn: Connection) -> list[Row]:
    """(opinion_id, analyst_id) of every follower."""
    return conn.execute("SELECT opinion_id, analyst_id FROM opinion_follower").fetchall()


def one_snapshot(conn: Connection) -> None:
    """The team store's transaction sees one snapshot; a concurrent change to the same rows
    fails it instead of skewing its counts."""
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
