"""An opinion arriving in the store: its respondent, class, deadline, priority and first event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from npsdesk.domain.deadlines import BusinessCalendar, DeadlineRules, deadline_for
from npsdesk.domain.models import EventKind
from npsdesk.domain.nps import classify
from npsdesk.domain.ordering import default_priority
from npsdesk.store import case_reads, case_writes, intake_writes
from npsdesk.store.case_writes import NewEvent
from npsdesk.store.connection import Connection
from npsdesk.store.intake_writes import RespondentData


@dataclass(frozen=True)
class IncomingOpinion:
    source: str
    external_id: str
    score: int
    answered_at: datetime
    respondent: RespondentData
    comment: str | None = None
    sent_at: datetime | None = None
    campaign: str | None = None
    internal: bool = False


@dataclass
class Intake:
    """Registers arriving opinions inside the caller's write transaction."""

    tz: ZoneInfo
    rules: DeadlineRules
    calendar: BusinessCalendar
    actor: str

    def respondent(self, conn: Connection, data: RespondentData, now: datetime) -> int:
        """The matching respondent (by CNPJ, else e-mail), updated with what is given."""
        found = case_reads.match_respondent(conn, data.cnpj, data.email)
        if found is None:
            return intake_writes.insert_respondent(conn, data, now)
        intake_writes.update_respondent(conn, found, data, now)
        return found

    def register(
        self,
        conn: Connection,
        incoming: IncomingOpinion,
        now: datetime,
        *,
        batch_id: int | None = None,
    ) -> tuple[int, bool]:
        """(opinion id, True) for a new opinion; (existing id, False) if already stored."""
        existing = case_reads.opinion_id_by_source(conn, incoming.source, incoming.external_id)
        if existing is not None:
            return existing, False
        nps_class = classify(incoming.score)
        respondent_id = self.respondent(conn, incoming.respondent, now)
        opinion_id = intake_writes.insert_opinion(
            conn,
            intake_writes.OpinionData(
                source=incoming.source,
                external_id=incoming.external_id,
                respondent_id=respondent_id,
                score=incoming.score,
                nps_class=nps_class.value,
                answered_at=incoming.answered_at,
                deadline=deadline_for(
                    nps_class, incoming.answered_at, self.tz, self.rules, self.calendar
                ),
                priority=int(default_priority(nps_class)),
                comment=incoming.comment,
                sent_at=incoming.sent_at,
                campaign=incoming.campaign,
                internal=incoming.internal,
                import_batch_id=batch_id,
            ),
            now,
        )
        case_writes.append_event(
            conn,
            NewEvent(
                kind=EventKind.IMPORTED,
                at=now,
                actor=self.actor,
                opinion_id=opinion_id,
                respondent_id=respondent_id,
                batch_id=batch_id,
                body=f"{incoming.source} {incoming.external_id}",
            ),
        )
        return opinion_id, True
