"""A batch lands: the changes it staged to rows already shown are applied, with their history.

The landing is the one step of an import that others must wait for whole (it is what makes
the batch appear at once), so its work is planned before it, outside the write lock, from a
read of the rows as they are: what each staged change alters, the priority and deadline it
moves (only where they still hold the defaults), the `updated_by_import` history it writes.
The landing transaction checks that nobody changed those rows meanwhile (an opinion's
version, a respondent's `updated_at`), plans again only the ones that did, and writes the
rest with a prepared statement per set of columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from npsdesk.domain.models import EventKind, NpsClass
from npsdesk.domain.nps import classify
from npsdesk.domain.ordering import default_priority
from npsdesk.store import batches
from npsdesk.store import landing_writes as sql
from npsdesk.store.connection import Connection
from npsdesk.store.db import to_db_time

Staged = tuple[str, int, dict[str, Any]]  # (target, id, values), in the order staged
Target = tuple[str, int]


@dataclass
class Plan:
    staged: list[Staged]
    versions: dict[int, int] = field(default_factory=dict)  # opinion -> version read
    stamps: dict[int, str | None] = field(default_factory=dict)  # respondent -> updated_at
    sets: dict[Target, dict[str, object]] = field(default_factory=dict)  # columns to set
    history: dict[Target, list[dict[str, object]]] = field(default_factory=dict)

    def replace(self, again: Plan, stale: set[Target]) -> None:
        """The rows changed since planning get the plan made again from what they are now."""
        for target in stale:
            self.sets.pop(target, None)
            self.history.pop(target, None)
        self.sets.update(again.sets)
        self.history.update(again.history)


class Landing:
    def __init__(
        self,
        batch: int,
        now: datetime,
        actor: str,
        deadline: Callable[[NpsClass, datetime], date],
    ) -> None:
        self.batch = batch
        self.now = now
        self.at = to_db_time(now)
        self.actor = actor
        self.deadline = deadline

    def plan(self, conn: Connection) -> Plan:
        """What landing will write, from a read of the store (no lock held)."""
        return self._plan(conn, list(batches.staged_changes(conn, self.batch)))

    def apply(self, conn: Connection, plan: Plan) -> None:
        """Inside the landing transaction: check, plan again what changed, write."""
        versions = sql.opinion_versions(conn, list(plan.versions))
        stamps = sql.respondent_stamps(conn, list(plan.stamps))
        stale = {("opinion", i) for i, v in plan.versions.items() if versions.get(i) != v}
        stale |= {
            ("respondent", i)
            for i, stamp in plan.stamps.items()
            if i not in stamps or stamps[i] != stamp
        }
        if stale:
            again = self._plan(conn, [s for s in plan.staged if (s[0], s[1]) in stale])
            plan.replace(again, stale)
        sql.update_opinions(conn, _of(plan.sets, "opinion"), self.now)
        sql.update_respondents(conn, _of(plan.sets, "respondent"), self.now)
        sql.append_history(conn, [row for rows in plan.history.values() for row in rows])

    # planning ------------------------------------------------------------------------------

    def _plan(self, conn: Connection, staged: list[Staged]) -> Plan:
        plan = Plan(staged)
        opinion_ids = _unique(i for t, i, _ in staged if t == "opinion")
        respondent_ids = _unique(i for t, i, _ in staged if t != "opinion")
        opinions = {i: dict(row) for i, row in sql.opinions(conn, opinion_ids).items()}
        respondents = {i: dict(row) for i, row in sql.respondents(conn, respondent_ids).items()}
        plan.versions = {i: int(row["version"]) for i, row in opinions.items()}
        plan.stamps = {i: row["updated_at"] for i, row in respondents.items()}
        for target, target_id, values in staged:
            if target == "opinion":
                found = opinions.get(target_id)
                if found is not None:  # else erased meanwhile
                    self._opinion(plan, target_id, found, values)
            else:
                row = respondents.get(target_id)
                if row is not None:
                    self._respondent(plan, target_id, row, values)
        return plan

    def _opinion(
        self, plan: Plan, opinion_id: int, found: dict[str, Any], incoming: Mapping[str, Any]
    ) -> None:
        """A later export's platform fields; local treatment fields stay, except defaults."""
        changes = {k: new for k, new in incoming.items() if found[k] != new}
        if not changes:
            return
        nps_class = classify(int(incoming["score"]))
        if "score" in changes:
            changes["nps_class"] = nps_class.value
        answered_at = datetime.fromisoformat(f"{incoming['answered_at']}+00:00")
        case = self._recomputed_defaults(found, nps_class, answered_at)
        shown = {k: (found[k], new) for k, new in {**changes, **case}.items() if k != "nps_class"}
        found.update(changes)
        found.update(case)  # a second change of the same row compares with this one
        target = ("opinion", opinion_id)
        plan.sets.setdefault(target, {}).update({**changes, **case})
        self._history(plan, target, shown, opinion_id, int(found["respondent_id"]))

    def _recomputed_defaults(
        self, found: Mapping[str, Any], nps_class: NpsClass, answered_at: datetime
    ) -> dict[str, object]:
        """A corrected score or answer time moves priority and deadline only where nobody
        changed them by hand (they still hold the defaults of the old values)."""
        old_class = NpsClass(found["nps_class"])
        old_answered = datetime.fromisoformat(found["answered_at"] + "+00:00")
        case: dict[str, object] = {}
        if old_class is not nps_class and found["priority"] == default_priority(old_class):
            case["priority"] = int(default_priority(nps_class))
        old_deadline = self.deadline(old_class, old_answered).isoformat()
        new_deadline = self.deadline(nps_class, answered_at).isoformat()
        if found["deadline"] == old_deadline and new_deadline != old_deadline:
            case["deadline"] = new_deadline
        return case

    def _respondent(
        self, plan: Plan, respondent_id: int, row: dict[str, Any], given: Mapping[str, Any]
    ) -> None:
        """Fill in or replace the given (non-empty) fields."""
        changed = {
            k: (row[k], new) for k, new in given.items() if new is not None and row[k] != new
        }
        if not changed:
            return
        row.update({k: new for k, (_, new) in changed.items()})
        target = ("respondent", respondent_id)
        plan.sets.setdefault(target, {}).update({k: new for k, (_, new) in changed.items()})
        self._history(plan, target, changed, None, respondent_id)

    def _history(
        self,
        plan: Plan,
        target: Target,
        changed: Mapping[str, tuple[object, object]],
        opinion_id: int | None,
        respondent_id: int,
    ) -> None:
        """One `updated_by_import` history entry per changed field."""
        rows = plan.history.setdefault(target, [])
        for name, (old, new) in changed.items():
            rows.append(
                {
                    "opinion_id": opinion_id,
                    "respondent_id": respondent_id,
                    "at": self.at,
                    "actor": self.actor,
                    "kind": EventKind.UPDATED_BY_IMPORT.value,
                    "field": name,
                    "old_value": None if old is None else str(old),
                    "new_value": None if new is None else str(new),
                    "channel": None,
                    "outcome": None,
                    "subject": None,
                    "body": None,
                    "batch_id": self.batch,
                    "message_id": None,
                }
            )


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _of(
    sets: Mapping[Target, dict[str, object]], kind: str
) -> Sequence[tuple[int, dict[str, object]]]:
    return [(i, values) for (t, i), values in sets.items() if t == kind]
