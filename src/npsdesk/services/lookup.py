"""Look-ups for the CLI and the desk: find, one case with its history, period report."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from npsdesk.domain.clock import Clock
from npsdesk.domain.models import DomainError
from npsdesk.domain.nps import nps_value
from npsdesk.domain.periods import Period
from npsdesk.errors import NotFound
from npsdesk.store import mailbox, queries
from npsdesk.store.connection import Store
from npsdesk.store.db import to_db_time
from npsdesk.store.records import EventView, OpinionView, PeriodCounts


@dataclass(frozen=True)
class CaseFile:
    """One opinion with everything an analyst reads before acting."""

    opinion: OpinionView
    history: list[EventView]
    customer_opinions: list[OpinionView]  # the customer's other opinions, oldest first

    def to_json(self) -> dict[str, Any]:
        return {
            **self.opinion.to_json(),
            "history": [event.to_json() for event in self.history],
            "other_opinions": [
                {
                    "id": o.id,
                    "score": o.score,
                    "class": o.nps_class,
                    "status": o.status,
                    "answered_at": o.answered_at.isoformat(),
                }
                for o in self.customer_opinions
            ],
        }


@dataclass(frozen=True)
class CustomerTimeline:
    """Everything one customer (same CNPJ, else same e-mail) said and what was done about it."""

    opinion_id: int  # the opinion it was opened from
    opinions: list[OpinionView]  # every opinion of the customer, oldest first
    events: list[EventView]  # their histories merged, oldest first

    @property
    def nps(self) -> float | None:
        classes = [o.nps_class for o in self.opinions]
        return nps_value(
            classes.count("promoter"), classes.count("neutral"), classes.count("detractor")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "opinion_id": self.opinion_id,
            "nps": self.nps,
            "opinions": [o.to_json() for o in self.opinions],
            "events": [event.to_json() for event in self.events],
        }


@dataclass(frozen=True)
class Report:
    period: Period
    timezone: str
    vertical: str | None
    counts: PeriodCounts

    @property
    def nps(self) -> float | None:
        c = self.counts
        return nps_value(c.promoters, c.neutrals, c.detractors)

    def to_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "from": None if self.period.start is None else self.period.start.isoformat(),
            "to": None if self.period.end is None else self.period.end.isoformat(),
            "timezone": self.timezone,
            "vertical": self.vertical,
            "total": c.total,
            "promoters": c.promoters,
            "neutrals": c.neutrals,
            "detractors": c.detractors,
            "nps": self.nps,
            "by_status": {
                "untreated": c.untreated,
                "in_treatment": c.in_treatment,
                "closed": c.closed,
            },
            "archived": c.archived,
            "overdue": c.overdue,
            "internal_excluded": c.internal_excluded,
        }


class LookupService:
    def __init__(self, db: Store, clock: Clock, tz: ZoneInfo) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def find(self, text: str, limit: int = 50) -> list[OpinionView]:
        """Opinions matching a CNPJ, e-mail, phone, id or words; newest answer first."""
        if not text.strip():
            raise DomainError(key="refusal.find.empty")
        with self.db.read() as conn:
            ids = queries.find_ids(conn, text, limit)
            return queries.opinions_by_ids(conn, ids)[:limit]

    def case_file(self, reference: str | int) -> CaseFile:
        """The opinion by id (or the platform's id) with its history and the customer's others."""
        with self.db.read() as conn:
            opinion_id = self._resolve(conn, reference)
            opinion = queries.get_opinion(conn, opinion_id)
            assert opinion is not None
            bouncing = mailbox.bouncing(conn, opinion.email)
            if bouncing is not None:
                opinion = replace(opinion, bouncing=bouncing)
            history = queries.opinion_history(conn, opinion_id)
            others = [
                i
                for i in queries.customer_opinion_ids(conn, opinion.cnpj, opinion.email)
                if i != opinion_id
            ]
            return CaseFile(
                opinion, history, queries.opinions_by_ids(conn, others, newest_first=False)
            )

    def customer_timeline(self, reference: str | int) -> CustomerTimeline:
        """The customer of this opinion across all their opinions: one timeline."""
        with self.db.read() as conn:
            opinion_id = self._resolve(conn, reference)
            opinion = queries.get_opinion(conn, opinion_id)
            assert opinion is not None
            ids = queries.customer_opinion_ids(conn, opinion.cnpj, opinion.email) or [opinion_id]
            return CustomerTimeline(
                opinion_id,
                queries.opinions_by_ids(conn, ids, newest_first=False),
                queries.customer_history(conn, ids),
            )

    def report(
        self, period: Period, vertical: str | None = None, *, include_internal: bool = False
    ) -> Report:
        start, end = period.bounds(self.tz)
        with self.db.read() as conn:
            chosen = None if vertical is None else matching_verticals(conn, vertical)
            counts = queries.period_counts(
                conn,
                start=None if start is None else to_db_time(start),
                end=None if end is None else to_db_time(end),
                today=self.today(),
                verticals=chosen,
                include_internal=include_internal,
            )
        return Report(
            period, self.tz.key, vertical if chosen is None else ", ".join(chosen), counts
        )

    @staticmethod
    def _resolve(conn: Any, reference: str | int) -> int:
        text = str(reference).strip()
        if text.isdigit() and queries.get_opinion(conn, int(text)) is not None:
            return int(text)
        matches = queries.opinion_id_by_external(conn, text)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = ", ".join(str(i) for i in matches)
            raise NotFound(key="refusal.opinion.ambiguous", text=text, ids=listed)
        raise NotFound(key="refusal.opinion.unknown", id=text)


def matching_verticals(conn: Any, wanted: str) -> list[str]:
    """The store's vertical names that match `wanted`, ignoring case and accents."""
    known = queries.verticals(conn)
    chosen = [v for v in known if _fold(v) == _fold(wanted)]
    if not chosen:
        listed = ", ".join(known) or "none yet"
        raise NotFound(key="refusal.vertical.unknown", text=wanted, known=listed)
    return chosen


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()
