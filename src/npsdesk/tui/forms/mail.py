"""The e-mail composer: the class's template filled in, edited, previewed, then queued.

Queueing runs in a worker thread like every desk write (it may wait for the store); the
delivery itself runs later in another (the desk starts it), so the screen never waits on
the store or the network. Escape with edits asks first, then keeps them with the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from npsdesk.services.mail import Draft, MailService
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.form import DISCARD, Form
from npsdesk.tui.forms.refusals import REFUSALS, describe_error
from npsdesk.untrusted.text import clean_line, clean_text


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
    ) -> None:
        super().__init__(ctx, title, ctx.t("desk.mail_hint"), case_id=case_id)
        self.mail = mail
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
        yield Input(value=self.message.subject, id="mail-subject", compact=small)
        yield TextArea(
            self.message.body, id="mail-body", soft_wrap=True, tab_behavior="focus", compact=small
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
