"""What the desk's action objects may ask of the screen that owns them, and what they share.

Each action object (case, bulk, thank-yous) is given the screen as a `DeskPort`: the case
the keys act on and the selection, refreshing, telling the analyst, opening a form, and
running a change or other work off the screen's thread. They never reach the screen's
widgets, nor each other, except through what they are handed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from rich.text import Text
from textual.notifications import SeverityLevel
from textual.screen import Screen

from npsdesk.services.desk_reads import CaseFile, ListFilter
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.form import Form
from npsdesk.untrusted.text import clean_line

T = TypeVar("T")

Options = list[tuple[str | None, str]]  # (value, label) of a choice form


class DeskPort(Protocol):
    @property
    def ctx(self) -> DeskContext: ...

    @property
    def filter(self) -> ListFilter:
        """What the list shows now (its tab: archiving there means unarchiving)."""
        ...

    def current_case(self) -> CaseFile | None:
        """The case the keys act on, read now if the panes are still catching up (None,
        said to the analyst, when there is none)."""
        ...

    def target(self) -> int | None:
        """The id of the case the keys act on, without reading it."""
        ...

    def selection(self) -> list[int]:
        """The selected ids, in order (empty: the keys act on one case)."""
        ...

    def unselect_all(self) -> None: ...

    def refresh_all(
        self, keep: int | None = None, *, advance_from: int | None = None, pin: bool = False
    ) -> None:
        """Read the list, counts and case again after a change (see `DeskFrame`)."""
        ...

    def refresh_staying(self) -> None:
        """Read everything again, a case pinned in the panes staying there."""
        ...

    def say(self, message: str, *, warning: bool = False) -> None: ...

    def tell(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None: ...

    def fail(self, error: Exception) -> None:
        """Say why the core refused, in the desk's language."""
        ...

    def open_form(self, form: Form, done: Callable[[], None]) -> None:
        """Open a form that makes a change; `done` once it went through."""
        ...

    def push(self, screen: Screen[Any]) -> None:
        """Open a screen or a form that only chooses (its callback says what)."""
        ...

    def later(self, callback: Callable[..., object], *args: Any) -> None: ...

    def write(
        self, key: object, call: Callable[[], T], done: Callable[[T], object], *, long: bool = False
    ) -> None:
        """Run a change in a worker thread (`saving.Writes`); `done(result)` after it."""
        ...

    def in_thread(self, work: Callable[[], None], group: str) -> None: ...

    def from_thread(self, callback: Callable[..., object], *args: Any) -> None: ...


def case_title(ctx: DeskContext, key: str, case: CaseFile | None) -> Text:
    """A form's title naming the case: `Note · #34 · Luís Fernandes`."""
    title = Text(ctx.t(key), style="bold")
    if case is not None:
        o = case.opinion
        title.append(f" · #{o.id} · ")
        title.append(clean_line(o.name or o.company or ""))
    return title


def analyst_options(ctx: DeskContext) -> Options:
    """Nobody, then the team's active analysts: the responsible and follower choices."""
    options: Options = [(None, ctx.t("nobody"))]
    return options + [(username, f"{name} ({username})") for username, name in ctx.reads.analysts()]
