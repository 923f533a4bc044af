"""What every section of the team settings screen shares: the language, the store, the
message line, saving off the screen's thread, and a refusal said in the analyst's language
with nothing typed lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from npsdesk.domain.registry import RegistryError
from npsdesk.tui.bindings import DeskKey, install
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.refusals import REFUSALS, describe_error

T = TypeVar("T")
QUOTED = ("name", "address")  # values shown between quotes, as typed


def explain(error: Exception, ctx: DeskContext) -> str:
    """A refusal in the desk's language where the core gave it a code, else as it says."""
    if isinstance(error, RegistryError) and error.code:
        key = f"settings.err.{error.code}"
        if ctx.t(key) != key:
            values = {
                name: f"'{value}'" if name in QUOTED else value
                for name, value in error.values.items()
            }
            if "cls" in values:
                values["cls"] = ctx.t(f"classes.{values['cls']}")
            return ctx.t(key, **values)
    return describe_error(error, ctx)


class SettingsPane(Vertical):
    """One section (a tab) of the settings screen."""

    KEYS: ClassVar[tuple[DeskKey, ...]] = ()
    section: ClassVar[str] = ""

    def __init__(self, ctx: DeskContext, *, small: bool) -> None:
        super().__init__(id=f"settings-{self.section}", classes="settings-pane")
        self.ctx = ctx
        self.small = small  # compact fields: the screen fits 80x24
        if self.KEYS:
            install(self, self.KEYS, ctx)

    def load(self) -> None:
        """Read the section from the store."""

    def save(self) -> None:
        """ctrl+s: save what was typed (sections with nothing to type ignore it)."""

    def dirty(self) -> bool:
        """Something typed and not saved."""
        return False

    def entry(self) -> Widget | None:
        """Where the keyboard goes when the section opens."""
        return None

    def say(self, message: str, *, error: bool = False, warning: bool = False) -> None:
        line = self.screen.query_one("#settings-message", Static)
        style = "bold red" if error else "bold yellow" if warning else "green"
        line.update(Text(message, style=style))

    def write(self, action: Callable[[], T], then: Callable[[T], object]) -> None:
        """Save in a worker thread (`saving.Writes`): the message line says "saving…", then
        that the store is busy when it is slow; `then(result)` once it went through, else
        the refusal on the message line. A second save while one runs waits for it."""
        ctx = self.ctx

        def done(result: T) -> None:
            if self.is_attached:  # the screen may have closed while it saved
                then(result)

        def refused(error: Exception) -> None:
            if self.is_attached:
                self.say(explain(error, ctx), error=True)
            else:
                self.app.notify(explain(error, ctx), severity="error", markup=False)

        def waiting() -> None:
            if self.is_attached:
                self.say(ctx.t("desk.waiting_store"), warning=True)

        if ctx.writes.write(self.app, self, action, done, refused, waiting):
            self.say(ctx.t("desk.saving"), warning=True)
        else:
            self.say(ctx.t("desk.still_saving"), warning=True)

    def attempt(self, action: Callable[[], T]) -> tuple[bool, T | None]:
        """(True, what `action` gave), or (False, None) with the refusal said on the
        message line; the fields keep what was typed either way."""
        try:
            return True, action()
        except REFUSALS as error:
            self.say(explain(error, self.ctx), error=True)
            return False, None
