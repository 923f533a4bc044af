"""The vocabulary of the domain: the names code, JSON and config share."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class NpsClass(StrEnum):
    PROMOTER = "promoter"
    NEUTRAL = "neutral"
    DETRACTOR = "detractor"


class Status(StrEnum):
    UNTREATED = "untreated"
    IN_TREATMENT = "in_treatment"
    CLOSED = "closed"


class TicketType(StrEnum):
    """Tipo of a closed case (Elogio, Reclamação, Sugestão, Nenhum)."""

    PRAISE = "praise"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    NONE = "none"


class Priority(IntEnum):
    """Lower sorts first. The default comes from the class; analysts may override it."""

    HIGH = 1
    MEDIUM = 2
    LOW = 3


class Channel(StrEnum):
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    OTHER = "other"


class ContactOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    LEFT_MESSAGE = "left_message"


class EventKind(StrEnum):
    IMPORTED = "imported"
    UPDATED_BY_IMPORT = "updated_by_import"
    CONTACT_ATTEMPT = "contact_attempt"
    NOTE = "note"
    EMAIL_SENT = "email_sent"
    EMAIL_ATTEMPT = "email_attempt"  # not delivered: outcome failed | unknown, body the reason
    EMAIL_RECEIVED = "email_received"  # outcome reply | auto_reply | unsubscribe
    EMAIL_BOUNCED = "email_bounced"  # outcome bounced | delayed, body the diagnostic
    COUPON_SENT = "coupon_sent"
    FIELD_CHANGED = "field_changed"
    STATUS_CHANGED = "status_changed"
    ARCHIVED = "archived"
    UNARCHIVED = "unarchived"


class Refusal(Exception):
    """Something refused, meant for the user. Raised with `key` (a catalogue key) and its
    `values`, the front door words it in the user's language (`npsdesk.i18n.explain`);
    `str()` stays the English, for logs. Raised with a message alone, that is all there is.
    """

    def __init__(self, message: str = "", *, key: str = "", **values: object) -> None:
        if key:
            from npsdesk.i18n import word  # only when refusing: the catalogue is not cheap

            message = word(key, values, "en")
        super().__init__(message)
        self.key = key
        self.values = values


class Reason(str):
    """A reason given as text (its English) that keeps its catalogue key and values, so a
    front door can word it in the user's language (`npsdesk.i18n.explain`)."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Reason:
        from npsdesk.i18n import word

        made = super().__new__(cls, word(key, values, "en"))
        made.key, made.values = key, values
        return made

    @staticmethod
    def of(error: BaseException) -> str:
        """An error's reason: keyed when the error was raised with a key."""
        key = getattr(error, "key", "")
        return Reason(key, **getattr(error, "values", {})) if key else str(error)


class DomainError(Refusal, ValueError):
    """A rule of the domain refused an input (see `Refusal` for how it is worded)."""
