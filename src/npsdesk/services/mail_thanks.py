"""Promoters: thank-you drafts and messages, and bonus coupons given with them.

A thank-you and its coupon are queued in one transaction, so no e-mail goes out without its
code; an empty pool stops the thank-you with a clear reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from npsdesk.domain.models import DomainError, Reason
from npsdesk.mail import templates
from npsdesk.mail.templates import TemplateError
from npsdesk.services.mail_core import CouponPool, MailRefused, Sender, Thanks, email_hash
from npsdesk.services.team import bonus_neutrals
from npsdesk.store import mailbox, team, thank_yous, turns
from npsdesk.store.mailbox import NewMessage
from npsdesk.store.team import POOL_KEY

if TYPE_CHECKING:
    from email.message import EmailMessage

    from npsdesk.bootstrap import Services
    from npsdesk.mail.templates import MailTemplate
    from npsdesk.services.records import OpinionView


class Composer(Protocol):
    """What thank-yous need from the composing core (`MailCore`)."""

    def sender(self, *, need_address: bool = True) -> Sender: ...

    def template(self, name: str) -> MailTemplate: ...

    def opinion(self, opinion_id: int) -> OpinionView: ...

    def check_can_mail(self, opinion: OpinionView) -> str: ...

    def check_close(self, opinion: OpinionView, *, thank_you: bool = False) -> None: ...

    def values(self, opinion: OpinionView, coupon: str | None = None) -> dict[str, object]: ...

    def full_body(self, body: str, sender: Sender | None = None) -> str: ...

    def assemble(
        self,
        message_id: str,
        to_address: str,
        to_name: str | None,
        subject: str,
        body: str,
        *,
        opinion_id: int | None = None,
        in_reply_to: str | None = None,
        references: Sequence[str] = (),
    ) -> EmailMessage: ...


class Thanking:
    """Promoters' thank-yous and the coupon pools, as one analyst (`actor`); the messages
    are composed by `composer`."""

    def __init__(self, services: Services, actor: str, composer: Composer) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.settings = services.settings
        self.actor = actor
        self.composer = composer

    def _thanked_classes(self) -> tuple[str, ...]:
        pool = self.active_pool()
        neutrals = pool is not None and bonus_neutrals(self.services)
        return ("promoter", "neutral") if neutrals else ("promoter",)

    def prepare_thank_yous(self, batch_id: int | None) -> Thanks:
        """After an import: thank-you drafts (review) or queued messages (send) for the
        batch's promoters (and neutrals when they get a bonus), per `promoters.thank_you`."""
        if self.settings.thank_you == "off" or batch_id is None:
            return Thanks()
        classes = self._thanked_classes()
        with self.db.read() as conn:
            ids = thank_yous.batch_opinions(conn, batch_id, classes)
        return self.prepare_for(ids)

    def prepare_for(self, opinion_ids: Iterable[int]) -> Thanks:
        """Thank-yous for these opinions as `promoters.thank_you` says (review or send)."""
        mode = self.settings.thank_you
        thanks = Thanks()
        if mode == "off":
            return thanks
        ids = list(opinion_ids)
        if mode == "send":
            return self.thank(ids)
        now = self.clock.now()
        with self.db.read() as conn:
            salt, suppressed = mailbox.suppression(conn)
            bouncing = mailbox.flagged_hashes(conn)
        # a transaction per part: a big import's drafts never hold the store for long, and a
        # writer waiting for it goes between two parts
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            if start:
                turns.step_aside(self.db)
            with self.db.write() as conn:
                for row in thank_yous.candidates(conn, part):
                    opinion_id, address = int(row["id"]), row["email"]
                    if row["internal"]:
                        thanks.refused.append(
                            (opinion_id, Reason("refusal.case.internal_no_email"))
                        )
                    elif not address:
                        no_email = Reason("refusal.thanks.no_email", id=opinion_id)
                        thanks.refused.append((opinion_id, no_email))
                    elif salt is not None and email_hash(salt, address) in suppressed:
                        thanks.refused.append((opinion_id, Reason("refusal.thanks.suppressed")))
                    elif salt is not None and email_hash(salt, address) in bouncing:
                        thanks.refused.append((opinion_id, Reason("refusal.thanks.bouncing")))
                    elif not row["has"]:
                        mailbox.add_message(conn, self._thank_you_row(opinion_id, "draft"), now)
                        thanks.prepared += 1
        return thanks

    def _thank_you_row(self, opinion_id: int, state: str) -> NewMessage:
        return NewMessage(
            kind="thank_you",
            state=state,
            opinion_id=opinion_id,
            respondent_id=None,
            template=None,
            message_id=None,
            to_address=None,
            to_name=None,
            subject=None,
            body=None,
            close_on_send=True,
            created_by=self.actor,
        )

    def thank(self, opinion_ids: Iterable[int]) -> Thanks:
        """Send the thank-you (with a bonus coupon when a pool is active) and close when sent.

        Works on reviewed drafts and on opinions without one; each message and its coupon
        are queued in one transaction, so no e-mail goes out without its code.
        """
        from npsdesk.mail.message import new_message_id

        thanks = Thanks()
        pool = self.active_pool()
        compose = self.composer
        sender = compose.sender()
        address = sender.address
        for opinion_id in opinion_ids:
            try:
                opinion = compose.opinion(opinion_id)
                if opinion.nps_class not in self._thanked_classes():
                    raise MailRefused(key="refusal.thanks.not_promoter", id=opinion_id)
                compose.check_can_mail(opinion)
                compose.check_close(opinion, thank_you=True)
                with self.db.write() as conn:
                    draft = thank_yous.current(conn, opinion_id)
                    if draft is not None and draft["state"] != "draft":
                        raise MailRefused(key="refusal.thanks.already", id=opinion_id)
                    now = self.clock.now()
                    if draft is None:
                        outbox_id = mailbox.add_message(
                            conn, self._thank_you_row(opinion_id, "draft"), now
                        )
                    else:
                        outbox_id = int(draft["id"])
                    coupon = None
                    if pool is not None:
                        coupon = mailbox.take_coupon(
                            conn, pool, outbox_id, opinion.respondent_id, now
                        )
                        if coupon is None:
                            raise MailRefused(key="refusal.thanks.pool_empty", pool=pool)
                    name = "bonus" if coupon else "promoter"
                    subject, body = templates.render(
                        compose.template(name), compose.values(opinion, coupon)
                    )
                    message_id = new_message_id(address)
                    full = compose.full_body(body, sender)
                    compose.assemble(
                        message_id,
                        opinion.email or "",
                        opinion.name,
                        subject,
                        full,
                        opinion_id=opinion_id,
                    )
                    mailbox.fill_draft(
                        conn,
                        outbox_id,
                        message_id=message_id,
                        to_address=opinion.email or "",
                        to_name=opinion.name,
                        subject=subject,
                        body=full,
                        template=name,
                        now=now,
                    )
                    thank_yous.address_to(conn, outbox_id, opinion.respondent_id)
                thanks.queued += 1
            except (DomainError, TemplateError, ValueError) as error:
                thanks.refused.append((opinion_id, Reason.of(error)))
                self._note_draft(opinion_id, str(error))
        return thanks

    def _note_draft(self, opinion_id: int, reason: str) -> None:
        with self.db.write() as conn:
            thank_yous.note_draft(conn, opinion_id, reason)

    def drafts(self) -> list[int]:
        """Opinions whose thank-you waits for the analyst's review."""
        with self.db.read() as conn:
            return thank_yous.drafted(conn)

    # -- coupons -----------------------------------------------------------------------

    def active_pool(self) -> str | None:
        with self.db.read() as conn:
            return mailbox.get_setting(conn, POOL_KEY) or None

    def coupon_pools(self) -> list[CouponPool]:
        """Every pool of codes imported, by name, with how many are given and free."""
        with self.db.read() as conn:
            return [
                CouponPool(str(r["campaign"]), int(r["total"]), int(r["given"]), int(r["free"]))
                for r in mailbox.coupon_pools(conn)
            ]

    def import_coupons(self, path: Path, campaign: str) -> tuple[int, int]:
        """Load a pool of codes (one per line, or the first CSV column) and make it active."""
        codes = _read_codes(path)
        if not codes:
            raise MailRefused(key="refusal.coupons.none", path=path)
        now = self.clock.now()
        with self.db.write() as conn:
            added, known = mailbox.add_coupons(conn, campaign, codes, now)
            team.put(conn, POOL_KEY, campaign, self.actor, now)
        return added, known

    def stop_coupons(self) -> None:
        with self.db.write() as conn:
            team.put(conn, POOL_KEY, "", self.actor, self.clock.now())


def _read_codes(path: Path) -> list[str]:
    """Coupon codes: one per line or the first column of a CSV; a header line is skipped."""
    import csv

    from npsdesk.untrusted.text import clean_line

    text = path.read_text(encoding="utf-8-sig")
    codes: list[str] = []
    seen: set[str] = set()
    for cells in csv.reader(text.splitlines(), delimiter=";" if ";" in text else ","):
        code = clean_line(cells[0]).strip() if cells else ""
        if not code or code.casefold() in ("code", "codigo", "código", "cupom", "coupon"):
            continue
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes
