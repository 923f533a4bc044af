"""The records the store hands out: plain rows with the names the CLI, the desk and JSON share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class OpinionView:
    id: int
    source: str
    external_id: str
    score: int
    nps_class: str
    status: str
    archived: bool
    deadline: date
    priority: int
    comment: str | None
    sent_at: datetime | None
    answered_at: datetime
    campaign: str | None
    internal: bool
    type: str | None
    category: str | None
    responsible: str | None
    first_action_at: datetime | None
    closed_at: datetime | None
    version: int
    respondent_id: int
    name: str | None
    email: str | None
    phone: str | None
    cnpj: str | None
    company: str | None
    product: str | None
    vertical: str | None
    state: str | None
    followers: tuple[str, ...] = field(default=())
    # the server's diagnostic while mail to `email` bounces; None when it does not (filled
    # for a case file, not for list rows)
    bouncing: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            "source": self.source,
            "score": self.score,
            "class": self.nps_class,
            "status": self.status,
            "archived": self.archived,
            "deadline": self.deadline.isoformat(),
            "priority": self.priority,
            "answered_at": _iso(self.answered_at),
            "sent_at": _iso(self.sent_at),
            "campaign": self.campaign,
            "internal": self.internal,
            "type": self.type,
            "category": self.category,
            "responsible": self.responsible,
            "followers": list(self.followers),
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "cnpj": self.cnpj,
            "company": self.company,
            "product": self.product,
            "vertical": self.vertical,
            "state": self.state,
            "comment": self.comment,
        }


@dataclass(frozen=True)
class EventView:
    id: int
    opinion_id: int | None
    at: datetime
    actor: str
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None
    channel: str | None
    outcome: str | None
    subject: str | None
    body: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "opinion_id": self.opinion_id,
            "at": _iso(self.at),
            "actor": self.actor,
            "kind": self.kind,
            "field": self.field,
            "old": self.old_value,
            "new": self.new_value,
            "channel": self.channel,
            "outcome": self.outcome,
            "subject": self.subject,
            "body": self.body,
        }


@dataclass(frozen=True)
class PeriodCounts:
    total: int
    promoters: int
    neutrals: int
    detractors: int
    untreated: int
    in_treatment: int
    closed: int
    archived: int
    overdue: int
    internal_excluded: int


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
