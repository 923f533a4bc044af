"""Treating one case from the desk: contact, note, fields, follow, close, e-mail.

`CaseActions` is owned by the desk screen and reaches it only through its `DeskPort`. Each
action opens its form; the form runs the change through `CaseService` (or
`MailService`) in a worker thread (`saving`) and closes only when it went through. The
e-mail itself is delivered in a worker thread with its own store connection, and its fate
comes back as a notification.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from npsdesk.domain.models import Channel, ContactOutcome, NpsClass, Priority, TicketType
from npsdesk.tui.actions.port import DeskPort, Options, analyst_options, case_title
from npsdesk.tui.forms.choices import ChoiceForm, DeadlineForm
from npsdesk.tui.forms.refusals import REFUSALS, describe_error
from npsdesk.tui.forms.treatment import CloseForm, ContactForm, NoteForm
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:  # e-mail loads when first used: the first frame does not wait for it
    from rich.text import Text

    from npsdesk.services.cases import CaseService
    from npsdesk.services.desk_reads import CaseFile, OpinionView
    from npsdesk.services.mail import Delivery
    from npsdesk.tui.forms.mail import Answering


class CaseActions:
    """The keys that act on the one case the desk shows (`DeskScreen` sends a field key
    here when nothing is selected)."""

    def __init__(self, desk: DeskPort) -> None:
        self.desk = desk
        self.ctx = desk.ctx

    def _title(self, key: str, case: CaseFile) -> Text:
        return case_title(self.ctx, key, case)

    def _changed(self, opinion_id: int, key: str, *, resolved: bool = False) -> Callable[[], None]:
        """What follows a change to the case: the list read again (the cursor on it, or on
        the next one once it is resolved), and the analyst told."""
        desk = self.desk

        def done() -> None:
            if desk.target() != opinion_id:  # moved on while it saved: stay there
                desk.refresh_staying()
            elif resolved:
                desk.refresh_all(opinion_id, advance_from=opinion_id)
            else:
                desk.refresh_all(opinion_id, pin=True)
            desk.say(self.ctx.t(key, id=opinion_id))

        return done

    def _editing(self, case: CaseFile) -> CaseService:
        """Case actions that refuse to overwrite what changed since the analyst saw the case
        (another analyst's edit on the team store): the form then says what changed and keeps
        what was typed; saving again applies it over the newer state."""
        last_event = max((event.id for event in case.history), default=0)
        return self.ctx.services.cases(self.ctx.analyst).seeing(case.opinion.version, last_event)

    def note(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        cases, opinion_id = self.ctx.services.cases(self.ctx.analyst), case.opinion.id
        form = NoteForm(
            self.ctx,
            self._title("desk.note_title", case),
            opinion_id,
            lambda text: cases.add_note(opinion_id, text),
        )
        self.desk.open_form(form, self._changed(opinion_id, "desk.done_note"))

    def contact(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        cases, opinion_id = self.ctx.services.cases(self.ctx.analyst), case.opinion.id

        def save(channel: Channel, outcome: ContactOutcome, note: str | None) -> None:
            cases.log_contact(opinion_id, channel, outcome, note)

        form = ContactForm(self.ctx, self._title("desk.contact_title", case), opinion_id, save)
        self.desk.open_form(form, self._changed(opinion_id, "desk.done_contact"))

    def close(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        o = case.opinion
        if o.status == "closed":
            self.desk.say(self.ctx.t("desk.already_closed", id=o.id), warning=True)
            return
        cases = self._editing(case)
        choices = self.ctx.reads.closing_choices()
        categories, analysts = choices.categories, choices.analysts
        # a case keeps what it has even when the team removed it from the lists
        if o.category and o.category not in categories:
            categories.append(o.category)
        if o.responsible and o.responsible not in [u for u, _ in analysts]:
            analysts.append((o.responsible, o.responsible))

        def save(ticket_type: TicketType | None, category: str | None, who: str | None) -> None:
            cases.close(o.id, ticket_type=ticket_type, category=category, responsible=who)

        form = CloseForm(
            self.ctx,
            self._title("desk.close_title", case),
            ticket_type=o.type,
            category=o.category,
            responsible=o.responsible,
            categories=categories,
            analysts=analysts,
            save=save,
            case_id=o.id,
        )
        self.desk.open_form(form, self._changed(o.id, "desk.done_close", resolved=True))

    def priority(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion
        options = [(str(int(p)), self.ctx.t(f"priority.{int(p)}")) for p in Priority]

        def save(value: str | None) -> None:
            cases.set_priority(o.id, Priority(int(value or o.priority)))

        form = ChoiceForm(
            self.ctx, self._title("desk.priority_title", case), options, str(o.priority), save
        )
        self.desk.open_form(form, self._changed(o.id, "desk.done_field"))

    def category(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion
        names = self.ctx.reads.categories()
        options: Options = [(None, self.ctx.t("desk.none"))]
        options += [(name, name) for name in names]
        if o.category and o.category not in names:  # removed from the list, kept here
            options.append((o.category, f"{o.category} {self.ctx.t('desk.removed_mark')}"))

        def save(value: str | None) -> None:
            cases.set_category(o.id, value)

        form = ChoiceForm(
            self.ctx, self._title("desk.category_title", case), options, o.category, save
        )
        self.desk.open_form(form, self._changed(o.id, "desk.done_field"))

    def ticket_type(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion
        options: Options = [(None, self.ctx.t("desk.none"))]
        options += [(t.value, self.ctx.t(f"type.{t.value}")) for t in TicketType]

        def save(value: str | None) -> None:
            cases.set_type(o.id, None if value is None else TicketType(value))

        form = ChoiceForm(self.ctx, self._title("desk.type_title", case), options, o.type, save)
        self.desk.open_form(form, self._changed(o.id, "desk.done_field"))

    def deadline(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion

        def save(value: date) -> None:
            cases.set_deadline(o.id, value)

        form = DeadlineForm(
            self.ctx, self._title("desk.deadline_title", case), o.deadline, save, self._standard(o)
        )
        self.desk.open_form(form, self._changed(o.id, "desk.done_field"))

    def _standard(self, o: OpinionView) -> tuple[date, str]:
        """The class's standard deadline for this answer under the rules in force (the
        team's, else the settings file's), and the line that says so in the form."""
        from npsdesk.domain.deadlines import deadline_for
        from npsdesk.services.team import TEAM

        services, nps_class = self.ctx.services, NpsClass(o.nps_class)
        setting = services.team().deadline(nps_class)
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

    def assign(self) -> None:
        case = self.desk.current_case()
        if case is None:
            return
        cases, o = self._editing(case), case.opinion

        def save(value: str | None) -> None:
            cases.assign(o.id, value)

        options = analyst_options(self.ctx)
        if o.responsible and o.responsible not in [value for value, _ in options]:
            options.append((o.responsible, f"{o.responsible} {self.ctx.t('desk.removed_mark')}"))
        form = ChoiceForm(
            self.ctx, self._title("desk.responsible_title", case), options, o.responsible, save
        )
        self.desk.open_form(form, self._changed(o.id, "desk.done_field"))

    def follow(self) -> None:
        case = self.desk.current_case()
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
        self.desk.write(("follow", o.id), save, lambda _: self._changed(o.id, said)())

    def email(self) -> None:
        """The e-mail composer; on a case whose customer wrote to us, an answer to their
        latest reply (`Re:` their subject, threaded, their text quoted on request)."""
        case = self.desk.current_case()
        if case is None:
            return
        from npsdesk.tui.forms.mail import EmailComposer, compose_for

        mail = self.ctx.services.mail(self.ctx.analyst)
        answering = self._answering(case)
        try:
            draft = compose_for(mail, case.opinion.id, answering)
        except REFUSALS as error:
            self.desk.fail(error)
            return
        opinion_id = case.opinion.id

        def queued(outbox_id: int, close: bool) -> None:
            self.desk.say(self.ctx.t("desk.mail_queued"))
            self.deliver(outbox_id, opinion_id, close)

        title = "desk.reply.answer_title" if answering is not None else "desk.mail_title"
        form = EmailComposer(
            self.ctx, self._title(title, case), opinion_id, mail, draft, queued, answering
        )
        self.desk.push(form)

    def _answering(self, case: CaseFile) -> Answering | None:
        """The customer's latest reply on the case, to answer; None when they sent none."""
        from npsdesk.tui.forms.mail import Answering
        from npsdesk.tui.widgets.reply_entries import inbound_id, latest_reply

        event = latest_reply(case)
        found = None if event is None else inbound_id(event)
        if event is None or found is None:
            return None
        return Answering(
            inbound_id=found,
            sender=event.old_value or "",
            when=self.ctx.time(event.at),
            subject=event.subject or "",
        )

    def deliver(self, outbox_id: int, opinion_id: int, close: bool) -> None:
        """Send the outbox in a worker thread, then tell how this message fared."""
        services, actor, reads = self.ctx.services, self.ctx.analyst, self.ctx.reads

        def send() -> None:
            report: Delivery | None = None
            state, reason = "", ""
            error: Exception | None = None
            try:
                report = services.mail(actor).deliver()
                message = reads.message_state(outbox_id)
                if message is not None:
                    state, reason = message.state, message.reason
            except (*REFUSALS, OSError) as failure:
                error = failure
            finally:
                reads.end_thread()
            self.desk.from_thread(
                self._delivered, outbox_id, opinion_id, close, state, reason, report, error
            )

        self.desk.in_thread(send, "mail")

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
        t, tell = self.ctx.t, self.desk.tell
        if error is not None:
            tell(
                t("desk.mail_error", reason=describe_error(error, self.ctx), id=outbox_id),
                severity="error",
                timeout=15,
            )
        elif state == "sent":
            message = t("desk.mail_sent", id=opinion_id)
            refused = [
                why for box, why in (report.not_closed if report else []) if box == outbox_id
            ]
            if close and refused:
                tell(f"{message} {clean_line(refused[0])}", severity="warning")
            else:
                tell(message + (" " + t("desk.mail_closed") if close else ""))
        elif state in ("queued", "sending"):  # another sender has it, or the server is down
            tell(t("desk.mail_pending", id=outbox_id), severity="warning")
        elif state == "unknown":
            tell(
                t("desk.mail_unknown", reason=clean_line(reason), id=outbox_id),
                severity="warning",
                timeout=20,
            )
        else:
            tell(
                t("desk.mail_failed", reason=clean_line(reason), id=outbox_id),
                severity="error",
                timeout=20,
            )
        # the analyst may have moved on while it was sending: stay where they are
        if close and self.desk.target() == opinion_id:
            self.desk.refresh_all(opinion_id, advance_from=opinion_id)
        else:
            self.desk.refresh_staying()
