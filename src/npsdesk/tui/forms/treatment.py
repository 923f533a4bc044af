"""The forms that treat one case: an internal note, a contact attempt, closing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input, Select, Static, TextArea

from npsdesk.domain.models import Channel, ContactOutcome, TicketType
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.form import DISCARD, Form, plain


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
