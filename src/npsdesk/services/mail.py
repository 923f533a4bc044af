"""Answering customers: compose from templates, queue in the outbox, deliver, record.

Nothing is lost and nothing is sent twice: a message gets its outbox row and Message-ID
before any network I/O; delivery claims one row at a time inside a write transaction; an
answer the server never gave after the data went out leaves the message `unknown`, which
is never resent on its own. The case history gets the e-mail when the server accepted it,
and "send and close" closes the case then, only if the close rules pass.

`MailService` owns three parts and calls them: the composing core (sender, templates,
suppression, composing and queueing: `mail_core`), the promoters' thank-yous and coupons
(`mail_thanks`) and delivery (`mail_delivery`). The two others see the core only through
the narrow interface each declares (`Composer`, `Assembler`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from npsdesk.services.mail_core import (
    Bounced,
    CouponPool,
    Delivery,
    Draft,
    MailCore,
    MailRefused,
    ReplySettings,
    Sender,
    Thanks,
    email_hash,
)
from npsdesk.services.mail_delivery import Delivering
from npsdesk.services.mail_thanks import Thanking

if TYPE_CHECKING:
    from datetime import datetime
    from email.message import EmailMessage
    from pathlib import Path

    from npsdesk.bootstrap import Services
    from npsdesk.mail.templates import MailTemplate
    from npsdesk.mail.transport import Transport
    from npsdesk.services.records import OpinionView
    from npsdesk.store.connection import Row


class MailService:
    """Everything about e-mailing customers, as one analyst (`actor`). `transport` replaces
    the one the settings choose; `password_prompt` asks for the SMTP password."""

    def __init__(
        self,
        services: Services,
        actor: str | None = None,
        *,
        transport: Callable[[], Transport] | None = None,
        password_prompt: Callable[[str], str] | None = None,
    ) -> None:
        self.core = MailCore(services, actor)
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.settings = services.settings
        self.actor = self.core.actor
        self.thanking = Thanking(services, self.actor, self.core)
        self.delivering = Delivering(
            services, self.core, transport=transport, password_prompt=password_prompt
        )

    # -- the team's sender, templates and suppression list (the core) ------------------

    def sender(self, *, need_address: bool = True) -> Sender:
        return self.core.sender(need_address=need_address)

    def set_sender(
        self,
        *,
        name: str | None = None,
        reply_to: str | None = None,
        signature: str | None = None,
    ) -> None:
        self.core.set_sender(name=name, reply_to=reply_to, signature=signature)

    def is_demo(self) -> bool:
        return self.core.is_demo()

    def mark_demo(self) -> None:
        self.core.mark_demo()

    def template(self, name: str) -> MailTemplate:
        return self.core.template(name)

    def save_template(self, name: str, subject: str, body: str) -> None:
        self.core.save_template(name, subject, body)

    def install_default_templates(self) -> int:
        return self.core.install_default_templates()

    def suppress(self, address: str, reason: str | None = None) -> bool:
        return self.core.suppress(address, reason)

    def unsuppress(self, address: str) -> bool:
        return self.core.unsuppress(address)

    def is_suppressed(self, address: str) -> bool:
        return self.core.is_suppressed(address)

    def bounce_flag(self, address: str) -> tuple[str | None, datetime] | None:
        return self.core.bounce_flag(address)

    def clear_bounce(self, address: str) -> bool:
        return self.core.clear_bounce(address)

    def bounced(self) -> list[Bounced]:
        return self.core.bounced()

    def reply_settings(self) -> ReplySettings:
        return self.core.reply_settings()

    def set_reply_settings(
        self,
        *,
        plus_address: bool | None = None,
        subject_tag: bool | None = None,
        unsubscribe_url: str | None = None,
    ) -> ReplySettings:
        return self.core.set_reply_settings(
            plus_address=plus_address, subject_tag=subject_tag, unsubscribe_url=unsubscribe_url
        )

    # -- composing, queueing and the outbox (the core) ---------------------------------

    def check_can_mail(self, opinion: OpinionView) -> str:
        return self.core.check_can_mail(opinion)

    def compose(
        self,
        opinion_id: int,
        template: str | None = None,
        *,
        answering: int | None = None,
        quote: bool = False,
    ) -> Draft:
        """The case's template for its customer; `answering` a received message on the case
        makes it a threaded answer ("Re:", In-Reply-To, References), `quote` quotes it."""
        return self.core.compose(opinion_id, template, answering=answering, quote=quote)

    def full_body(self, body: str, sender: Sender | None = None) -> str:
        return self.core.full_body(body, sender)

    def build(self, draft: Draft) -> EmailMessage:
        return self.core.build(draft)

    def preview(self, draft: Draft) -> str:
        return self.core.preview(draft)

    def queue(self, draft: Draft, *, close: bool = False) -> int:
        return self.core.queue(draft, close=close)

    def messages(self, states: Sequence[str] | None = None) -> list[Row]:
        return self.core.messages(states)

    def retry(self, outbox_id: int) -> None:
        self.core.retry(outbox_id)

    def cancel(self, outbox_id: int) -> None:
        self.core.cancel(outbox_id)

    # -- promoters' thank-yous and coupons ---------------------------------------------

    def prepare_thank_yous(self, batch_id: int | None) -> Thanks:
        return self.thanking.prepare_thank_yous(batch_id)

    def prepare_for(self, opinion_ids: Iterable[int]) -> Thanks:
        return self.thanking.prepare_for(opinion_ids)

    def thank(self, opinion_ids: Iterable[int]) -> Thanks:
        return self.thanking.thank(opinion_ids)

    def drafts(self) -> list[int]:
        return self.thanking.drafts()

    def active_pool(self) -> str | None:
        return self.thanking.active_pool()

    def coupon_pools(self) -> list[CouponPool]:
        return self.thanking.coupon_pools()

    def import_coupons(self, path: Path, campaign: str) -> tuple[int, int]:
        return self.thanking.import_coupons(path, campaign)

    def stop_coupons(self) -> None:
        self.thanking.stop_coupons()

    # -- delivery ----------------------------------------------------------------------

    def transport(self) -> Transport:
        return self.delivering.transport()

    def default_folder(self) -> Path:
        return self.delivering.default_folder()

    def deliver(self, limit: int = 1000) -> Delivery:
        return self.delivering.deliver(limit)


__all__ = [
    "Bounced",
    "CouponPool",
    "Delivery",
    "Draft",
    "MailRefused",
    "MailService",
    "ReplySettings",
    "Sender",
    "Thanks",
    "email_hash",
]
