"""Bulk case changes: archive, unarchive and assign many opinions in one transaction.

Each run changes what it can and says what it skipped and why; the versions it leaves let
an undo restore exactly those cases, unless one changed since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from npsdesk.clock import Clock
from npsdesk.store import bulk_writes, writes
from npsdesk.store.db import Database
from npsdesk.store.errors import NotFound

# Why a case was left alone.
SKIP_NOT_FOUND = "not_found"
SKIP_ALREADY_ARCHIVED = "already_archived"
SKIP_NOT_ARCHIVED = "not_archived"
SKIP_ALREADY_RESPONSIBLE = "already_responsible"
SKIP_CHANGED_SINCE = "changed_since"


@dataclass(frozen=True)
class BulkResult:
    verb: str  # archive | unarchive | assign
    changed: Mapping[int, int]  # opinion id -> its version after the change
    skipped: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # reason -> ids

    @property
    def skipped_count(self) -> int:
        return sum(len(ids) for ids in self.skipped.values())


class BulkService:
    def __init__(self, db: Database, clock: Clock, actor: str) -> None:
        self.db = db
        self.clock = clock
        self.actor = actor

    def archive(self, ids: Iterable[int], expected: Mapping[int, int] | None = None) -> BulkResult:
        """Archive; with `expected` ({id: version}), only cases still at that version."""
        return self._set_archived(list(dict.fromkeys(ids)), True, expected)

    def unarchive(
        self, ids: Iterable[int], expected: Mapping[int, int] | None = None
    ) -> BulkResult:
        """Unarchive; with `expected` ({id: version}), only cases still at that version."""
        return self._set_archived(list(dict.fromkeys(ids)), False, expected)

    def _set_archived(
        self, ids: list[int], archived: bool, expected: Mapping[int, int] | None
    ) -> BulkResult:
        now = self.clock.now()
        with self.db.write() as conn:
            writes.upsert_analyst(conn, self.actor, now)
            changed = bulk_writes.set_archived(conn, ids, archived, self.actor, now, expected)
            rest = [i for i in ids if i not in changed]
            found = bulk_writes.states(conn, rest)
        skipped: dict[str, list[int]] = {}
        for opinion_id in rest:
            row = found.get(opinion_id)
            if row is None:
                reason = SKIP_NOT_FOUND
            elif bool(row["archived"]) == archived:
                reason = SKIP_ALREADY_ARCHIVED if archived else SKIP_NOT_ARCHIVED
            else:
                reason = SKIP_CHANGED_SINCE
            skipped.setdefault(reason, []).append(opinion_id)
        verb = "archive" if archived else "unarchive"
        return BulkResult(verb, changed, {k: tuple(v) for k, v in skipped.items()})

    def assign(self, ids: Iterable[int], username: str | None) -> BulkResult:
        """Make `username` responsible (None clears it) for every case not already theirs."""
        wanted = list(dict.fromkeys(ids))
        now = self.clock.now()
        with self.db.write() as conn:
            analyst = None
            if username is not None:
                analyst = writes.analyst_id(conn, username)
                if analyst is None:
                    known = ", ".join(writes.analyst_usernames(conn)) or "none yet"
                    raise NotFound(f"unknown analyst '{username}' (known: {known})")
            writes.upsert_analyst(conn, self.actor, now)
            changed = bulk_writes.set_responsible(conn, wanted, analyst, username, self.actor, now)
            rest = [i for i in wanted if i not in changed]
            found = bulk_writes.states(conn, rest)
        skipped: dict[str, list[int]] = {}
        for opinion_id in rest:
            reason = SKIP_NOT_FOUND if opinion_id not in found else SKIP_ALREADY_RESPONSIBLE
            skipped.setdefault(reason, []).append(opinion_id)
        return BulkResult("assign", changed, {k: tuple(v) for k, v in skipped.items()})
