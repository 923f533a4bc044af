"""Status transitions of a case and the rules around closing and e-mailing.

untreated -> in_treatment -> closed; reopening goes back to in_treatment. Archiving is
a separate flag and never changes the status.
"""

from __future__ import annotations

import unicodedata

from npsdesk.domain.models import DomainError, Status, TicketType

__all__ = [
    "CLOSE_FIELDS",
    "TICKET_TYPE_LABELS",
    "CloseRefused",
    "InvalidTransition",
    "can_email_respondent",
    "check_can_email",
    "check_close",
    "check_reopen",
    "fold",
    "missing_for_close",
    "parse_ticket_type",
    "status_after_action",
    "ticket_type_label",
]

CLOSE_FIELDS: tuple[str, ...] = ("type", "category", "responsible")

TICKET_TYPE_LABELS: dict[str, dict[TicketType, str]] = {
    "pt": {
        TicketType.PRAISE: "Elogio",
        TicketType.COMPLAINT: "Reclamação",
        TicketType.SUGGESTION: "Sugestão",
        TicketType.NONE: "Nenhum",
    },
    "en": {
        TicketType.PRAISE: "Praise",
        TicketType.COMPLAINT: "Complaint",
        TicketType.SUGGESTION: "Suggestion",
        TicketType.NONE: "None",
    },
}


class InvalidTransition(DomainError):
    """A status change the workflow does not allow."""


class CloseRefused(DomainError):
    """Closing without the ticket fields; ``missing`` names them in form order."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = tuple(missing)
        super().__init__(key="refusal.case.close_missing", fields=self.missing)

    def __reduce__(self) -> tuple[type[CloseRefused], tuple[tuple[str, ...]]]:
        return (type(self), (self.missing,))


def status_after_action(status: Status) -> Status:
    """Any first action (contact, note, e-mail, edit) starts the treatment.

    A closed case stays closed: a note on it does not reopen it.
    """
    if status == Status.UNTREATED:
        return Status.IN_TREATMENT
    return Status(status)


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def missing_for_close(
    type: TicketType | None,  # shadows the builtin: the domain field is "type"
    category: str | None,
    responsible: str | None,
) -> tuple[str, ...]:
    """The ticket fields still empty, among ("type", "category", "responsible")."""
    missing: list[str] = []
    if type is None or (isinstance(type, str) and not type.strip()):
        missing.append("type")
    if _blank(category):
        missing.append("category")
    if _blank(responsible):
        missing.append("responsible")
    return tuple(missing)


def check_close(
    status: Status,
    type: TicketType | None,  # shadows the builtin: the domain field is "type"
    category: str | None,
    responsible: str | None,
) -> Status:
    """Status.CLOSED if the case may close; else CloseRefused or InvalidTransition.

    An untreated case may close directly (a promoter's "send and close").
    """
    if status == Status.CLOSED:
        raise InvalidTransition(key="refusal.case.already_closed")
    missing = missing_for_close(type, category, responsible)
    if missing:
        raise CloseRefused(missing)
    return Status.CLOSED


def check_reopen(status: Status, reason: str | None) -> Status:
    """Only a closed case reopens, with a reason; it goes back to in_treatment."""
    if status != Status.CLOSED:
        raise InvalidTransition(key="refusal.case.reopen_closed_only", status=Status(status).value)
    if _blank(reason):
        raise InvalidTransition(key="refusal.case.reopen_reason")
    return Status.IN_TREATMENT


def can_email_respondent(internal: bool) -> bool:
    """Internal surveys (the company's own staff) never get loop e-mails."""
    return not internal


def check_can_email(internal: bool) -> None:
    if not can_email_respondent(internal):
        raise DomainError(key="refusal.case.internal_no_email")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Reclamação" -> "reclamacao"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_TYPE_BY_NAME: dict[str, TicketType] = {
    **{fold(t.value): t for t in TicketType},
    **{fold(label): t for labels in TICKET_TYPE_LABELS.values() for t, label in labels.items()},
}


def _choices() -> str:
    pt = TICKET_TYPE_LABELS["pt"]
    return ", ".join(f"{t.value} ({pt[t]})" for t in TicketType)


def parse_ticket_type(text: str) -> TicketType:
    """The English value or a Portuguese/English label, ignoring case and accents."""
    found = _TYPE_BY_NAME.get(fold(text)) if isinstance(text, str) else None
    if found is None:
        raise DomainError(key="refusal.type.unknown", text=text, choices=_choices())
    return found


def ticket_type_label(ticket_type: TicketType, language: str = "pt") -> str:
    """The label shown in the UI; unknown languages fall back to English."""
    labels = TICKET_TYPE_LABELS.get(language, TICKET_TYPE_LABELS["en"])
    return labels[TicketType(ticket_type)]
