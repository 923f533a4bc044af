"""The dashboard: NPS and the backlog for a period the analyst chooses.

The figures are `LookupService.report`'s, the same as `npsdesk report`, so the screen and a
script never disagree.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import Period, parse_date
from npsdesk.render import CLASS_STYLE, report_view
from npsdesk.services.lookup import Report
from npsdesk.ui.context import DeskContext
from npsdesk.ui.forms import REFUSALS, describe_error
from npsdesk.ui.keys import DASHBOARD_KEYS, install

BAR_WIDTH = 40


def preset(name: str, today: date) -> Period:
    """this month, the last 30 days, this quarter, or every answer."""
    if name == "month":
        return Period(today.replace(day=1), today)
    if name == "30days":
        return Period(today - timedelta(days=29), today)
    if name == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        return Period(today.replace(month=first_month, day=1), today)
    return Period()


def class_bars(report: Report, ctx: DeskContext) -> Table:
    c = report.counts
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    for key, count in (
        ("promoter", c.promoters),
        ("neutral", c.neutrals),
        ("detractor", c.detractors),
    ):
        share = count / c.total if c.total else 0.0
        bar = Text("█" * round(share * BAR_WIDTH), style=CLASS_STYLE[key])
        bar.append(f" {ctx.decimal(100 * share)}%")
        table.add_row(
            Text(ctx.t(f"classes.{key}").capitalize(), style=CLASS_STYLE[key]),
            Text(ctx.count(count)),
            bar,
        )
    return table


def dashboard_renderable(report: Report, ctx: DeskContext) -> Group:
    parts: list[RenderableType] = [
        report_view(report, ctx.style()),
        Text(),
        class_bars(report, ctx),
    ]
    return Group(*parts)


class DashboardScreen(Screen[None]):
    """`D` on the desk; escape goes back to the list."""

    AUTO_FOCUS = ""  # the keys choose periods; `f` goes to the dates

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.period = preset("30days", ctx.today())
        install(self, DASHBOARD_KEYS, ctx)
        self.title_text = ctx.t("desk.dashboard")

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title_text, style="bold"), id="dashboard-title", markup=False)
        with Horizontal(id="dashboard-period"):
            label = Text(f"{self.ctx.t('period')} [f]", style="bold")
            yield Static(label, id="period-label", markup=False)
            yield Input(placeholder=self.ctx.t("desk.period_from"), id="period-from")
            yield Input(placeholder=self.ctx.t("desk.period_to"), id="period-to")
        with VerticalScroll(id="dashboard-body"):
            yield Static(Text(""), id="dashboard-report", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.period)

    def show(self, period: Period) -> None:
        self.period = period
        self.query_one("#period-from", Input).value = (
            self.ctx.date(period.start) if period.start else ""
        )
        self.query_one("#period-to", Input).value = self.ctx.date(period.end) if period.end else ""
        try:
            report = self.ctx.services.lookup.report(period)
        except REFUSALS as error:
            self.notify(describe_error(error, self.ctx), severity="error", markup=False)
            return
        self.query_one("#dashboard-report", Static).update(dashboard_renderable(report, self.ctx))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_preset(self, name: str) -> None:
        self.show(preset(name, self.ctx.today()))

    def action_edit_period(self) -> None:
        self.query_one("#period-from", Input).focus()

    def _parse(self, text: str) -> date | None:
        text = text.strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, self.ctx.date_format).date()
        except ValueError:
            return parse_date(text)

    @on(Input.Submitted)
    def _period_typed(self) -> None:
        try:
            period = Period(
                self._parse(self.query_one("#period-from", Input).value),
                self._parse(self.query_one("#period-to", Input).value),
            )
        except DomainError as error:
            self.notify(describe_error(error, self.ctx), severity="error", markup=False)
            return
        self.set_focus(None)
        self.show(period)
