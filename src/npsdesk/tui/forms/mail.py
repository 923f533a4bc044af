"""The e-mail composer: the class's template filled in, edited, previewed, then queued.

Queueing runs in a worker thread like every desk write (it may wait for the store); the
delivery itself runs later in another (the desk starts it), so the screen never waits on
the store or the network. Escape with edits asks first, then keeps them with the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static, TextArea

from npsdesk.services.mail import Draft, MailService
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.form import DISCARD, Form
from npsdesk.tui.forms.refusals import REFUSALS, describe_error
from npsdesk.untrusted.text import clean_line, clean_text


@dataclass(frozen=True)
class Answering:
    """The customer's e-mail a message answers: its inbound id, and who wrote it when
    (for the composer's line that says so)."""

    inbound_id: int
    sender: str
    when: str
    subject: str


def compose_for(
    mail: MailService, opinion_id: int, answering: Answering | None, *, quote: bool = False
) -> Draft:
    """The draft of a new message, or of an answer to the customer's e-mail (subject
    `Re: ...`, In-Reply-To and References to it, their text quoted when asked)."""
    if answering is None:
        return mail.compose(opinion_id)
    return mail.compose(opinion_id, answering=answering.inbound_id, quote=quote)


def splice_quote(body: str, before: str, after: str) -> str | None:
    """The body once the template goes from `before` to `after` (the quote put in or
    taken out), keeping what the analyst typed; None when that cannot be told apart."""
    if body == before:
        return after
    if after.startswith(before):  # quoting: the quote goes after what was typed
        return body + after[len(before) :]
    if before.startswith(after):  # no longer quoting: the quote comes off the end
        quote = before[len(after) :]
        return body[: len(body) - len(quote)] if body.endswith(quote) else None
    return None


class PreviewScreen(ModalScreen[None]):
    """The message exactly as the customer's mail program receives it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", show=False, id="preview.close")
    ]

    def __init__(self, ctx: DeskContext, message: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.message = message

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", id="preview"):
            yield Static(Text(self.ctx.t("desk.preview_title"), style="bold"), markup=False)
            yield Static(Text(clean_text(self.message)), id="preview-text", markup=False)
            yield Static(Text(self.ctx.t("desk.preview_hint"), style="dim"), markup=False)


class EmailComposer(Form):
    """The message to the customer; what was typed and not sent stays with the case."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "preview", "preview", show=False, id="mail.preview"),
        Binding("ctrl+f", "send(True)", "send and close", show=False, id="mail.send_close"),
        Binding("ctrl+o", "toggle_quote", "quote", show=False, id="mail.quote"),
        DISCARD,
    ]
    draft_kind = "mail"

    def __init__(
        self,
        ctx: DeskContext,
        title: Text,
        case_id: int,
        mail: MailService,
        composed: Draft,
        queued: Callable[[int, bool], object],
        answering: Answering | None = None,
    ) -> None:
        super().__init__(ctx, title, ctx.t("desk.mail_hint"), case_id=case_id)
        self.mail = mail
        self.answering = answering  # the customer's e-mail this answers, if it does
        self.quoting = False
        self.composed = composed  # the template filled in: what counts as nothing typed
        kept = self.draft
        if isinstance(kept, tuple):
            subject, body = kept
            self.message = replace(composed, subject=str(subject), body=str(body))
        else:
            self.message = composed
        self.queued = queued

    def fields(self) -> ComposeResult:
        to = Text(f"{self.ctx.t('desk.mail_to')}: ", style="bold")
        if self.message.to_name:
            to.append(clean_line(self.message.to_name) + " ")
        to.append(f"<{clean_line(self.message.to_address)}>")
        yield Static(to, id="mail-to", markup=False)
        small = self.small
        if self.answering is not None:
            said = self.ctx.t("desk.reply.answering", sender="\x00", date=self.answering.when)
            line = Text(style="dim")
            head, _, tail = said.partition("\x00")
            line.append(head)
            line.append(clean_line(self.answering.sender), style="bold")
            line.append(tail)
            yield Static(line, id="mail-answering", markup=False)
        yield Input(value=self.message.subject, id="mail-subject", compact=small)
        yield TextArea(
            self.message.body, id="mail-body", soft_wrap=True, tab_behavior="focus", compact=small
        )
        if self.answering is not None:
            yield Checkbox(
                self.ctx.t("desk.reply.quote_option") + " ^O",
                value=False,
                id="mail-quote",
                compact=True,
            )
        with Horizontal(classes="form-buttons"):
            yield Button(self.ctx.t("desk.mail_preview"), id="mail-preview", compact=small)
            yield Button(
                self.ctx.t("desk.mail_send"), variant="primary", id="mail-send", compact=small
            )
            yield Button(
                self.ctx.t("desk.mail_send_close"),
                variant="warning",
                id="mail-close",
                compact=small,
            )

    def on_mount(self) -> None:
        self.query_one("#mail-body", TextArea).focus()

    def edited(self) -> Draft:
        subject = self.query_one("#mail-subject", Input).value
        body = self.query_one("#mail-body", TextArea).text
        return replace(self.message, subject=subject, body=body)

    def typed(self) -> tuple[str, str] | None:
        """Subject and body when they differ from the template filled in."""
        edited = self.edited()
        if (edited.subject, edited.body) == (self.composed.subject, self.composed.body):
            return None
        return edited.subject, edited.body

    def action_toggle_quote(self) -> None:
        if self.answering is None:
            return
        box = self.query_one("#mail-quote", Checkbox)
        box.value = not box.value  # (the change below follows)

    @on(Checkbox.Changed, "#mail-quote")
    def _quote_changed(self, event: Checkbox.Changed) -> None:
        if self.answering is None or event.value == self.quoting:
            return
        try:
            again = compose_for(
                self.mail, self.message.opinion_id, self.answering, quote=event.value
            )
        except REFUSALS as error:
            self.show_error(describe_error(error, self.ctx))
            return
        area = self.query_one("#mail-body", TextArea)
        spliced = splice_quote(area.text, self.composed.body, again.body)
        if spliced is None:  # typed over the quote: left as the analyst has it
            self.show_status(self.ctx.t("desk.reply.quote_kept"), style="bold yellow")
        else:
            area.text = spliced
        self.quoting = event.value
        self.composed = again
        self.message = replace(again, subject=self.query_one("#mail-subject", Input).value)

    def action_preview(self) -> None:
        try:
            message = self.mail.preview(self.edited())
        except REFUSALS as error:
            self.show_error(describe_error(error, self.ctx))
            return
        self.app.push_screen(PreviewScreen(self.ctx, message))

    def action_submit(self) -> None:
        self.action_send(False)

    def action_send(self, close: bool) -> None:
        draft = self.edited()
        if not draft.subject.strip():
            self.show_error(self.ctx.t("desk.mail_no_subject"))
            return
        mail = self.mail
        self.write(lambda: mail.queue(draft, close=close), lambda box: self.queued(box, close))

    @on(Button.Pressed, "#mail-preview")
    def _preview(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#mail-send")
    def _send(self) -> None:
        self.action_send(False)

    @on(Button.Pressed, "#mail-close")
    def _send_close(self) -> None:
        self.action_send(True)
