"""Promoter thank-yous: `T` sends the prepared thank-you (with a bonus coupon when a pool
is active) and closes the case when it is sent; over a selection, the same for every one.

Queueing goes through `MailService.thank`, which gives each message its coupon in the same
transaction; delivery runs in a worker thread, and the outcome comes back as a notification
naming what was refused and why. `ThankActions` is owned by the desk screen and reaches it
only through its `DeskPort`; delivering one thank-you is the case actions' `deliver`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rich.text import Text

from npsdesk.i18n import explain
from npsdesk.tui.actions.port import DeskPort
from npsdesk.tui.forms.choices import ConfirmForm
from npsdesk.tui.forms.refusals import REFUSALS, describe_error
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from npsdesk.services.mail import Delivery, Thanks

SHOWN_REFUSALS = 3  # refusals named one by one in a bulk report; the rest are counted


class Deliver(Protocol):
    """Send the outbox in a worker thread and tell how this message fared (and close the
    case when it was sent, with `close`)."""

    def __call__(self, outbox_id: int, opinion_id: int, close: bool) -> None: ...


class ThankActions:
    """`T`: the case's thank-you, or, with a selection, every selected one's after a
    confirmation that names the drafts and the bonus pool."""

    def __init__(self, desk: DeskPort, deliver: Deliver) -> None:
        self.desk = desk
        self.ctx = desk.ctx
        self.deliver = deliver

    def thank(self) -> None:
        ids = self.desk.selection()
        if ids:
            self._confirm_thanks(ids)
        else:
            self._thank_one()

    def _thank_one(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return

        opinion_id = case.opinion.id
        mail = self.ctx.services.mail(self.ctx.analyst)
        self.desk.write(
            ("thank", opinion_id),
            lambda: mail.thank([opinion_id]),
            lambda thanks: self._thanked_one(opinion_id, thanks),
        )

    def _thanked_one(self, opinion_id: int, thanks: Thanks) -> None:
        if thanks.refused:
            reason = clean_line(explain(thanks.refused[0][1], self.ctx.lang))
            self.desk.tell(
                self.ctx.t("desk.thank_refused", id=opinion_id, reason=reason),
                severity="error",
                timeout=15,
            )
            self.desk.refresh_all(opinion_id, pin=True)  # the draft now shows why
            return
        outbox_id = self.ctx.reads.thank_you_outbox(opinion_id)
        self.desk.say(self.ctx.t("desk.thank_queued"))
        if outbox_id is not None:
            self.deliver(outbox_id, opinion_id, close=True)

    def _confirm_thanks(self, ids: list[int]) -> None:
        ctx = self.ctx
        message = Text(ctx.t_n("desk.confirm_thank", len(ids)), style="bold")
        prospect = ctx.reads.thank_prospect(ids)
        message.append("\n" + ctx.t_n("desk.thank_drafts", prospect.drafts))
        if prospect.pool is not None:
            name, free = prospect.pool
            message.append("\n" + ctx.t("desk.thank_pool", pool=clean_line(name), free=free))
        title = Text(ctx.t("key.desk.thank"), style="bold")
        self.desk.open_form(ConfirmForm(ctx, title, message), lambda: self._run_thanks(ids))

    def _run_thanks(self, ids: list[int]) -> None:
        """Queue every thank-you, then deliver the outbox: one worker thread."""

        services, actor, reads = self.ctx.services, self.ctx.analyst, self.ctx.reads

        def work() -> None:
            thanks: Thanks | None = None
            report: Delivery | None = None
            error: Exception | None = None
            try:
                mail = services.mail(actor)
                thanks = mail.thank(ids)
                report = mail.deliver()
            except (*REFUSALS, OSError) as failure:
                error = failure
            finally:
                reads.end_thread()
            self.desk.from_thread(self._thanked, thanks, report, error)

        self.desk.say(self.ctx.t_n("desk.thank_running", len(ids)))
        self.desk.in_thread(work, "mail")

    def _thanked(
        self, thanks: Thanks | None, report: Delivery | None, error: Exception | None
    ) -> None:
        ctx = self.ctx
        self.desk.unselect_all()
        self.desk.refresh_all()
        if thanks is None:
            reason = describe_error(error or RuntimeError("thank-you failed"), ctx)
            self.desk.tell(ctx.t("desk.thank_error", reason=reason), severity="error")
            return
        sent = report.sent if report is not None else 0
        message = ctx.t("desk.done_thank", queued=ctx.count(thanks.queued), sent=ctx.count(sent))
        problems = len(thanks.refused)
        if thanks.refused:
            message += " " + ctx.t_n("desk.thank_skipped", len(thanks.refused))
            named = [
                f"#{opinion_id}: {clean_line(explain(why, ctx.lang))}"
                for opinion_id, why in thanks.refused[:SHOWN_REFUSALS]
            ]
            rest = len(thanks.refused) - SHOWN_REFUSALS
            message += "; ".join(named) + (f"; … +{rest}" if rest > 0 else "")
        if report is not None and (report.failed or report.unknown):
            problems += report.failed + report.unknown
            message += " " + ctx.t_n("desk.thank_unsent", report.failed + report.unknown)
        if report is not None and report.not_closed:
            problems += len(report.not_closed)
            message += " " + ctx.t_n("desk.thank_not_closed", len(report.not_closed))
            message += clean_line(report.not_closed[0][1])
        if error is not None:
            message += " " + describe_error(error, ctx)
        self.desk.tell(
            message,
            severity="warning" if problems or error else "information",
            timeout=20 if problems else 6,
        )
