"""The campaigns screen: every campaign with its period, daily window and response figures.

The figures are `CampaignService.figures()`'s, the same as `npsdesk campaign list`, so the
screen and a script never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from npsdesk.services.campaigns import Figures
from npsdesk.tui.bindings import CAMPAIGNS_KEYS, install
from npsdesk.tui.context import DeskContext, safe
from npsdesk.tui.forms.refusals import REFUSALS, describe_error


def campaigns_renderable(figures: Sequence[Figures], ctx: DeskContext) -> RenderableType:
    if not figures:
        return Text(ctx.t("desk.campaigns_none"), style="dim")
    table = Table(box=None, padding=(0, 1), show_header=True, header_style="bold")
    table.add_column(Text(ctx.t("desk.camp.name")), overflow="fold", ratio=1)
    table.add_column(Text(ctx.t("desk.camp.period")), no_wrap=True)
    table.add_column(Text(ctx.t("desk.camp.window")), no_wrap=True)
    table.add_column(Text(ctx.t("desk.camp.active")), no_wrap=True)
    for key in ("participants", "invited", "responded", "rate", "nps"):
        table.add_column(Text(ctx.t(f"desk.camp.{key}")), justify="right", no_wrap=True)
    for f in figures:
        rate = f.response_rate
        nps = Text("-", style="dim") if f.nps is None else Text(str(f.nps), style="bold")
        table.add_row(
            safe(f.name),
            Text(f"{ctx.date(f.starts_on)} – {ctx.date(f.ends_on)}"),
            Text(f.window),
            Text(ctx.t("desk.yes"), style="green")
            if f.active
            else Text(ctx.t("desk.no"), style="dim"),
            Text(ctx.count(f.participants)),
            Text(ctx.count(f.invited)),
            Text(ctx.count(f.responded)),
            Text("-", style="dim") if rate is None else Text(f"{ctx.decimal(rate)}%"),
            nps,
        )
    return table


class CampaignsScreen(Screen[None]):
    """`C` on the desk; escape goes back to the list."""

    AUTO_FOCUS = ""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        install(self, CAMPAIGNS_KEYS, ctx)

    def compose(self) -> ComposeResult:
        title = Text(self.ctx.t("desk.campaigns"), style="bold")
        yield Static(title, id="campaigns-title", markup=False)
        with VerticalScroll(id="campaigns-body"):
            yield Static(Text(""), id="campaigns-table", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        try:
            figures = self.ctx.services.campaigns(self.ctx.analyst).figures()
        except REFUSALS as error:
            self.notify(describe_error(error, self.ctx), severity="error", markup=False)
            return
        self.query_one("#campaigns-table", Static).update(campaigns_renderable(figures, self.ctx))

    def action_close(self) -> None:
        self.dismiss(None)
