"""The forms that choose one value: an option from a list, a deadline, a yes to confirm.
The bulk changes use them only to choose (`writes=False`), then confirm what they will do."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import parse_date
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.form import Form, plain
from npsdesk.tui.forms.refusals import describe_error


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
