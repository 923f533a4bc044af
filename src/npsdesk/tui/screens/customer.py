"""The customer's whole timeline: `h` on the desk shows every opinion this customer (same
CNPJ, else same e-mail) gave and what was done about each, in one line of time.

The view is `timeline_view`'s, the same as `npsdesk show ID --customer`.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from npsdesk.present.timeline import timeline_view
from npsdesk.services.lookup import CustomerTimeline
from npsdesk.tui.bindings import CUSTOMER_KEYS, install
from npsdesk.tui.context import DeskContext


class CustomerScreen(Screen[None]):
    """Read-only; escape goes back to the case it was opened from."""

    def __init__(self, ctx: DeskContext, timeline: CustomerTimeline) -> None:
        super().__init__()
        self.ctx = ctx
        self.timeline = timeline
        install(self, CUSTOMER_KEYS, ctx)

    def compose(self) -> ComposeResult:
        title = Text(self.ctx.t("customer.title"), style="bold")
        yield Static(title, id="customer-title", markup=False)
        with VerticalScroll(id="customer-body"):
            yield Static(timeline_view(self.timeline, self.ctx.style()), markup=False)
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#customer-body", VerticalScroll)
        body.focus()
        body.scroll_end(animate=False)  # the newest entries, as the case pane shows them

    def action_close(self) -> None:
        self.dismiss(None)
