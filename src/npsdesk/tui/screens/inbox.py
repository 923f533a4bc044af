"""The unmatched inbox: customer messages that found no case, put on one by hand or thrown away.

`a` attaches the highlighted message to the case the desk had under its cursor when the
screen opened (a confirm line names it), `A` to a case typed by its number, `d` discards
it (after a confirm line). Every change runs through the reply service in a worker thread,
like every desk write. The messages came from outside: shown as `Text`, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static

from npsdesk.tui import bindings as keys
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.refusals import REFUSALS, describe_error
from npsdesk.tui.widgets.reply_entries import sender_text
from npsdesk.untrusted.text import clean_line, clean_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from npsdesk.services.desk_reads import CaseFile
    from npsdesk.services.replies import Received, ReplyService

SUBJECT_WIDTH = 60


class ConfirmLine(ModalScreen[bool]):
    """One line at the bottom: the question, enter confirms, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y,s", "answer(True)", show=False, id="confirm.yes"),
        Binding("escape,n", "answer(False)", show=False, id="confirm.no"),
    ]

    def __init__(self, ctx: DeskContext, question: Text) -> None:
        super().__init__()
        self.ctx = ctx
        self.question = question

    def compose(self) -> ComposeResult:
        line = self.question.copy()
        line.append(f"  {self.ctx.t('desk.inbox.confirm_keys')}", style="dim")
        yield Static(line, id="confirm-line", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class CaseNumberPrompt(ModalScreen[int | None]):
    """The number of the case to attach a message to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False, id="prompt.cancel"),
    ]

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with Vertical(id="case-prompt", classes="form"):
            yield Static(Text(self.ctx.t("desk.inbox.ask_case"), style="bold"), markup=False)
            yield Input(id="case-number", compact=True)
            yield Static(Text(""), id="case-prompt-error", markup=False)
            yield Static(Text(self.ctx.t("desk.inbox.ask_case_hint"), style="dim"), markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip().lstrip("#").strip()
        if not text.isdigit():
            said = self.ctx.t("desk.inbox.not_a_case", text=clean_line(event.value))
            self.query_one("#case-prompt-error", Static).update(Text(said, style="bold red"))
            return
        self.dismiss(int(text))

    def action_cancel(self) -> None:
        self.dismiss(None)


def case_name(case: CaseFile) -> Text:
    """`#34 · Maria Souza (Durasoft)`: the case a message would go to."""
    o = case.opinion
    text = Text(f"#{o.id}", style="bold")
    who = o.name or o.company or o.email
    if who:
        text.append(" · " + clean_line(who))
    if o.name and o.company:
        text.append(f" ({clean_line(o.company)})")
    return text


def message_view(message: Received, ctx: DeskContext) -> Text:
    """The whole message, as it came: who, when, the subject, its text, what it quoted."""
    text = Text()
    text.append(f"{ctx.t('desk.reply.from')}: ", style="bold")
    sender = sender_text(message.from_name, message.from_address)
    text.append_text(sender if sender else Text(ctx.t("cli.inbox.no_sender"), style="dim"))
    text.append(f"\n{ctx.t('desk.reply.date')}: ", style="bold")
    text.append(ctx.time(message.sent_at or message.received_at))
    text.append(f"\n{ctx.t('subject').capitalize()}: ", style="bold")
    text.append(clean_line(message.subject) or ctx.t("cli.inbox.no_subject"))
    text.append(f"\n{ctx.t('cli.inbox.col.kind').capitalize()}: ", style="bold")
    text.append(ctx.t(f"reply.kind.{message.kind}"))
    if message.reason:
        text.append(f"\n{ctx.t('cli.inbox.col.reason').capitalize()}: ", style="bold")
        text.append(clean_line(message.reason), style="yellow")
    text.append("\n\n")
    said = clean_text(message.text).strip("\n")
    text.append(said or ctx.t("desk.reply.no_text"), style="" if said else "dim italic")
    if message.quoted.strip():
        text.append("\n\n")
        text.append(clean_text(message.quoted).strip("\n"), style="dim")
    return text


class InboxScreen(Screen[None]):
    """The unmatched messages, newest first, and the one under the cursor in full."""

    def __init__(self, ctx: DeskContext, case: CaseFile | None) -> None:
        super().__init__()
        self.ctx = ctx
        self.case = case  # the desk's case when the screen opened: `a` attaches to it
        keys.install(self, keys.INBOX_KEYS, ctx)
        self.messages: list[Received] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="inbox-title", markup=False)
        table: DataTable[Text] = DataTable(id="inbox-list", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="inbox-message"):
            yield Static(Text(""), id="inbox-text", markup=False)
        yield Static(Text(""), id="inbox-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        t = self.ctx.t
        table = self.query_one(DataTable)
        table.add_column(Text(t("desk.inbox.col.received")), key="received")
        table.add_column(Text(t("desk.inbox.col.from")), key="from")
        table.add_column(Text(t("desk.inbox.col.subject")), key="subject")
        table.add_column(Text(t("desk.inbox.col.kind")), key="kind")
        if self.case is not None:
            hint = t("desk.inbox.hint", id=self.case.opinion.id)
        else:
            hint = t("desk.inbox.hint_no_case")
        self.query_one("#inbox-hint", Static).update(Text(hint, style="dim"))
        self.load()
        table.focus()

    # -- reading --------------------------------------------------------------------------

    def load(self, keep: int = 0) -> None:
        """Read the inbox again; the cursor stays at row `keep` (or the last row)."""
        try:
            self.messages = self.ctx.services.replies(self.ctx.analyst).inbox()
        except REFUSALS as error:
            self.app.notify(describe_error(error, self.ctx), severity="error", markup=False)
            self.messages = []
        table = self.query_one(DataTable)
        table.clear()
        for message in self.messages:
            sender = clean_line(message.from_address or "") or self.ctx.t("cli.inbox.no_sender")
            subject = clean_line(message.subject)[:SUBJECT_WIDTH] or self.ctx.t(
                "cli.inbox.no_subject"
            )
            table.add_row(
                Text(self.ctx.time(message.received_at), style="dim"),
                Text(sender),
                Text(subject),
                Text(self.ctx.t(f"reply.kind.{message.kind}")),
                key=str(message.id),
            )
        title = Text(self.ctx.t("desk.inbox.title"), style="bold")
        title.append(f" ({self.ctx.count(len(self.messages))})")
        self.query_one("#inbox-title", Static).update(title)
        if self.messages:
            table.move_cursor(row=min(keep, len(self.messages) - 1))
        self._show(self.current())

    def current(self) -> Received | None:
        table = self.query_one(DataTable)
        if not self.messages or not 0 <= table.cursor_row < len(self.messages):
            return None
        return self.messages[table.cursor_row]

    def _show(self, message: Received | None) -> None:
        shown = (
            message_view(message, self.ctx)
            if message is not None
            else Text(self.ctx.t("desk.inbox.empty"), style="dim italic")
        )
        self.query_one("#inbox-text", Static).update(shown)
        self.query_one("#inbox-message", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(self.current())

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter: the message's text takes the focus, to scroll it."""
        self._show(self.current())
        self.query_one("#inbox-message", VerticalScroll).focus()

    # -- deciding -----------------------------------------------------------------------

    def action_attach(self) -> None:
        message = self._chosen()
        if message is None:
            return
        if self.case is None:
            self.app.notify(self.ctx.t("desk.inbox.no_case"), severity="warning", markup=False)
            return
        question = Text(
            self.ctx.t("desk.inbox.confirm_attach", sender="\x00", case="\x01"), style="bold"
        )
        question = _fill(question, sender=self._sender(message), case=case_name(self.case))
        opinion_id = self.case.opinion.id

        def answered(yes: bool | None) -> None:
            if yes:
                self._put_on_case(message, opinion_id)

        self.app.push_screen(ConfirmLine(self.ctx, question), answered)

    def action_attach_to(self) -> None:
        message = self._chosen()
        if message is None:
            return

        def typed(opinion_id: int | None) -> None:
            if opinion_id is not None:
                self._put_on_case(message, opinion_id)

        self.app.push_screen(CaseNumberPrompt(self.ctx), typed)

    def action_discard(self) -> None:
        message = self._chosen()
        if message is None:
            return
        question = Text(self.ctx.t("desk.inbox.confirm_discard", sender="\x00"), style="bold")
        question = _fill(question, sender=self._sender(message))

        def answered(yes: bool | None) -> None:
            if yes:
                self._decide(
                    message,
                    lambda replies: replies.discard(message.id),
                    self.ctx.t("desk.inbox.discarded", id=message.id),
                )

        self.app.push_screen(ConfirmLine(self.ctx, question), answered)

    def _put_on_case(self, message: Received, opinion_id: int) -> None:
        self._decide(
            message,
            lambda replies: replies.attach(message.id, opinion_id),
            self.ctx.t("desk.inbox.attached", id=message.id, case=opinion_id),
        )

    def _decide(self, message: Received, act: Callable[[ReplyService], None], said: str) -> None:
        replies = self.ctx.services.replies(self.ctx.analyst)
        row = self.query_one(DataTable).cursor_row

        def done(_: object) -> None:
            self.app.notify(said, markup=False)
            if self.is_attached:
                self.load(keep=row)

        def refused(error: Exception) -> None:
            self.app.notify(describe_error(error, self.ctx), severity="error", markup=False)
            if self.is_attached:
                self.load(keep=row)

        def waiting() -> None:
            self.app.notify(self.ctx.t("desk.waiting_store"), severity="warning", markup=False)

        started = self.ctx.writes.write(
            self.app, ("inbox", message.id), lambda: act(replies), done, refused, waiting
        )
        if not started:
            self.app.notify(self.ctx.t("desk.still_saving"), severity="warning", markup=False)

    def _chosen(self) -> Received | None:
        message = self.current()
        if message is None:
            self.app.notify(self.ctx.t("desk.inbox.nothing"), severity="warning", markup=False)
        return message

    def _sender(self, message: Received) -> Text:
        sender = sender_text(message.from_name, message.from_address)
        return sender if sender else Text(self.ctx.t("cli.inbox.no_sender"))

    # -- other keys ---------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load(keep=self.query_one(DataTable).cursor_row)

    def action_help(self) -> None:
        self.app.push_screen(keys.HelpScreen(self.ctx, keys.INBOX_KEYS))

    def action_close(self) -> None:
        self.dismiss(None)


def _fill(template: Text, **parts: Text) -> Text:
    """`template` with its place-holders (\\x00 for `sender`, \\x01 for `case`) replaced by
    `parts`, each kept as its own `Text` (what came from outside is never parsed)."""
    marks = {"\x00": parts.get("sender"), "\x01": parts.get("case")}
    out = Text(style=template.style)
    for char in template.plain:
        part = marks.get(char)
        if part is None:
            out.append(char)
        else:
            out.append_text(part)
    return out
