"""What the desk reads, as plain records: pages of the list, tab counts, the choices its
forms offer, the case file and the customer timeline, thank-you states, and the watch that
says another program changed the store.

The desk's only way to the store besides the writing services: each method is one read
transaction (the same queries the desk ran itself before), so paging, moving the cursor
and the first frame cost what they did. Worker threads each read on a connection of their
own; `end_thread` closes the calling thread's when its work is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from npsdesk.services.lookup import CaseFile, CustomerTimeline, LookupService
from npsdesk.store import case_reads, changes
from npsdesk.store import desk_queries as dq
from npsdesk.store.changes import ChangeWatch
from npsdesk.store.connection import Store
from npsdesk.store.desk_queries import NOBODY, TABS, Key, ListFilter, ListRow, Narrow
from npsdesk.store.records import EventView, OpinionView

__all__ = [
    "NOBODY",
    "TABS",
    "CaseFile",
    "ChangeWatch",
    "ClosingChoices",
    "CustomerTimeline",
    "DeskReads",
    "EventView",
    "FilterChoices",
    "Key",
    "ListFilter",
    "ListRow",
    "MessageState",
    "Narrow",
    "OpinionView",
    "ThankProspect",
]

Analysts = list[tuple[str, str]]  # (username, name) of the active analysts, by name


@dataclass(frozen=True)
class FilterChoices:
    """What `f` offers: the verticals, categories and campaigns in use, and the analysts."""

    values: dict[str, list[str]]
    analysts: Analysts


@dataclass(frozen=True)
class ClosingChoices:
    """What closing a case offers: the team's categories and analysts."""

    categories: list[str]
    analysts: Analysts


@dataclass(frozen=True)
class ThankProspect:
    """What confirming thank-yous over a selection tells: drafts waiting for review among
    them, and the active bonus pool with its free codes (None without one)."""

    drafts: int
    pool: tuple[str, int] | None


@dataclass(frozen=True)
class MessageState:
    """Where an outbox message stands after a delivery ("sent", "failed", ...) and why."""

    state: str
    reason: str


class DeskReads:
    def __init__(self, db: Store, lookup: LookupService) -> None:
        self._db = db
        self._lookup = lookup

    # -- the list --------------------------------------------------------------------------

    def page(
        self,
        f: ListFilter,
        *,
        limit: int,
        after: Key | None = None,
        before: Key | None = None,
        offset: int = 0,
        from_end: bool = False,
    ) -> list[ListRow]:
        """A page of the list in its order (see `desk_queries.page`): a keyset seek after
        or before a known row, or an offset from the start or the end."""
        with self._db.read() as conn:
            return dq.page(
                conn, f, limit=limit, after=after, before=before, offset=offset, from_end=from_end
            )

    def position(self, f: ListFilter, opinion_id: int) -> int | None:
        """Where the opinion stands in the filter's list (0-based); None when not listed."""
        with self._db.read() as conn:
            key = dq.key_of(conn, opinion_id)
            return None if key is None else dq.position(conn, f, key)

    def tab_counts(self, f: ListFilter) -> dict[str, int]:
        """Every tab's count under the filter's search and narrowing."""
        with self._db.read() as conn:
            return dq.tab_counts(conn, f)

    def all_ids(self, f: ListFilter) -> list[int]:
        """Every opinion id the filter matches, in list order (select-all)."""
        with self._db.read() as conn:
            return dq.all_ids(conn, f)

    # -- what the forms offer ----------------------------------------------------------------

    def filter_choices(self) -> FilterChoices:
        with self._db.read() as conn:
            return FilterChoices(dq.filter_choices(conn), dq.analysts(conn))

    def analysts(self) -> Analysts:
        with self._db.read() as conn:
            return dq.analysts(conn)

    def categories(self) -> list[str]:
        """The team's active categories, by name."""
        with self._db.read() as conn:
            return case_reads.category_names(conn)

    def closing_choices(self) -> ClosingChoices:
        with self._db.read() as conn:
            return ClosingChoices(case_reads.category_names(conn), dq.analysts(conn))

    # -- the case and its customer ------------------------------------------------------------

    def case_file(self, opinion_id: int) -> CaseFile:
        return self._lookup.case_file(opinion_id)

    def customer_timeline(self, opinion_id: int) -> CustomerTimeline:
        return self._lookup.customer_timeline(opinion_id)

    # -- thank-yous and messages --------------------------------------------------------------

    def thank_you_state(self, opinion_id: int) -> tuple[str, str | None] | None:
        """The opinion's thank-you message (state, reason it was held back), if it has one."""
        with self._db.read() as conn:
            return dq.thank_you_state(conn, opinion_id)

    def thank_you_outbox(self, opinion_id: int) -> int | None:
        """The outbox id of the opinion's thank-you, if it has one."""
        with self._db.read() as conn:
            return dq.thank_you_outbox(conn, opinion_id)

    def thank_prospect(self, ids: Sequence[int]) -> ThankProspect:
        with self._db.read() as conn:
            return ThankProspect(dq.thank_you_drafts_among(conn, ids), dq.coupon_pool(conn))

    def message_state(self, outbox_id: int) -> MessageState | None:
        from npsdesk.store import mailbox  # e-mail loads when first used

        with self._db.read() as conn:
            row = mailbox.get_message(conn, outbox_id)
        return None if row is None else MessageState(str(row["state"]), str(row["reason"] or ""))

    # -- the store itself ---------------------------------------------------------------------

    def watch(self) -> ChangeWatch:
        """The watch that says when others changed the store (and when a team store cannot
        be reached: `offline`, while it logs in again)."""
        return changes.watch(self._db)

    def end_thread(self) -> None:
        """Close the calling thread's store connection (worker threads are reused)."""
        self._db.close()

    def stop_waiting(self) -> None:
        """A write still waiting for the store gives up (the desk is closing)."""
        stop = getattr(self._db, "stop_waiting", None)
        if stop is not None:
            stop()
