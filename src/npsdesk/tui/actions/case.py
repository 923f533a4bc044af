"""Treating one case from the desk: contact, note, fields, follow, close, e-mail.

Each action opens its form; the form runs the change through `CaseService` (or
`MailService`) in a worker thread (`saving`) and closes only when it went through. The
e-mail itself is delivered in a worker thread with its own store connection, and its fate
comes back as a notification.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from npsdesk.domain.models import Channel, ContactOutcome, NpsClass, Priority, TicketType
from npsdesk.store import case_reads
from npsdesk.store import desk_queries as dq
from npsdesk.tui.forms.case_forms import (
    REFUSALS,
    ChoiceForm,
    CloseForm,
    ContactForm,
    DeadlineForm,
    NoteForm,
    describe_error,
)
from npsdesk.tui.screens.desk_frame import DeskCore
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:  # e-mail loads when first used: the first frame does not wait for it
    from npsdesk.services.cases import CaseService
    from npsdesk.services.lookup import CaseFile
    from npsdesk.services.mail import Delivery
    from npsdesk.store.records import OpinionView


class CaseActions(DeskCore):
    def _editing(self, case: CaseFile) -> CaseService:
        """Case actions that refuse to overwrite what changed since the analyst saw the case
        (another analyst's edit on the team store): the form then says what changed and keeps
        what was typed; saving again applies it over the newer state."""
        last_event = max((event.id for event in case.history), default=0)
        return self.ctx.services.cases(self.ctx.analyst).seeing(case.opinion.version, last_event)

    def action_note(self) -> None:
        case = self.current_case()
        if case is None:
            return
        cases, opinion_id = self.ctx.services.cases(self.ctx.analyst), case.opinion.id
        form = NoteForm(
            self.ctx,
            self._title("desk.note_title"),
            opinion_id,
            lambda text: cases.add_note(opinion_id, text),
        )
        self._form(form, self._changed(opinion_id, "desk.done_note"))

    def action_contact(self) -> None:
        case = self.current_case()
        if case is None:
            return
        cases, opinion_id = self.ctx.services.cases(self.ctx.analyst), case.opinion.id

        def save(channel: Channel, outcome: ContactOutcome, note: str | None) -> None:
            cases.log_contact(opinion_id, channel, outcome, note)

        form = ContactForm(self.ctx, self._title("desk.contact_title"), opinion_id, save)
        self._form(form, self._changed(opinion_id, "desk.done_contact"))

    def _close_case_one(self) -> None:
        case = self.current_case()
        if case is None:
            return
        o = case.opinion
        if o.status == "closed":
            self.say(self.ctx.t("desk.already_closed", id=o.id), warning=True)
            return
        cases = self._editing(case)
        with self.ctx.services.db.read() as conn:
            categories = case_reads.category_names(conn)
            analysts = dq.analysts(conn)
        # a case keeps what it has even when the team removed it from the lists
        if o.category and o.category not in categories:
            categories.append(o.category)
        if o.responsible and o.responsible not in [u for u, _ in analysts]:
            analysts.append((o.responsible, o.responsible))

        def save(ticket_type: TicketType | None, category: str | None, who: str | None) -> None:
            cases.close(o.id, ticket_type=ticket_type, category=category, responsible=who)

        form = CloseForm(
            self.ctx,
            self._title("desk.close_title"),
            ticket_type=o.type,
            category=o.category,
            responsible=o.responsible,
            categories=categories,
            analysts=analysts,
            save=save,
            case_id=o.id,
        )
        self._form(form, self._changed(o.id, "desk.done_close", resolved=True))

    def _priority_one(self) -> None:
        case = self.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion
        options = [(str(int(p)), self.ctx.t(f"priority.{int(p)}")) for p in Priority]

        def save(value: str | None) -> None:
            cases.set_priority(o.id, Priority(int(value or o.priority)))

        form = ChoiceForm(
            self.ctx, self._title("desk.priority_title"), options, str(o.priority), save
        )
        self._form(form, self._changed(o.id, "desk.done_field"))

    def _category_one(self) -> None:
        case = self.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion
        with self.ctx.services.db.read() as conn:
            names = case_reads.category_names(conn)
        options: list[tuple[str | None, str]] = [(None, self.ctx.t("desk.none"))]
        options += [(name, name) for name in names]
        if o.category and o.category not in names:  # removed from the list, kept here
            options.append((o.category, f"{o.category} {self.ctx.t('desk.removed_mark')}"))

        def save(value: str | None) -> None:
            cases.set_category(o.id, value)

        form = ChoiceForm(self.ctx, self._title("desk.category_title"), options, o.category, save)
        self._form(form, self._changed(o.id, "desk.done_field"))

    def _type_one(self) -> None:
        case = self.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion
        options: list[tuple[str | None, str]] = [(None, self.ctx.t("desk.none"))]
        options += [(t.value, self.ctx.t(f"type.{t.value}")) for t in TicketType]

        def save(value: str | None) -> None:
            cases.set_type(o.id, None if value is None else TicketType(value))

        form = ChoiceForm(self.ctx, self._title("desk.type_title"), options, o.type, save)
        self._form(form, self._changed(o.id, "desk.done_field"))

    def _deadline_one(self) -> None:
        case = self.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion

        def save(value: date) -> None:
            cases.set_deadline(o.id, value)

        form = DeadlineForm(
            self.ctx, self._title("desk.deadline_title"), o.deadline, save, self._standard(o)
        )
        self._form(form, self._changed(o.id, "desk.done_field"))

    def _standard(self, o: OpinionView) -> tuple[date, str]:
        """The class's standard deadline for this answer under the rules in force (the
        team's, else the settings file's), and the line that says so in the form."""
        from npsdesk.domain.deadlines import deadline_for
        from npsdesk.services.team import TEAM, TeamSettings

        services, nps_class = self.ctx.services, NpsClass(o.nps_class)
        setting = TeamSettings(services).deadline(nps_class)
        day = deadline_for(nps_class, o.answered_at, self.ctx.tz, services.rules, services.calendar)
        source = "settings.source.team" if setting.source == TEAM else "settings.source.personal"
        said = self.ctx.t(
            "desk.deadline_standard",
            cls=self.ctx.t(f"classes.{nps_class}"),
            days=self.ctx.t(
                "desk.business_day" if setting.effective == 1 else "desk.business_days",
                n=setting.effective,
            ),
            source=self.ctx.t(source),
            date=self.ctx.date(day),
        )
        return day, said

    def _assign_one(self) -> None:
        case = self.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion

        def save(value: str | None) -> None:
            cases.assign(o.id, value)

        options = self._analyst_options()
        if o.responsible and o.responsible not in [value for value, _ in options]:
            options.append((o.responsible, f"{o.responsible} {self.ctx.t('desk.removed_mark')}"))
        form = ChoiceForm(
            self.ctx, self._title("desk.responsible_title"), options, o.responsible, save
        )
        self._form(form, self._changed(o.id, "desk.done_field"))

    def _follow_one(self) -> None:
        case = self.current_case()
        if case is None:
            return
        o, me = case.opinion, self.ctx.analyst
        cases = self.ctx.services.cases(me)
        following = me in o.followers

        def save() -> None:
            if following:
                cases.unfollow(o.id, me)
            else:
                cases.follow(o.id, me)

        said = "desk.done_unfollow" if following else "desk.done_follow"
        self.write(("follow", o.id), save, lambda _: self._changed(o.id, said)())

    def action_email(self) -> None:
        case = self.current_case()
        if case is None:
            return
        from npsdesk.services.mail import MailService
        from npsdesk.tui.forms.mail import EmailComposer

        mail = MailService(self.ctx.services, self.ctx.analyst)
        try:
            draft = mail.compose(case.opinion.id)
        except REFUSALS as error:
            self.fail(error)
            return
        opinion_id = case.opinion.id

        def queued(outbox_id: int, close: bool) -> None:
            self.say(self.ctx.t("desk.mail_queued"))
            self.deliver(outbox_id, opinion_id, close)

        form = EmailComposer(
            self.ctx, self._title("desk.mail_title"), opinion_id, mail, draft, queued
        )
        self.app.push_screen(form)

    def deliver(self, outbox_id: int, opinion_id: int, close: bool) -> None:
        """Send the outbox in a worker thread, then tell how this message fared."""
        services, actor = self.ctx.services, self.ctx.analyst

        from npsdesk.services.mail import MailService
        from npsdesk.store import mailbox

        def send() -> None:
            report: Delivery | None = None
            state, reason = "", ""
            error: Exception | None = None
            try:
                report = MailService(services, actor).deliver()
                with services.db.read() as conn:
                    row = mailbox.get_message(conn, outbox_id)
                if row is not None:
                    state, reason = str(row["state"]), str(row["reason"] or "")
            except (*REFUSALS, OSError) as failure:
                error = failure
            finally:
                services.db.close()
            self.app.call_from_thread(
                self._delivered, outbox_id, opinion_id, close, state, reason, report, error
            )

        self.run_worker(send, thread=True, group="mail", exit_on_error=False)

    def _delivered(
        self,
        outbox_id: int,
        opinion_id: int,
        close: bool,
        state: str,
        reason: str,
        report: Delivery | None,
        error: Exception | None,
    ) -> None:
        t, notify = self.ctx.t, self.app.notify
        if error is not None:
            notify(
                t("desk.mail_error", reason=describe_error(error, self.ctx), id=outbox_id),
                severity="error",
                markup=False,
                timeout=15,
            )
        elif state == "sent":
            message = t("desk.mail_sent", id=opinion_id)
            refused = [
                why for box, why in (report.not_closed if report else []) if box == outbox_id
            ]
            if close and refused:
                notify(f"{message} {clean_line(refused[0])}", severity="warning", markup=False)
            else:
                notify(message + (" " + t("desk.mail_closed") if close else ""), markup=False)
        elif state in ("queued", "sending"):  # another sender has it, or the server is down
            notify(t("desk.mail_pending", id=outbox_id), severity="warning", markup=False)
        elif state == "unknown":
            notify(
                t("desk.mail_unknown", reason=clean_line(reason), id=outbox_id),
                severity="warning",
                markup=False,
                timeout=20,
            )
        else:
            notify(
                t("desk.mail_failed", reason=clean_line(reason), id=outbox_id),
                severity="error",
                markup=False,
                timeout=20,
            )
        # the analyst may have moved on while it was sending: stay where they are
        if close and self._target() == opinion_id:
            self.refresh_all(opinion_id, advance_from=opinion_id)
        else:
            self.refresh_all(pin=self.pinned is not None)
