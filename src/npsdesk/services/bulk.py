"""Bulk case changes: the desk's and the CLI's verbs over many opinions, in one transaction.

Archive, unarchive, assign, add a follower, set category, type, priority or deadline, and
close. Each run changes what it can and says what it skipped and why; what it leaves (the
previous values and the versions it wrote) lets `undo` restore exactly those cases, unless
one changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from npsdesk.domain import workflow
from npsdesk.domain.clock import Clock
from npsdesk.domain.models import Priority, Status, TicketType
from npsdesk.services.cases import CaseService
from npsdesk.store import bulk_writes, case_writes
from npsdesk.store.connection import Connection, Row, Store
from npsdesk.store.db import to_db_time
from npsdesk.store.desk_queries import Narrow as Narrow  # the CLI narrows its choice with it

# Why a case was left alone.
SKIP_NOT_FOUND = "not_found"
SKIP_ALREADY_ARCHIVED = "already_archived"
SKIP_NOT_ARCHIVED = "not_archived"
SKIP_ALREADY_RESPONSIBLE = "already_responsible"
SKIP_ALREADY_FOLLOWING = "already_following"
SKIP_ALREADY_SET = "already_set"
SKIP_ALREADY_CLOSED = "already_closed"
SKIP_CHANGED_SINCE = "changed_since"
SKIP_MISSING = "missing_"  # + the fields closing needs, joined by "+": "missing_category"

# The value a verb sets, looked up inside its transaction (an analyst's or category's id).
_Resolve = Callable[[Connection], object]

VERBS = (
    "archive",
    "unarchive",
    "assign",
    "follow",
    "category",
    "type",
    "priority",
    "deadline",
    "close",
    "undo",
)


@dataclass(frozen=True)
class BulkResult:
    verb: str
    changed: Mapping[int, int]  # opinion id -> its version after the change
    skipped: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # reason -> ids
    # what an undo restores: opinion id -> the previous values of the columns it set
    before: Mapping[int, Mapping[str, object]] = field(default_factory=dict)
    follower: str | None = None  # the analyst a `follow` added
    last_event: int = 0  # the newest history entry when it was done

    @property
    def skipped_count(self) -> int:
        return sum(len(ids) for ids in self.skipped.values())

    @property
    def undoable(self) -> bool:
        return self.verb != "undo" and bool(self.changed)


def missing_reason(missing: Iterable[str]) -> str:
    return SKIP_MISSING + "+".join(missing)


class BulkService:
    def __init__(self, db: Store, clock: Clock, actor: str) -> None:
        self.db = db
        self.clock = clock
        self.actor = actor

    def matching(self, tab: str, narrow: Narrow, search: str = "") -> list[int]:
        """Every opinion of `tab` that `narrow` and the `find` words keep, in list order, as
        the desk's select-all picks them ("mine" is this service's analyst)."""
        from npsdesk.store.desk_queries import ListFilter, all_ids

        with self.db.read() as conn:
            return all_ids(conn, ListFilter(tab=tab, search=search, me=self.actor, narrow=narrow))

    # -- archiving -------------------------------------------------------------------------

    def archive(self, ids: Iterable[int]) -> BulkResult:
        return self._set_archived(list(dict.fromkeys(ids)), True)

    def unarchive(self, ids: Iterable[int]) -> BulkResult:
        return self._set_archived(list(dict.fromkeys(ids)), False)

    def _set_archived(self, ids: list[int], archived: bool) -> BulkResult:
        now = self.clock.now()
        with self.db.write() as conn:
            case_writes.upsert_analyst(conn, self.actor, now)
            changed = bulk_writes.set_archived(conn, ids, archived, self.actor, now)
            rest = [i for i in ids if i not in changed]
            found = bulk_writes.states(conn, rest)
            last = bulk_writes.last_event(conn)
        skipped: dict[str, list[int]] = {}
        for opinion_id in rest:
            if opinion_id not in found:
                reason = SKIP_NOT_FOUND
            else:
                reason = SKIP_ALREADY_ARCHIVED if archived else SKIP_NOT_ARCHIVED
            skipped.setdefault(reason, []).append(opinion_id)
        before = {i: {"archived": int(not archived)} for i in changed}
        verb = "archive" if archived else "unarchive"
        return BulkResult(verb, changed, _frozen(skipped), before, last_event=last)

    # -- case fields -------------------------------------------------------------------------

    def assign(self, ids: Iterable[int], username: str | None) -> BulkResult:
        """Make `username` responsible (None clears it) for every case not already theirs."""
        return self._set("assign", ids, "responsible_id", lambda c: _analyst(c, username))

    def set_category(self, ids: Iterable[int], name: str | None) -> BulkResult:
        return self._set("category", ids, "category_id", lambda c: _category(c, name))

    def set_type(self, ids: Iterable[int], ticket_type: TicketType | None) -> BulkResult:
        value = None if ticket_type is None else TicketType(ticket_type).value
        return self._set("type", ids, "type", lambda _: value)

    def set_priority(self, ids: Iterable[int], priority: Priority) -> BulkResult:
        value = int(Priority(priority))
        return self._set("priority", ids, "priority", lambda _: value)

    def set_deadline(self, ids: Iterable[int], deadline: date) -> BulkResult:
        return self._set("deadline", ids, "deadline", lambda _: deadline.isoformat())

    def _set(
        self,
        verb: str,
        ids: Iterable[int],
        column: str,
        resolve: _Resolve,
    ) -> BulkResult:
        """One column to one value on every case; an edit is an action, so untreated cases
        move into treatment."""
        wanted = list(dict.fromkeys(ids))
        now = self.clock.now()
        with self.db.write() as conn:
            case_writes.upsert_analyst(conn, self.actor, now)
            value = resolve(conn)
            rows = {i: {column: value} for i in wanted}
            changed, before = bulk_writes.change(conn, rows, self.actor, now, action=True)
            rest = [i for i in wanted if i not in changed]
            found = bulk_writes.states(conn, rest)
            last = bulk_writes.last_event(conn)
        same = SKIP_ALREADY_RESPONSIBLE if verb == "assign" else SKIP_ALREADY_SET
        skipped: dict[str, list[int]] = {}
        for opinion_id in rest:
            skipped.setdefault(SKIP_NOT_FOUND if opinion_id not in found else same, []).append(
                opinion_id
            )
        return BulkResult(verb, changed, _frozen(skipped), before, last_event=last)

    def follow(self, ids: Iterable[int], username: str) -> BulkResult:
        """Add `username` to the followers of every case they do not follow yet."""
        wanted = list(dict.fromkeys(ids))
        now = self.clock.now()
        with self.db.write() as conn:
            case_writes.upsert_analyst(conn, self.actor, now)
            analyst = _analyst(conn, username)
            assert analyst is not None
            changed = bulk_writes.add_followers(conn, wanted, analyst, username, self.actor, now)
            rest = [i for i in wanted if i not in changed]
            found = bulk_writes.states(conn, rest)
            last = bulk_writes.last_event(conn)
        skipped: dict[str, list[int]] = {}
        for opinion_id in rest:
            reason = SKIP_NOT_FOUND if opinion_id not in found else SKIP_ALREADY_FOLLOWING
            skipped.setdefault(reason, []).append(opinion_id)
        return BulkResult("follow", changed, _frozen(skipped), follower=username, last_event=last)

    # -- closing -----------------------------------------------------------------------------

    def close(
        self,
        ids: Iterable[int],
        *,
        ticket_type: TicketType | None = None,
        category: str | None = None,
        responsible: str | None = None,
    ) -> BulkResult:
        """Close every case that may close once the given fields are set; the rest are
        skipped with what they lack ("missing_category") and keep their values."""
        wanted = list(dict.fromkeys(ids))
        now = self.clock.now()
        given: dict[str, object] = {}
        if ticket_type is not None:
            given["type"] = TicketType(ticket_type).value
        skipped: dict[str, list[int]] = {}
        with self.db.write() as conn:
            case_writes.upsert_analyst(conn, self.actor, now)
            if category is not None:
                given["category_id"] = _category(conn, category)
            if responsible is not None:
                given["responsible_id"] = _analyst(conn, responsible)
            found = bulk_writes.states(conn, wanted)
            rows: dict[int, dict[str, object]] = {}
            for opinion_id in wanted:
                row = found.get(opinion_id)
                if row is None:
                    skipped.setdefault(SKIP_NOT_FOUND, []).append(opinion_id)
                    continue
                reason = _close_refusal(row, ticket_type, category, responsible)
                if reason is not None:
                    skipped.setdefault(reason, []).append(opinion_id)
                    continue
                rows[opinion_id] = {
                    **given,
                    "status": Status.CLOSED.value,
                    "closed_at": now,
                    "first_action_at": row["first_action_at"] or to_db_time(now),
                    "lane": 1,  # closing answers a reply that awaited us
                }
            changed, before = bulk_writes.change(conn, rows, self.actor, now)
            last = bulk_writes.last_event(conn)
        return BulkResult("close", changed, _frozen(skipped), before, last_event=last)

    # -- undo --------------------------------------------------------------------------------

    def undo(self, result: BulkResult) -> BulkResult:
        """Put back what `result` changed, on the cases nobody changed since."""
        now = self.clock.now()
        with self.db.write() as conn:
            case_writes.upsert_analyst(conn, self.actor, now)
            if result.verb == "follow":
                assert result.follower is not None
                analyst = CaseService.analyst(conn, result.follower)
                changed = bulk_writes.remove_followers(
                    conn,
                    result.changed,
                    analyst,
                    result.follower,
                    self.actor,
                    now,
                    result.last_event,
                )
            else:
                rows = {i: result.before[i] for i in result.changed if i in result.before}
                changed, _ = bulk_writes.change(
                    conn,
                    rows,
                    self.actor,
                    now,
                    expected=result.changed,
                    since_event=result.last_event,
                )
        rest = tuple(i for i in result.changed if i not in changed)
        return BulkResult("undo", changed, {SKIP_CHANGED_SINCE: rest} if rest else {})


def _close_refusal(
    row: Row,
    ticket_type: TicketType | None,
    category: str | None,
    responsible: str | None,
) -> str | None:
    stored_type = row["type"]
    try:
        workflow.check_close(
            Status(row["status"]),
            ticket_type or (None if stored_type is None else TicketType(stored_type)),
            category if category is not None else row["category"],
            responsible if responsible is not None else row["responsible"],
        )
    except workflow.CloseRefused as refused:
        return missing_reason(refused.missing)
    except workflow.InvalidTransition:
        return SKIP_ALREADY_CLOSED
    return None


def _analyst(conn: Connection, username: str | None) -> int | None:
    """An active analyst's id: one removed from the team is not given new cases."""
    return None if username is None else CaseService.analyst(conn, username, chosen=True)


def _category(conn: Connection, name: str | None) -> int | None:
    return None if name is None else CaseService.category(conn, name, chosen=True)


def _frozen(skipped: Mapping[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {reason: tuple(ids) for reason, ids in skipped.items()}
