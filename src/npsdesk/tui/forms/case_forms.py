"""Modal forms: note, contact attempt, close, one-field choices, deadline, confirmation.

A form runs its action itself when submitted, in a worker thread when it writes, so the
screen never waits on the store. A refusal (a rule of the domain, a locked store) shows
inside the form and everything typed stays, so nothing is lost; the form closes only
when the action went through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from npsdesk.domain.models import Channel, ContactOutcome, DomainError, TicketType
from npsdesk.domain.periods import parse_date
from npsdesk.domain.workflow import CloseRefused
from npsdesk.errors import StaleCase
from npsdesk.tui.context import DeskContext
from npsdesk.tui.saving import REFUSALS
from npsdesk.untrusted.text import clean_line

__all__ = ["REFUSALS", "describe_error"]  # what the desk's other parts take from here

T = TypeVar("T")


def describe_error(error: Exception, ctx: DeskContext) -> str:
    """The refusal in the desk's language where the desk knows it, else as the core says."""
    if isinstance(error, CloseRefused):
        missing = ", ".join(ctx.t(f"field.{name}") for name in error.missing)
        return ctx.t("desk.close_missing", fields=missing)
    if isinstance(error, StaleCase):
        return clean_line(ctx.t("desk.stale", id=error.opinion_id, changes=_changes(error, ctx)))
    return clean_line(str(error))


_PRIORITY_NAMES = {"high": 1, "medium": 2, "low": 3}


def _shown(field: str, value: str | None, ctx: DeskContext) -> str:
    """A history value as the desk shows it elsewhere (statuses, types and priorities in
    the desk's language)."""
    if value is None:
        return "-"
    if field in ("status", "type"):
        return ctx.t(f"{field}.{value}")
    if field == "priority" and value in _PRIORITY_NAMES:
        return ctx.t(f"priority.{_PRIORITY_NAMES[value]}")
    return value


def _changes(error: StaleCase, ctx: DeskContext) -> str:
    """What others did to the case, newest last, in the desk's language."""
    said = []
    for change in error.changes[-4:]:
        when = ctx.time(change.at)
        if change.field:
            said.append(
                ctx.t(
                    "desk.stale_field",
                    actor=change.actor,
                    field=ctx.t(f"field.{change.field}"),
                    value=_shown(change.field, change.new_value, ctx),
                    time=when,
                )
            )
        else:
            what = change.kind.replace("_", " ")
            said.append(ctx.t("desk.stale_other", actor=change.actor, what=what, time=when))
    return "; ".join(said) or ctx.t("desk.stale_platform")


def plain(text: str) -> Content:
    """An option label shown as written (store data is never markup)."""
    return Content(clean_line(text))


class Form(ModalScreen[bool]):
    """The frame every form shares: a title, its fields, the error line and the keys.

    A form that writes (`writes`) runs its change in a worker thread (`saving.Writes`):
    it says "saving…", then that the store is busy when the answer is slow; it closes when
    the change went through and stays, as typed, with the reason when it was refused.
    Escape while it saves puts the form away and the save goes on; how it ended comes as a
    notification. A form with `draft_kind` keeps what was typed per case (`drafts`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel", show=False, id="form.cancel"),
        Binding("ctrl+s", "submit", "save", show=False, id="form.submit"),
    ]
    draft_kind: ClassVar[str] = ""  # "note", "mail", "contact": unsaved typing is kept

    def __init__(
        self,
        ctx: DeskContext,
        title: Text | str,
        hint: str,
        *,
        case_id: int | None = None,
        writes: bool = True,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.case_id = case_id
        self.writes = writes  # False: the form only chooses a value (the bulk changes)
        self.then: Callable[[Any], object] | None = None  # after the change went through
        self.warned = False  # unsaved typing was pointed out: the next escape leaves
        self.away = False  # put away while its change was still saving
        self.left_typed: object | None = None  # what it held then
        self.draft = ctx.drafts.get(self.draft_key)  # typed on this case before, unsaved
        self.hint = ctx.t(f"desk.draft_back.{self.draft_kind}") if self.draft else hint

    @property
    def draft_key(self) -> tuple[str, int] | None:
        if not self.draft_kind or self.case_id is None:
            return None
        return (self.draft_kind, self.case_id)

    @property
    def small(self) -> bool:
        """A small terminal: compact fields, so the whole form fits (80x24 included)."""
        return self.app.size.width < 100 or self.app.size.height < 36

    def compose(self) -> ComposeResult:
        self.set_class(self.small, "-small")
        with VerticalScroll(classes="form"):
            yield Static(self.title_text, classes="form-title", markup=False)
            yield from self.fields()
            yield Static(Text(""), classes="form-error", markup=False)
            yield Static(Text(self.hint, style="dim"), classes="form-hint", markup=False)

    def fields(self) -> ComposeResult:
        yield from ()

    def typed(self) -> object | None:
        """What was typed that leaving would lose; None when nothing (forms with drafts)."""
        return None

    def submit(self, action: Callable[[], object]) -> None:
        """Save: a writing form runs `action` in a worker thread, a choosing one here."""
        if self.writes:
            self.write(action)
        else:
            self.attempt(action)

    def attempt(self, action: Callable[[], object]) -> bool:
        """Run `action` here; close on success, else show why and keep the form as typed."""
        try:
            result = action()
        except REFUSALS as error:
            self.show_error(describe_error(error, self.ctx))
            return False
        self._went_through(result)
        return True

    def write(
        self, action: Callable[[], object], then: Callable[[Any], object] | None = None
    ) -> None:
        """Run the write `action` in a worker thread; a second save while it runs waits
        for the first instead of saving twice."""
        if then is not None:
            self.then = then
        started = self.ctx.writes.write(
            self.app,
            self.ctx.services.db,
            self,
            action,
            self._went_through,
            self._refused,
            self._waiting,
        )
        if started:
            self.show_status(self.ctx.t("desk.saving"), style="bold")

    def _went_through(self, result: object) -> None:
        self.ctx.drafts.drop(self.draft_key)
        if not self.away:
            self.dismiss(True)
        if self.then is not None:
            self.then(result)

    def _refused(self, error: Exception) -> None:
        reason = describe_error(error, self.ctx)
        if not self.away:
            self.show_error(reason)
            return
        typed = self.left_typed
        self.ctx.drafts.keep(self.draft_key, typed)
        said = self.ctx.t("desk.not_saved", id=self.case_id, reason=reason.rstrip("."))
        if typed is not None:
            said += " " + self.ctx.t(f"desk.draft_kept.{self.draft_kind}", id=self.case_id)
        self.app.notify(said, severity="error", markup=False, timeout=20)

    def _waiting(self) -> None:
        if not self.away:
            self.show_status(self.ctx.t("desk.waiting_store"), style="bold yellow")

    def show_error(self, message: str) -> None:
        self.show_status(message)

    def show_status(self, message: str, style: str = "bold red") -> None:
        self.query_one(".form-error", Static).update(Text(message, style=style))

    def action_cancel(self) -> None:
        if self.ctx.writes.busy(self):  # the save goes on; its outcome is told
            self.away = True
            self.left_typed = self.typed()  # the fields go with the form
            self.app.notify(self.ctx.t("desk.saving_away"), severity="warning", markup=False)
            self.dismiss(False)
            return
        typed = self.typed()
        if typed is not None and typed != self.draft and not self.warned:
            self.warned = True
            self.show_status(self.ctx.t(f"desk.leave.{self.draft_kind}"), style="bold yellow")
            return
        if typed is not None:
            self.ctx.drafts.keep(self.draft_key, typed)
            kept = self.ctx.t(f"desk.draft_kept.{self.draft_kind}", id=self.case_id)
            self.app.notify(kept, markup=False)
        self.dismiss(False)

    def action_discard(self) -> None:
        """ctrl+d in a form with drafts: forget what was typed on this case and leave."""
        if self.ctx.writes.busy(self):
            return
        if self.typed() is not None or self.draft is not None:
            self.ctx.drafts.drop(self.draft_key)
            self.app.notify(self.ctx.t("desk.draft_discarded"), markup=False)
        self.dismiss(False)

    def action_submit(self) -> None:
        """Forms with a submit key override this."""


DISCARD = Binding("ctrl+d", "discard", "discard", show=False, priority=True, id="form.discard")


class NoteForm(Form):
    """An internal note: the customer never sees it."""

    BINDINGS: ClassVar[list[BindingType]] = [DISCARD]
    draft_kind = "note"

    def __init__(
        self, ctx: DeskContext, title: Text, case_id: int, save: Callable[[str], object]
    ) -> None:
        super().__init__(ctx, title, ctx.t("desk.note_hint"), case_id=case_id)
        self.save = save

    def fields(self) -> ComposeResult:
        yield TextArea(
            str(self.draft or ""),
            id="note-text",
            soft_wrap=True,
            tab_behavior="focus",
            compact=self.small,
        )

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def typed(self) -> str | None:
        text = self.query_one("#note-text", TextArea).text
        return text if text.strip() else None

    def action_submit(self) -> None:
        text = self.query_one("#note-text", TextArea).text
        if not text.strip():
            self.show_error(self.ctx.t("desk.note_empty"))
            return
        self.submit(lambda: self.save(text))


CHANNEL_KEYS: dict[str, Channel] = {
    "t": Channel.PHONE,  # telefone
    "p": Channel.PHONE,
    "w": Channel.WHATSAPP,
    "e": Channel.EMAIL,
    "o": Channel.OTHER,
}
OUTCOMES: tuple[ContactOutcome, ...] = (
    ContactOutcome.REACHED,
    ContactOutcome.NO_ANSWER,
    ContactOutcome.WRONG_NUMBER,
    ContactOutcome.LEFT_MESSAGE,
)


class ContactForm(Form):
    """A contact attempt in two keys for the common case: the channel is the phone unless
    another is picked (t/w/e/o), and an outcome digit (1-4) saves at once. `n` writes an
    optional note first; enter leaves the note, and the digit then saves both."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(key, f"channel('{channel.value}')", show=False, id=f"contact.channel_{key}")
            for key, channel in CHANNEL_KEYS.items()
        ],
        *[
            Binding(str(i), f"outcome('{outcome.value}')", show=False, id=f"contact.outcome_{i}")
            for i, outcome in enumerate(OUTCOMES, start=1)
        ],
        Binding("n", "note", show=False, id="contact.note"),
        DISCARD,
    ]
    AUTO_FOCUS = ""  # keys go to the form (channel, outcome), not to the note
    draft_kind = "contact"

    def __init__(
        self,
        ctx: DeskContext,
        title: Text,
        case_id: int,
        save: Callable[[Channel, ContactOutcome, str | None], object],
    ) -> None:
        super().__init__(ctx, title, ctx.t("desk.contact_hint"), case_id=case_id)
        self.save = save
        self.channel = Channel.PHONE

    def fields(self) -> ComposeResult:
        yield Static(self._channels(), id="contact-channels", markup=False)
        yield Static(self._outcomes(), id="contact-outcomes", markup=False)
        yield Input(
            str(self.draft or ""),
            placeholder=self.ctx.t("desk.contact_note"),
            id="contact-note",
            compact=self.small,
        )

    def typed(self) -> str | None:
        return self.query_one("#contact-note", Input).value.strip() or None

    def _channels(self) -> Text:
        text = Text(f"{self.ctx.t('desk.channel')}: ", style="bold")
        for key, channel in (("t", Channel.PHONE), ("w", Channel.WHATSAPP), ("e", Channel.EMAIL)):
            self._choice(text, key, self.ctx.t(f"channel.{channel.value}"), channel)
        self._choice(text, "o", self.ctx.t("channel.other"), Channel.OTHER)
        return text

    def _choice(self, text: Text, key: str, label: str, channel: Channel) -> None:
        chosen = channel == self.channel
        text.append(f" {key} ", style="bold reverse" if chosen else "bold")
        text.append(f"{label}  ", style="bold" if chosen else "dim")

    def _outcomes(self) -> Text:
        text = Text(f"{self.ctx.t('desk.outcome')}: ", style="bold")
        for i, outcome in enumerate(OUTCOMES, start=1):
            text.append(f" {i} ", style="bold")
            text.append(f"{self.ctx.t(f'outcome.{outcome.value}')}  ")
        return text

    def action_channel(self, value: str) -> None:
        self.channel = Channel(value)
        self.query_one("#contact-channels", Static).update(self._channels())

    def action_outcome(self, value: str) -> None:
        note, channel = self.typed(), self.channel
        self.submit(lambda: self.save(channel, ContactOutcome(value), note))

    def action_note(self) -> None:
        self.query_one("#contact-note", Input).focus()

    @on(Input.Submitted, "#contact-note")
    def _note_done(self) -> None:
        self.set_focus(None)


class CloseForm(Form):
    """Closing: type, category and responsible, prefilled from the case."""

    def __init__(
        self,
        ctx: DeskContext,
        title: Text,
        *,
        ticket_type: str | None,
        category: str | None,
        responsible: str | None,
        categories: Sequence[str],
        analysts: Sequence[tuple[str, str]],
        save: Callable[[TicketType | None, str | None, str | None], object],
        hint: str | None = None,
        case_id: int | None = None,
        writes: bool = True,
    ) -> None:
        super().__init__(
            ctx, title, hint or ctx.t("desk.close_hint"), case_id=case_id, writes=writes
        )
        self.values = (ticket_type, category, responsible)
        self.categories = categories
        self.analysts = analysts
        self.save = save

    def fields(self) -> ComposeResult:
        ticket_type, category, responsible = self.values
        yield Static(Text(self.ctx.t("desk.f.type")), classes="label", markup=False)
        yield Select(
            [(plain(self.ctx.t(f"type.{t.value}")), t.value) for t in TicketType],
            value=ticket_type if ticket_type else Select.NULL,
            prompt=self.ctx.t("desk.choose"),
            id="close-type",
            compact=self.small,
        )
        yield Static(Text(self.ctx.t("desk.f.category")), classes="label", markup=False)
        yield Select(
            [(plain(name), name) for name in self.categories],
            value=category if category in self.categories else Select.NULL,
            prompt=self.ctx.t("desk.choose"),
            id="close-category",
            compact=self.small,
        )
        yield Static(Text(self.ctx.t("desk.f.responsible")), classes="label", markup=False)
        usernames = [username for username, _ in self.analysts]
        yield Select(
            [(plain(f"{name} ({username})"), username) for username, name in self.analysts],
            value=responsible if responsible in usernames else Select.NULL,
            prompt=self.ctx.t("desk.choose"),
            id="close-responsible",
            compact=self.small,
        )
        with Horizontal(classes="form-buttons"):
            yield Button(
                self.ctx.t("desk.close_button"),
                variant="primary",
                id="close-submit",
                compact=self.small,
            )

    def on_mount(self) -> None:
        for name in ("#close-type", "#close-category", "#close-responsible"):
            select = self.query_one(name, Select)
            if select.value is Select.NULL:
                select.focus()
                return
        self.query_one("#close-submit", Button).focus()

    def _value(self, name: str) -> str | None:
        value: Any = self.query_one(name, Select).value
        return None if value is Select.NULL else str(value)

    def action_submit(self) -> None:
        chosen = self._value("#close-type")
        ticket_type = None if chosen is None else TicketType(chosen)
        category = self._value("#close-category")
        responsible = self._value("#close-responsible")
        self.submit(lambda: self.save(ticket_type, category, responsible))

    @on(Button.Pressed, "#close-submit")
    def _pressed(self) -> None:
        self.action_submit()


class ChoiceForm(Form):
    """Pick one value from a list (responsible, priority, category); enter chooses."""

    def __init__(
        self,
        ctx: DeskContext,
        title: Text,
        options: Sequence[tuple[str | None, str]],
        current: str | None,
        save: Callable[[str | None], object],
        *,
        writes: bool = True,
    ) -> None:
        super().__init__(ctx, title, ctx.t("desk.choice_hint"), writes=writes)
        self.options = list(options)
        self.current = current
        self.save = save

    def fields(self) -> ComposeResult:
        yield OptionList(
            *[Option(plain(label), id=str(i)) for i, (_, label) in enumerate(self.options)],
            id="choice-list",
        )

    def on_mount(self) -> None:
        choices = self.query_one("#choice-list", OptionList)
        values = [value for value, _ in self.options]
        choices.highlighted = values.index(self.current) if self.current in values else 0
        choices.focus()

    @on(OptionList.OptionSelected, "#choice-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        value = self.options[event.option_index][0]
        self.submit(lambda: self.save(value))


class DeadlineForm(Form):
    """A new deadline: a date as the analyst writes it, or +N business days from today;
    ctrl+d puts in the class's standard deadline (`standard`: the day and what it is)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+d", "standard", "standard", show=False, priority=True, id="deadline.standard"
        ),
    ]

    def __init__(
        self,
        ctx: DeskContext,
        title: Text,
        current: date,
        save: Callable[[date], object],
        standard: tuple[date, str] | None = None,
        *,
        writes: bool = True,
    ) -> None:
        super().__init__(ctx, title, ctx.t("desk.deadline_hint"), writes=writes)
        self.current = current
        self.save = save
        self.standard = standard

    def fields(self) -> ComposeResult:
        yield Input(value=self.ctx.date(self.current), id="deadline-input", compact=self.small)
        if self.standard is not None:
            yield Static(Text(self.standard[1], style="dim"), id="deadline-standard", markup=False)

    def action_standard(self) -> None:
        if self.standard is not None:
            self.query_one("#deadline-input", Input).value = self.ctx.date(self.standard[0])

    def on_mount(self) -> None:
        self.query_one("#deadline-input", Input).focus()

    def parse(self, text: str) -> date:
        text = text.strip()
        if text.startswith("+") and text[1:].isdigit():
            calendar = self.ctx.services.calendar
            return calendar.add_business_days(self.ctx.today(), int(text[1:]))
        try:
            return datetime.strptime(text, self.ctx.date_format).date()
        except ValueError:
            pass
        try:
            return parse_date(text)
        except DomainError:
            raise DomainError(self.ctx.t("desk.deadline_bad", text=text)) from None

    @on(Input.Submitted, "#deadline-input")
    def action_submit(self) -> None:
        text = self.query_one("#deadline-input", Input).value
        try:
            day = self.parse(text)
        except DomainError as error:
            self.show_error(describe_error(error, self.ctx))
            return
        self.submit(lambda: self.save(day))


class ConfirmForm(Form):
    """Yes or no before a change to many cases: enter or y confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "submit", "confirm", show=False, id="confirm.yes"),
    ]

    def __init__(self, ctx: DeskContext, title: Text, message: Text) -> None:
        super().__init__(ctx, title, ctx.t("desk.confirm_hint"), writes=False)
        self.message = message

    def fields(self) -> ComposeResult:
        yield Static(self.message, id="confirm-message", markup=False)

    def action_submit(self) -> None:
        self.attempt(lambda: None)
