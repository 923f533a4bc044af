"""Treatment of one case: contacts, notes, e-mails, edits, closing, reopening, archiving.

Each use case runs in one write transaction: it reads the case, asks the domain whether the
change is allowed, writes it and appends the events that tell the story.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from npsdesk.domain import workflow
from npsdesk.domain.clock import Clock
from npsdesk.domain.models import (
    Channel,
    ContactOutcome,
    DomainError,
    EventKind,
    Priority,
    Status,
    TicketType,
)
from npsdesk.errors import Change, NotFound, StaleCase
from npsdesk.store import case_reads, case_writes
from npsdesk.store.case_writes import NewEvent
from npsdesk.store.connection import Connection, Row, Store
from npsdesk.store.db import db_time


@dataclass
class _Change:
    """The case being changed inside one transaction; collects its events."""

    conn: Connection
    row: Row
    at: datetime
    actor: str
    columns: dict[str, object] = field(default_factory=dict)
    events: list[NewEvent] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def status(self) -> Status:
        return Status(str(self.columns.get("status", self.row["status"])))

    def event(
        self,
        kind: str,
        *,
        field: str | None = None,
        old_value: str | None = None,
        new_value: str | None = None,
        channel: str | None = None,
        outcome: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        message_id: str | None = None,
    ) -> None:
        self.events.append(
            NewEvent(
                kind=kind,
                at=self.at,
                actor=self.actor,
                opinion_id=self.id,
                respondent_id=int(self.row["respondent_id"]),
                field=field,
                old_value=old_value,
                new_value=new_value,
                channel=channel,
                outcome=outcome,
                subject=subject,
                body=body,
                message_id=message_id,
            )
        )

    def set(
        self, column: str, value: object, *, field: str, old: str | None, new: str | None
    ) -> None:
        """Change a case column, recording the edit when the shown value differs."""
        if old == new:
            return
        self.columns[column] = value
        self.event(EventKind.FIELD_CHANGED, field=field, old_value=old, new_value=new)

    def set_status(self, status: Status, reason: str | None = None) -> None:
        old = self.status
        if old == status:
            return
        self.columns["status"] = status.value
        self.event(
            EventKind.STATUS_CHANGED, field="status", old_value=old, new_value=status, body=reason
        )


@dataclass(frozen=True)
class Seen:
    """The state of a case an analyst decided on: its version and its newest history entry."""

    version: int
    last_event: int


class CaseService:
    def __init__(self, db: Store, clock: Clock, actor: str, seen: Seen | None = None) -> None:
        self.db = db
        self.clock = clock
        self.actor = actor
        # With `seen`, edits of case fields are refused when the case has moved on since
        # (optimistic locking on the version column). A refusal moves `seen` to the state
        # it reported, so saving again deliberately applies the edit on top of it.
        self.seen = seen

    def seeing(self, version: int, last_event: int) -> CaseService:
        """This service for an analyst who decided on the case at this version."""
        return CaseService(self.db, self.clock, self.actor, Seen(version, last_event))

    @contextmanager
    def _change(
        self, opinion_id: int, *, action: bool = True, check: bool = True
    ) -> Iterator[_Change]:
        """Open the case for change; an action that changed something moves an untreated
        case into treatment. `check` refuses a stale edit (notes and contacts only add)."""
        with (
            self.db.write() as conn,
            self.change_in(conn, opinion_id, action=action, check=check) as case,
        ):
            yield case

    @contextmanager
    def change_in(
        self, conn: Connection, opinion_id: int, *, action: bool = True, check: bool = True
    ) -> Iterator[_Change]:
        """`_change` inside a write transaction the caller holds (a received reply is
        stored and lands on its case in one)."""
        now = self.clock.now()
        row = case_reads.case_row(conn, opinion_id)  # locked until the end on PostgreSQL
        if row is None:
            raise NotFound(key="refusal.opinion.unknown", id=opinion_id)
        if check and self.seen is not None and int(row["version"]) != self.seen.version:
            self._refuse_stale(conn, opinion_id, int(row["version"]))
        case_writes.upsert_analyst(conn, self.actor, now)
        change = _Change(conn, row, now, self.actor)
        yield change
        if action and (change.events or change.columns):  # an edit to the same value is none
            if row["first_action_at"] is None:
                change.columns["first_action_at"] = now
            if change.status is Status.UNTREATED:
                change.set_status(workflow.status_after_action(Status.UNTREATED))
        if change.status is Status.CLOSED and row["status"] != Status.CLOSED and row["lane"] == 0:
            change.columns["lane"] = 1  # closing a case answers what awaited us
        if change.columns:
            case_writes.update_case(conn, opinion_id, change.columns, now)
        for event in change.events:
            case_writes.append_event(conn, event)

    def _refuse_stale(self, conn: Connection, opinion_id: int, version: int) -> None:
        assert self.seen is not None
        rows = case_reads.events_since(conn, opinion_id, self.seen.last_event)
        changes = [
            Change(
                db_time(r["at"]), r["actor"], r["kind"], r["field"], r["old_value"], r["new_value"]
            )
            for r in rows
        ]
        newest = max((int(r["id"]) for r in rows), default=self.seen.last_event)
        self.seen = Seen(version, newest)
        raise StaleCase(opinion_id, version, changes)

    # -- contact and messages ----------------------------------------------------------

    def log_contact(
        self, opinion_id: int, channel: Channel, outcome: ContactOutcome, note: str | None = None
    ) -> None:
        with self._change(opinion_id, check=False) as case:
            case.event(
                EventKind.CONTACT_ATTEMPT,
                channel=Channel(channel).value,
                outcome=ContactOutcome(outcome).value,
                body=_text(note),
            )

    def add_note(self, opinion_id: int, text: str) -> None:
        body = _text(text)
        if body is None:
            raise DomainError(key="refusal.note.empty")
        with self._change(opinion_id, check=False) as case:
            case.event(EventKind.NOTE, body=body)

    def record_email_sent(
        self, opinion_id: int, subject: str, body: str, message_id: str | None = None
    ) -> None:
        """Record an e-mail that went out to the respondent."""
        with self._change(opinion_id, check=False) as case:
            workflow.check_can_email(bool(case.row["internal"]))
            case.event(
                EventKind.EMAIL_SENT,
                channel=Channel.EMAIL.value,
                subject=subject,
                body=body,
                message_id=message_id,
            )
            if case.row["lane"] == 0:
                case.columns["lane"] = 1  # the customer's reply is answered

    def record_email_attempt(
        self,
        opinion_id: int,
        outcome: str,
        *,
        subject: str | None,
        reason: str | None,
        message_id: str | None,
        outbox_id: int,
    ) -> None:
        """Record an e-mail that did not get through (`failed`: it waits in the outbox for a
        retry; `unknown`: it may have arrived), so the case shows that it was tried."""
        with self._change(opinion_id, check=False) as case:
            case.event(
                EventKind.EMAIL_ATTEMPT,
                channel=Channel.EMAIL.value,
                outcome=outcome,
                subject=subject,
                body=reason,
                new_value=str(outbox_id),
                message_id=message_id,
            )

    # -- case fields ---------------------------------------------------------------------

    def assign(self, opinion_id: int, username: str | None) -> None:
        """Make `username` responsible (None clears it): delegating the case."""
        with self._change(opinion_id) as case:
            chosen = username != case.row["responsible"]
            analyst = None if username is None else self.analyst(case.conn, username, chosen=chosen)
            case.set(
                "responsible_id",
                analyst,
                field="responsible",
                old=case.row["responsible"],
                new=username,
            )

    def follow(self, opinion_id: int, username: str) -> None:
        with self._change(opinion_id, action=False, check=False) as case:
            if case_writes.add_follower(case.conn, opinion_id, self.analyst(case.conn, username)):
                case.event(EventKind.FIELD_CHANGED, field="followers", new_value=username)

    def unfollow(self, opinion_id: int, username: str) -> None:
        with self._change(opinion_id, action=False, check=False) as case:
            if case_writes.remove_follower(
                case.conn, opinion_id, self.analyst(case.conn, username)
            ):
                case.event(EventKind.FIELD_CHANGED, field="followers", old_value=username)

    def set_priority(self, opinion_id: int, priority: Priority) -> None:
        with self._change(opinion_id) as case:
            old = Priority(case.row["priority"])
            new = Priority(priority)
            case.set(
                "priority", int(new), field="priority", old=old.name.lower(), new=new.name.lower()
            )

    def set_deadline(self, opinion_id: int, deadline: date) -> None:
        with self._change(opinion_id) as case:
            case.set(
                "deadline",
                deadline,
                field="deadline",
                old=case.row["deadline"],
                new=deadline.isoformat(),
            )

    def set_category(self, opinion_id: int, name: str | None) -> None:
        with self._change(opinion_id) as case:
            self._set_category(case, name)

    def set_type(self, opinion_id: int, ticket_type: TicketType | None) -> None:
        with self._change(opinion_id) as case:
            new = None if ticket_type is None else TicketType(ticket_type).value
            case.set("type", new, field="type", old=case.row["type"], new=new)

    # -- closing, reopening, archiving ----------------------------------------------------

    def close(
        self,
        opinion_id: int,
        *,
        ticket_type: TicketType | None = None,
        category: str | None = None,
        responsible: str | None = None,
    ) -> None:
        """Close the case; given fields are set first, the rest must already be there."""
        with self._change(opinion_id) as case:
            if ticket_type is not None:
                new = TicketType(ticket_type).value
                case.set("type", new, field="type", old=case.row["type"], new=new)
            if category is not None:
                self._set_category(case, category)
            if responsible is not None:
                chosen = responsible != case.row["responsible"]
                analyst = self.analyst(case.conn, responsible, chosen=chosen)
                case.set(
                    "responsible_id",
                    analyst,
                    field="responsible",
                    old=case.row["responsible"],
                    new=responsible,
                )
            final_type = case.columns.get("type", case.row["type"])
            status = workflow.check_close(
                Status(case.row["status"]),
                None if final_type is None else TicketType(str(final_type)),
                category if category is not None else case.row["category"],
                responsible if responsible is not None else case.row["responsible"],
            )
            case.set_status(status)
            case.columns["closed_at"] = case.at

    def reopen(self, opinion_id: int, reason: str) -> None:
        with self._change(opinion_id) as case:
            status = workflow.check_reopen(Status(case.row["status"]), reason)
            case.set_status(status, reason=_text(reason))
            case.columns["closed_at"] = None

    def archive(self, opinion_id: int) -> None:
        with self._change(opinion_id, action=False) as case:
            if not case.row["archived"]:
                case.columns["archived"] = True
                case.event(EventKind.ARCHIVED)

    def unarchive(self, opinion_id: int) -> None:
        with self._change(opinion_id, action=False) as case:
            if case.row["archived"]:
                case.columns["archived"] = False
                case.event(EventKind.UNARCHIVED)

    # -- helpers -----------------------------------------------------------------------------

    def _set_category(self, case: _Change, name: str | None) -> None:
        chosen = name != case.row["category"]
        category = None if name is None else self.category(case.conn, name, chosen=chosen)
        case.set("category_id", category, field="category", old=case.row["category"], new=name)

    @staticmethod
    def analyst(conn: Connection, username: str, *, chosen: bool = False) -> int:
        """The analyst's id; one removed from the team cannot be `chosen` for a case anew
        (the cases that already name them keep them)."""
        found = case_reads.analyst_id(conn, username, active=True if chosen else None)
        if found is None:
            known = ", ".join(case_reads.analyst_usernames(conn))
            if chosen and case_reads.analyst_id(conn, username) is not None:
                raise DomainError(key="refusal.analyst.removed", name=username)
            key = "refusal.analyst.unknown" + ("" if known else "_yet")
            raise NotFound(key=key, name=username, known=known)
        return found

    @staticmethod
    def category(conn: Connection, name: str, *, chosen: bool = False) -> int:
        found = case_reads.category_id(conn, name, active=True if chosen else None)
        if found is None:
            if chosen and case_reads.category_id(conn, name) is not None:
                raise DomainError(key="refusal.category.removed", name=name)
            known = ", ".join(case_reads.category_names(conn))
            key = "refusal.category.unknown" + ("" if known else "_yet")
            raise NotFound(key=key, name=name, known=known)
        return found


def _text(text: str | None) -> str | None:
    """Free text as given, or None when blank."""
    if text is None or not text.strip():
        return None
    return text.strip()
