"""Answering customers: compose from templates, queue in the outbox, deliver, record.

Nothing is lost and nothing is sent twice: a message gets its outbox row and Message-ID
before any network I/O; delivery claims one row at a time inside a write transaction; an
answer the server never gave after the data went out leaves the message `unknown`, which
is never resent on its own. The case history gets the e-mail when the server accepted it,
and "send and close" closes the case then, only if the close rules pass.

`MailService` is assembled from three parts: composing and queueing (`mail_core`),
promoters' thank-yous and coupons (`mail_thanks`) and delivery (`mail_delivery`).
"""

from __future__ import annotations

from npsdesk.services.mail_core import (
    Delivery,
    Draft,
    MailRefused,
    Sender,
    Thanks,
    email_hash,
)
from npsdesk.services.mail_delivery import Delivering
from npsdesk.services.mail_thanks import Thanking


class MailService(Thanking, Delivering):
    """Everything about e-mailing customers, as one analyst (`actor`)."""


__all__ = ["Delivery", "Draft", "MailRefused", "MailService", "Sender", "Thanks", "email_hash"]
