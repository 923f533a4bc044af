"""The frame every modal form shares: title, fields, the error line, saving and drafts.

A form runs its action itself when submitted, in a worker thread when it writes, so the
screen never waits on the store. A refusal (a rule of the domain, a locked store) shows
inside the form and everything typed stays, so nothing is lost; the form closes only
when the action went through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.refusals import describe_error
from npsdesk.tui.saving import REFUSALS
from npsdesk.untrusted.text import clean_line


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
