"""Reads for the desk's opinion list: tabs, counts and pages in priority order.

The list is read a page at a time, never whole. A page is found through the covering index
`ix_opinion_queue (archived, status, priority, lane, deadline, answered_at, id)`: first the ids
(a keyset seek after or before a known row, or an offset for a jump), then the columns a row
shows for those ids only. Joining the respondent before the LIMIT would make SQLite sort
the whole tab. `lane` is 0 while a customer's reply awaits us: such cases come first
within their priority.

Tabs that span several statuses name them with `status IN (...)`: SQLite then reads each
status's slice of the index in order and stops once the page is full, where a bare
`archived = 0` would sort every row of the tab. PostgreSQL sorts the whole tab for
`status IN (...)` (0.3 s a page over 1M opinions), so there a page of such a tab is read as
one ordered slice per status, merged (see `_page_ids`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

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
from npsdesk.store.connection import Connection, Row, is_postgres
from npsdesk.store.db import db_date, db_time, to_db_time
from npsdesk.store.visibility import hidden

TABS: tuple[str, ...] = (
    "untreated",
    "in_treatment",
    "all",
    "archived",
    "mine",
    "following",
    "awaiting",
)

_STATUSES = ("untreated", "in_treatment", "closed")
_ALL_STATUSES = "('untreated', 'in_treatment', 'closed')"
_OPEN_STATUSES = "('untreated', 'in_treatment')"
_ORDER = "o.priority, o.lane, o.deadline, o.answered_at, o.id"
_ORDER_DESC = "o.priority DESC, o.lane DESC, o.deadline DESC, o.answered_at DESC, o.id DESC"
# the same order over the merged slices of a tab (`_page_ids`)
_MERGED = {
    False: "priority, lane, deadline, answered_at, id",
    True: "priority DESC, lane DESC, deadline DESC, answered_at DESC, id DESC",
}
_KEY = "(o.priority, o.lane, o.deadline, o.answered_at, o.id)"

_TAB_WHERE: dict[str, str] = {
    "untreated": "o.archived = FALSE AND o.status = 'untreated'",
    "in_treatment": "o.archived = FALSE AND o.status = 'in_treatment'",
    # customers whose reply nobody has answered yet, closed cases included (a reply may
    # be kept closed and flagged): few rows, found through `ix_opinion_awaiting`
    "awaiting": f"+o.archived = FALSE AND +o.status IN {_ALL_STATUSES} AND o.lane = 0",
    "all": f"o.archived = FALSE AND o.status IN {_ALL_STATUSES}",
    "archived": f"o.archived = TRUE AND o.status IN {_ALL_STATUSES}",
    # an analyst's own queues: open cases they answer for, or follow
    "mine": f"""o.archived = FALSE AND o.status IN {_OPEN_STATUSES}
        AND o.responsible_id = (SELECT id FROM analyst WHERE username = :me)""",
    # from the followed ids (few) rather than down the queue index (every open case): the
    # unary plus keeps SQLite off that index
    "following": f"""+o.archived = FALSE AND +o.status IN {_OPEN_STATUSES}
        AND o.id IN (SELECT f.opinion_id FROM opinion_follower f
                     JOIN analyst a ON a.id = f.analyst_id WHERE a.username = :me)""",
}

# The tabs that span every status, by their archived flag: on PostgreSQL their pages are
# read a status at a time (`_page_ids`).
_SPANNING: dict[str, str] = {"all": "FALSE", "archived": "TRUE"}

# What `npsdesk find` understands (`domain.lookup_terms`), as a set of ids.
_BY_RESPONDENT = "SELECT o2.id FROM respondent r2 JOIN opinion o2 ON o2.respondent_id = r2.id"

Key = tuple[int, int, str, str, int]  # the stored priority, lane, deadline, answered_at, id


@dataclass(frozen=True)
class Narrow:
    """What `f` narrows a tab to: each field set is one more condition on the opinions.

    `responsible` is a username, or NOBODY for cases without one; `overdue_on` keeps the
    open cases whose deadline is before that day; `since`/`until` bound the answer time
    (aware datetimes, `until` exclusive)."""

    nps_class: str | None = None
    vertical: str | None = None
    status: str | None = None
    responsible: str | None = None
    category: str | None = None
    campaign: str | None = None
    overdue_on: date | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, name) is not None for name in self.__dataclass_fields__)


NOBODY = "\x00nobody"  # `Narrow.responsible` for cases nobody answers for


@dataclass(frozen=True)
class ListFilter:
    """Which opinions the list shows: a tab, optional search words, who "mine" means, and
    the narrowing chosen with `f`."""

    tab: str = "untreated"
    search: str = ""
    me: str = ""
    narrow: Narrow = Narrow()

    def __post_init__(self) -> None:
        if self.tab not in TABS:
            raise ValueError(f"unknown tab {self.tab!r}")


@dataclass(frozen=True)
class ListRow:
    """One line of the list."""

    id: int
    key: Key
    score: int
    nps_class: str
    status: str
    archived: bool
    internal: bool
    priority: int
    deadline: date
    answered_at: datetime
    name: str | None
    company: str | None
    vertical: str | None
    responsible: str | None
    awaiting_us: bool = False  # the customer replied and nobody has answered yet


def search_subquery(conn: Connection, text: str) -> tuple[str, dict[str, object]] | None:
    """A SELECT of the opinion ids matching `text` the way `npsdesk find` matches it: the
    platform's id, the opinion id, a CNPJ (or its 8-digit root), an e-mail or its beginning,
    phone digits, or words of name, company, e-mail and comment. None when `text` is blank."""
    terms = lookup_terms(text)
    if not terms:
        return None
    parts: list[str] = []
    params: dict[str, object] = {}
    for term in terms:
        match term:
            case ExternalId(value):
                parts.append("SELECT id FROM opinion WHERE external_id = :s_x")
                params["s_x"] = value
            case OpinionId(value):
                parts.append("SELECT id FROM opinion WHERE id = :s_id")
                params["s_id"] = value
            case Cnpj(value):
                parts.append(f"{_BY_RESPONDENT} WHERE r2.cnpj = :s_cnpj")
                params["s_cnpj"] = value
            case Email(value):
                parts.append(f"{_BY_RESPONDENT} WHERE r2.email >= :s_lo AND r2.email < :s_hi")
                params.update(s_lo=value, s_hi=value + "\uffff")
            case Phone(e164):
                parts.append(f"{_BY_RESPONDENT} WHERE r2.phone = :s_phone")
                params["s_phone"] = e164
            case PhoneEnd(digits):
                parts.append(f"{_BY_RESPONDENT} WHERE r2.phone LIKE :s_phone")
                params["s_phone"] = "%" + digits
            case CnpjRoot(value):
                parts.append(f"{_BY_RESPONDENT} WHERE r2.cnpj >= :s_root AND r2.cnpj < :s_root_hi")
                params.update(s_root=value, s_root_hi=value + "~")
            case Words(words):
                matching = search.matching_ids(conn, words, "s_q")
                if matching is not None:
                    parts.append(matching[0])
                    params.update(matching[1])
    return " UNION ".join(parts), params


def narrow_where(n: Narrow) -> tuple[str, dict[str, object]]:
    """The narrowing as `AND ...` conditions on `opinion o`, with their parameters."""
    parts: list[str] = []
    params: dict[str, object] = {}
    if n.nps_class is not None:
        parts.append("o.nps_class = :n_class")
        params["n_class"] = n.nps_class
    if n.status is not None:
        parts.append("o.status = :n_status")
        params["n_status"] = n.status
    if n.vertical is not None:
        parts.append("o.respondent_id IN (SELECT id FROM respondent WHERE vertical = :n_vertical)")
        params["n_vertical"] = n.vertical
    if n.responsible == NOBODY:
        parts.append("o.responsible_id IS NULL")
    elif n.responsible is not None:
        parts.append("o.responsible_id = (SELECT id FROM analyst WHERE username = :n_resp)")
        params["n_resp"] = n.responsible
    if n.category is not None:
        parts.append("o.category_id = (SELECT id FROM category WHERE name = :n_category)")
        params["n_category"] = n.category
    if n.campaign is not None:
        parts.append("o.campaign = :n_campaign")
        params["n_campaign"] = n.campaign
    if n.overdue_on is not None:
        parts.append("o.status <> 'closed' AND o.deadline < :n_overdue")
        params["n_overdue"] = n.overdue_on.isoformat()
    if n.since is not None:
        parts.append("o.answered_at >= :n_since")
        params["n_since"] = to_db_time(n.since)
    if n.until is not None:
        parts.append("o.answered_at < :n_until")
        params["n_until"] = to_db_time(n.until)
    return "".join(f" AND {part}" for part in parts), params


def _where(
    conn: Connection, f: ListFilter, tab: str | None = None, status: str | None = None
) -> tuple[str, dict[str, object]]:
    """The filter's conditions on `opinion o`; with `status`, those of that status's slice
    of a tab spanning every status."""
    tab = tab or f.tab
    if status is None:
        where = _TAB_WHERE[tab]
    else:
        where = f"o.archived = {_SPANNING[tab]} AND o.status = '{status}'"
    where += hidden(conn)
    params: dict[str, object] = {"me": f.me}
    if f.narrow:
        narrowing, narrow_params = narrow_where(f.narrow)
        where += narrowing
        params.update(narrow_params)
    found = search_subquery(conn, f.search)
    if found is not None:
        sql, search_params = found
        where += f" AND o.id IN ({sql})"
        params.update(search_params)
    return where, params


def count(conn: Connection, f: ListFilter, tab: str | None = None) -> int:
    """How many opinions the filter's tab (or `tab`, with the same search) holds."""
    where, params = _where(conn, f, tab)
    return int(conn.execute(f"SELECT count(*) FROM opinion o WHERE {where}", params).fetchone()[0])


def tab_counts(conn: Connection, f: ListFilter) -> dict[str, int]:
    """Every tab's count under the filter's search; each one an index count."""
    return {tab: count(conn, f, tab) for tab in TABS}


def page(
    conn: Connection,
    f: ListFilter,
    *,
    limit: int,
    after: Key | None = None,
    before: Key | None = None,
    offset: int = 0,
    from_end: bool = False,
) -> list[ListRow]:
    """Up to `limit` rows in list order: after the row keyed `after`, before the row keyed
    `before`, or `offset` rows from the start (from the end with `from_end`)."""
    backwards = before is not None or from_end
    seek = ""
    params: dict[str, object] = {"limit": limit, "offset": offset}
    if after is not None:
        seek += f" AND {_KEY} > (:k_p, :k_l, :k_d, :k_a, :k_i)"
        params.update(_key_params(after))
    if before is not None:
        seek += f" AND {_KEY} < (:k_p, :k_l, :k_d, :k_a, :k_i)"
        params.update(_key_params(before))
    sql, where_params = _page_ids(conn, f, seek, backwards)
    ids = [int(row[0]) for row in conn.execute(sql, {**where_params, **params})]
    if backwards:
        ids.reverse()
    return rows_by_ids(conn, ids)


def _page_ids(
    conn: Connection, f: ListFilter, seek: str, backwards: bool
) -> tuple[str, dict[str, object]]:
    """The SELECT of a page's ids in list order (reversed when going `backwards`).

    On PostgreSQL a tab spanning every status is read as one slice per status, each in
    order down `ix_opinion_queue`, merged (a Merge Append that stops once the page is
    full): for `status IN (...)` it would read and sort the whole tab for every page. Not
    with search words: their matches are few to sort, and each slice would search again."""
    order = _ORDER_DESC if backwards else _ORDER
    if not (is_postgres(conn) and f.tab in _SPANNING and not f.search.strip()):
        where, params = _where(conn, f)
        sql = f"SELECT o.id FROM opinion o WHERE {where}{seek} ORDER BY {order} LIMIT :limit"
        return sql + " OFFSET :offset", params
    slices = []
    for status in _STATUSES:
        where, params = _where(conn, f, status=status)
        slices.append(
            "(SELECT o.id, o.priority, o.lane, o.deadline, o.answered_at FROM opinion o "
            f"WHERE {where}{seek} ORDER BY {order})"
        )
    merged = _MERGED[backwards]
    return f"{' UNION ALL '.join(slices)} ORDER BY {merged} LIMIT :limit OFFSET :offset", params


def rows_by_ids(conn: Connection, ids: Sequence[int]) -> list[ListRow]:
    """The list rows of `ids`, in the order given (ids no longer stored are left out)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = {
        int(row["id"]): _row(row)
        for row in conn.execute(
            f"""SELECT o.id, o.priority, o.lane, o.deadline, o.answered_at, o.score,
                       o.nps_class, o.status, o.archived, o.internal, o.replied_at,
                       r.name, r.company, r.vertical,
                       a.username AS responsible
                FROM opinion o
                JOIN respondent r ON r.id = o.respondent_id
                LEFT JOIN analyst a ON a.id = o.responsible_id
                WHERE o.id IN ({marks}){hidden(conn)}""",
            list(ids),
        )
    }
    return [found[i] for i in ids if i in found]


def _row(row: Row) -> ListRow:
    return ListRow(
        id=int(row["id"]),
        key=(
            int(row["priority"]),
            int(row["lane"]),
            str(row["deadline"]),
            str(row["answered_at"]),
            int(row["id"]),
        ),
        score=int(row["score"]),
        nps_class=str(row["nps_class"]),
        status=str(row["status"]),
        archived=bool(row["archived"]),
        internal=bool(row["internal"]),
        priority=int(row["priority"]),
        deadline=db_date(row["deadline"]),
        answered_at=db_time(row["answered_at"]),
        name=row["name"],
        company=row["company"],
        vertical=row["vertical"],
        responsible=row["responsible"],
        awaiting_us=not int(row["lane"]),
    )


def position(conn: Connection, f: ListFilter, key: Key) -> int | None:
    """Where the row keyed `key` stands in the filter's list (0-based); None when absent."""
    where, params = _where(conn, f)
    params.update(_key_params(key))
    present = conn.execute(
        f"SELECT 1 FROM opinion o WHERE {where} AND o.id = :k_i", params
    ).fetchone()
    if present is None:
        return None
    before = conn.execute(
        f"SELECT count(*) FROM opinion o WHERE {where} AND {_KEY} < (:k_p, :k_l, :k_d, :k_a, :k_i)",
        params,
    ).fetchone()[0]
    return int(before)


def all_ids(conn: Connection, f: ListFilter) -> list[int]:
    """Every opinion id the filter matches, in list order (select-all: not just a page)."""
    where, params = _where(conn, f)
    rows = conn.execute(f"SELECT o.id FROM opinion o WHERE {where} ORDER BY {_ORDER}", params)
    return [int(row[0]) for row in rows]


def key_of(conn: Connection, opinion_id: int) -> Key | None:
    row = conn.execute(
        "SELECT priority, lane, deadline, answered_at, id FROM opinion WHERE id = :id",
        {"id": opinion_id},
    ).fetchone()
    if row is None:
        return None
    return (int(row[0]), int(row[1]), str(row[2]), str(row[3]), int(row[4]))


def _key_params(key: Key) -> dict[str, object]:
    return {"k_p": key[0], "k_l": key[1], "k_d": key[2], "k_a": key[3], "k_i": key[4]}


def analysts(conn: Connection) -> list[tuple[str, str]]:
    """Active analysts as (username, name), by name: the responsible and follower choices."""
    rows = conn.execute(
        "SELECT username, coalesce(name, username) FROM analyst WHERE active ORDER BY 2, 1"
    )
    return [(str(row[0]), str(row[1])) for row in rows]


def thank_you_state(conn: Connection, opinion_id: int) -> tuple[str, str | None] | None:
    """The opinion's thank-you message (state, reason it was held back), if it has one."""
    row = conn.execute(
        "SELECT state, reason FROM outbox WHERE kind = 'thank_you' AND opinion_id = ? "
        "AND state <> 'cancelled' ORDER BY id DESC LIMIT 1",
        (opinion_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), row[1])


def thank_you_outbox(conn: Connection, opinion_id: int) -> int | None:
    row = conn.execute(
        "SELECT id FROM outbox WHERE kind = 'thank_you' AND opinion_id = ? "
        "AND state <> 'cancelled' ORDER BY id DESC LIMIT 1",
        (opinion_id,),
    ).fetchone()
    return None if row is None else int(row[0])


def thank_you_drafts_among(conn: Connection, ids: Sequence[int]) -> int:
    """How many of these opinions have a thank-you draft waiting for review."""
    total = 0
    for start in range(0, len(ids), 500):
        part = list(ids[start : start + 500])
        marks = ",".join("?" * len(part))
        total += int(
            conn.execute(
                f"SELECT count(*) FROM outbox WHERE kind = 'thank_you' AND state = 'draft' "
                f"AND opinion_id IN ({marks})",
                part,
            ).fetchone()[0]
        )
    return total


def coupon_pool(conn: Connection) -> tuple[str, int] | None:
    """The active bonus pool and how many of its codes are still free."""
    row = conn.execute("SELECT value FROM store_setting WHERE key = 'bonus.pool'").fetchone()
    if row is None or not row[0]:
        return None
    free = conn.execute(
        "SELECT count(*) FROM coupon WHERE campaign = ? AND outbox_id IS NULL", (row[0],)
    ).fetchone()[0]
    return str(row[0]), int(free)


def filter_choices(conn: Connection) -> dict[str, list[str]]:
    """The values the filter form offers: verticals, categories and campaigns in use."""
    return {
        "vertical": [
            str(row[0])
            for row in conn.execute(
                "SELECT DISTINCT vertical FROM respondent WHERE vertical IS NOT NULL"
                f"{hidden(conn, 'respondent')} ORDER BY 1"
            )
        ],
        "category": [str(row[0]) for row in conn.execute("SELECT name FROM category ORDER BY 1")],
        "campaign": [
            str(row[0])
            for row in conn.execute(
                "SELECT DISTINCT campaign FROM opinion WHERE campaign IS NOT NULL"
                f"{hidden(conn, 'opinion')} ORDER BY 1"
            )
        ],
    }
