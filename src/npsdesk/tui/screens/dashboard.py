"""The dashboard: NPS, its trend, per vertical, the team's backlog and how customers reply
to our e-mails, for a period the analyst chooses.

The figures are `DashboardService.figures`'s, the same as `npsdesk report --json`, so the
screen and a script never disagree. They are read in a worker thread: on a big store a
period takes a moment, and the screen keeps answering meanwhile.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from npsdesk.domain.figures import Grain
from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import Period, parse_date
from npsdesk.present import dashboard as rd
from npsdesk.present.lookups import CLASS_STYLE, report_view
from npsdesk.services.dashboard import Dashboard, Trend
from npsdesk.services.lookup import Report
from npsdesk.tui.bindings import DASHBOARD_KEYS, HelpScreen, install
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.refusals import describe_error

BAR_WIDTH = 40
TWO_COLUMNS = 140  # columns from which trend and team sit beside summary and verticals


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


def summary_renderable(report: Report, ctx: DeskContext) -> Group:
    return Group(report_view(report, ctx.style()), Text(), class_bars(report, ctx))


def trend_renderable(trend: Trend, ctx: DeskContext) -> Group:
    """The trend with the key that switches between weeks and months."""
    hint = ctx.t(f"dash.trend_hint.{trend.grain.value}")
    return Group(*rd.trend_section(trend, ctx.style(), hint))


class DashboardScreen(Screen[None]):
    """`D` on the desk; escape goes back to the list."""

    AUTO_FOCUS = ""  # the keys choose periods; `f` goes to the dates
    PALETTE_KEYS = DASHBOARD_KEYS  # what ctrl+p offers here

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.period = preset("30days", ctx.today())
        self.grain = Grain.WEEK
        self.figures: Dashboard | None = None  # what the screen shows
        self._asked = 0  # the latest request: an older worker's answer is dropped
        install(self, DASHBOARD_KEYS, ctx)

    def compose(self) -> ComposeResult:
        yield Static(self._title(loading=True), id="dashboard-title", markup=False)
        with Horizontal(id="dashboard-period"):
            label = Text(f"{self.ctx.t('period')} [f]", style="bold")
            yield Static(label, id="period-label", markup=False)
            yield Input(placeholder=self.ctx.t("desk.period_from"), id="period-from")
            yield Input(placeholder=self.ctx.t("desk.period_to"), id="period-to")
        with VerticalScroll(id="dashboard-body"), Horizontal(id="dashboard-columns"):
            with Vertical(id="dashboard-left"):
                yield self._section("dashboard-report")
                yield self._section("dashboard-verticals")
                yield self._section("dashboard-replies")
            with Vertical(id="dashboard-right"):
                yield self._section("dashboard-trend")
                yield self._section("dashboard-team")
        yield Footer(show_command_palette=False)  # 80 columns hold the screen's own keys

    @staticmethod
    def _section(name: str) -> Static:
        return Static(Text(""), id=name, classes="dashboard-section", markup=False)

    def _title(self, *, loading: bool) -> Text:
        title = Text(self.ctx.t("desk.dashboard"), style="bold")
        if loading:
            title.append(f" · {self.ctx.t('dash.loading')}", style="dim")
        return title

    def on_mount(self) -> None:
        self._arrange(self.app.size.width)
        self.show(self.period)

    def on_resize(self, event: events.Resize) -> None:
        self._arrange(event.size.width)

    def _arrange(self, width: int) -> None:
        self.query_one("#dashboard-columns").set_class(width >= TWO_COLUMNS, "-wide")

    # -- loading --------------------------------------------------------------------------

    def show(self, period: Period) -> None:
        self.period = period
        self.query_one("#period-from", Input).value = (
            self.ctx.date(period.start) if period.start else ""
        )
        self.query_one("#period-to", Input).value = self.ctx.date(period.end) if period.end else ""
        self._load()

    def _load(self, *, trend_only: bool = False) -> None:
        """Read the figures in a thread; the newest request wins."""
        self._asked += 1
        number, period, grain = self._asked, self.period, self.grain
        shown = self.figures if trend_only else None
        service = self.ctx.services.dashboard()
        end_thread = self.ctx.reads.end_thread
        self.query_one("#dashboard-title", Static).update(self._title(loading=True))

        def load() -> None:
            figures: Dashboard | None = None
            error: Exception | None = None
            try:
                if shown is not None:
                    figures = dataclasses.replace(shown, trend=service.trend(period, grain))
                else:
                    figures = service.figures(period, grain)
            except Exception as failure:  # a read-only screen says what failed, never hangs
                error = failure
            finally:
                end_thread()  # this thread's connection
            self.app.call_from_thread(self._loaded, number, figures, error)

        self.run_worker(load, thread=True, group="dashboard", exit_on_error=False)

    def _loaded(self, number: int, figures: Dashboard | None, error: Exception | None) -> None:
        if number != self._asked or not self.is_attached:  # asked again, or closed meanwhile
            return
        self.query_one("#dashboard-title", Static).update(self._title(loading=False))
        if error is not None or figures is None:
            reason = describe_error(error or RuntimeError("no figures"), self.ctx)
            message = self.ctx.t("dash.failed", reason=reason)
            self.notify(message, severity="error", markup=False)
            return
        self.figures = figures
        style = self.ctx.style()
        self.query_one("#dashboard-report", Static).update(
            summary_renderable(figures.report, self.ctx)
        )
        self.query_one("#dashboard-verticals", Static).update(
            Group(*rd.verticals_section(figures.verticals, style))
        )
        self.query_one("#dashboard-replies", Static).update(
            Group(*rd.replies_section(figures.replies, style))
        )
        self.query_one("#dashboard-trend", Static).update(trend_renderable(figures.trend, self.ctx))
        self.query_one("#dashboard-team", Static).update(
            Group(*rd.team_section(figures.team, style))
        )

    # -- keys -----------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_preset(self, name: str) -> None:
        self.show(preset(name, self.ctx.today()))

    def action_edit_period(self) -> None:
        self.query_one("#period-from", Input).focus()

    def action_toggle_grain(self) -> None:
        self.grain = Grain.MONTH if self.grain is Grain.WEEK else Grain.WEEK
        self._load(trend_only=self.figures is not None)

    def action_refresh(self) -> None:
        self._load()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#dashboard-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        body = self.query_one("#dashboard-body", VerticalScroll)
        body.scroll_relative(
            y=pages * max(1, body.scrollable_content_region.height - 1), animate=False
        )

    def action_edge(self, bottom: int) -> None:
        body = self.query_one("#dashboard-body", VerticalScroll)
        if bottom:
            body.scroll_end(animate=False)
        else:
            body.scroll_home(animate=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.ctx, DASHBOARD_KEYS))

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
