"""The dashboard's figures as terminal tables, for `npsdesk report` and the desk alike.

Names that come from the store (verticals, analysts) are data: they go through
`clean_line` into `rich.text.Text`, never into markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from npsdesk.domain.figures import Grain
from npsdesk.i18n import Style, fmt_count, fmt_number, t
from npsdesk.services.dashboard import (
    ClassReplies,
    Replies,
    Team,
    TeamMember,
    Trend,
    TrendPoint,
    VerticalFigures,
)
from npsdesk.untrusted.text import clean_line

SPARK = "▁▂▃▄▅▆▇█"
TREND_SIDE = 20  # characters from 0 to ±100 on each side of the trend's axis
DAY_BAR = 4  # width of a day's bar in the closed-per-day row


def duration_text(span: timedelta | None, lang: str) -> str:
    """`2d 4h`, `5h 07m` (`5h07` in Portuguese) or `38 min`, to the minute; `-` without one."""
    if span is None:
        return "-"
    minutes = round(span.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return t("dash.duration.days", lang).format(d=days, h=hours)
    if hours:
        return t("dash.duration.hours", lang).format(h=hours, m=minutes)
    return t("dash.duration.minutes", lang).format(m=minutes)


def nps_text(value: float | None, lang: str) -> Text:
    if value is None:
        return Text("-", style="dim")
    colour = "green" if value > 0 else "red" if value < 0 else "yellow"
    return Text(fmt_number(value, lang, sign=True), style=f"bold {colour}")


def percent_text(value: float | None, lang: str) -> Text:
    return Text("-", style="dim") if value is None else Text(f"{fmt_number(value, lang)}%")


def spark(values: Sequence[int], top: int) -> Text:
    """One character per value, its height scaled to `top`; a dim dot for zero."""
    text = Text()
    for value in values:
        if value <= 0 or top <= 0:
            text.append("·", style="dim")
        else:
            level = min(len(SPARK) - 1, max(0, round(value / top * len(SPARK)) - 1))
            text.append(SPARK[level], style="cyan")
    return text


# -- trend ------------------------------------------------------------------------------


def bucket_label(point: TrendPoint, grain: Grain, style: Style) -> str:
    """A week by its first day in the period; a month by its name and year."""
    start = point.start
    if grain is Grain.MONTH:
        return f"{t(f'dash.month.{start.month}', style.lang)} {start.year}"
    return style.date(start)


def trend_bar(nps: float | None, side: int = TREND_SIDE) -> Text:
    """A bar from a centre axis: left and red below zero, right and green above."""
    cells = 0 if nps is None else round(abs(nps) / 100 * side)
    left = cells if nps is not None and nps < 0 else 0
    right = cells if nps is not None and nps > 0 else 0
    bar = Text(" " * (side - left))
    bar.append("█" * left, style="red")
    bar.append("│", style="dim")
    bar.append("█" * right, style="green")
    bar.append(" " * (side - right))
    return bar


def trend_view(trend: Trend, style: Style, side: int = TREND_SIDE) -> RenderableType:
    lang = style.lang
    if not trend.points:
        return Text(t("dash.trend_empty", lang), style="dim")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="dim")
    for point in trend.points:
        empty = point.counts.total == 0
        table.add_row(
            Text(bucket_label(point, trend.grain, style)),
            trend_bar(point.nps, side),
            Text(t("dash.no_answers", lang), style="dim") if empty else nps_text(point.nps, lang),
            Text("" if empty else fmt_count(point.counts.total, lang)),
        )
    return table


def _table() -> Table:
    """A table with a rule under its header and no edges; the box's blank vertical line is
    the one space between columns (80 columns hold the team's eight)."""
    return Table(box=box.HORIZONTALS, show_edge=False, padding=0, header_style="bold")


# -- per vertical -----------------------------------------------------------------------


def verticals_view(verticals: Sequence[VerticalFigures], style: Style) -> RenderableType:
    lang = style.lang
    if not verticals:
        return Text(t("dash.trend_empty", lang), style="dim")
    table = _table()
    table.add_column(Text(t("dash.col.vertical", lang)), overflow="fold", min_width=8)
    for key in ("answers", "promoters", "neutrals", "detractors", "nps"):
        table.add_column(Text(t(f"dash.col.{key}", lang)), justify="right", no_wrap=True)
    for v in verticals:
        c = v.counts
        name = (
            Text(clean_line(v.vertical))
            if v.vertical is not None
            else Text(t("dash.no_vertical", lang), style="dim")
        )
        table.add_row(
            name,
            Text(fmt_count(c.total, lang)),
            Text(fmt_count(c.promoters, lang), style="green"),
            Text(fmt_count(c.neutrals, lang), style="yellow"),
            Text(fmt_count(c.detractors, lang), style="red"),
            nps_text(v.nps, lang),
        )
    return table


# -- team -------------------------------------------------------------------------------


def _member_row(member: TeamMember, name: Text, top: int, lang: str) -> list[Text]:
    last = spark(member.closed_per_day, top)
    last.append(f" {fmt_count(sum(member.closed_per_day), lang)}")
    return [
        name,
        Text(fmt_count(member.untreated, lang)),
        Text(fmt_count(member.in_treatment, lang)),
        Text(fmt_count(member.closed, lang)),
        percent_text(member.closed_percent, lang),
        Text(duration_text(member.first_action, lang)),
        Text(duration_text(member.to_close, lang)),
        last,
    ]


def team_view(team: Team, style: Style) -> RenderableType:
    """One row per responsible (nobody last) and the team's total; the last column is each
    one's closed cases per day over the last days, bars on one scale for everybody."""
    lang = style.lang
    if not team.members:
        return Text(t("dash.team_empty", lang), style="dim")
    table = _table()
    table.add_column(Text(t("dash.col.responsible", lang)), overflow="fold", min_width=8)
    for key in ("untreated", "in_treatment", "closed", "closed_percent"):
        table.add_column(Text(t(f"dash.col.{key}", lang)), justify="right", no_wrap=True)
    for key in ("first_action", "to_close"):  # a little wider: `2d 21h 2d 22h` runs on
        table.add_column(
            Text(t(f"dash.col.{key}", lang)), justify="right", no_wrap=True, min_width=7
        )
    table.add_column(Text(t("dash.col.last_days", lang)), no_wrap=True)
    top = max((n for m in team.members for n in m.closed_per_day), default=0)
    for i, member in enumerate(team.members):
        name = (
            Text(clean_line(member.responsible))
            if member.responsible is not None
            else Text(t("nobody", lang), style="italic")
        )
        table.add_row(*_member_row(member, name, top, lang), end_section=i == len(team.members) - 1)
    total = Text(t("dash.team_total", lang), style="bold")
    table.add_row(*_member_row(team.total, total, max(team.total.closed_per_day), lang))
    return table


def closed_days_view(team: Team, style: Style) -> RenderableType:
    """The team's closed cases on each of the last days: day, bar, count."""
    lang = style.lang
    top = max(team.total.closed_per_day, default=0)
    table = Table.grid(padding=(0, 2))
    for _ in team.days:
        table.add_column(justify="center", no_wrap=True)
    table.add_row(
        *(Text(f"{t(f'dash.wd.{d.weekday()}', lang)} {d.day:02d}") for d in team.days),
        style="dim",
    )
    table.add_row(*(_day_bar(n, top) for n in team.total.closed_per_day))
    table.add_row(*(Text(fmt_count(n, lang)) for n in team.total.closed_per_day))
    return table


def _day_bar(value: int, top: int) -> Text:
    if value <= 0 or top <= 0:
        return Text("·", style="dim")
    level = min(len(SPARK) - 1, max(0, round(value / top * len(SPARK)) - 1))
    return Text(SPARK[level] * DAY_BAR, style="cyan")


# -- customer replies -------------------------------------------------------------------

CLASS_COLOUR = {"detractor": "red", "neutral": "yellow", "promoter": "green"}


def hours_text(hours: float | None, lang: str) -> Text:
    """`5.2 h` (`5,2 h` in Portuguese); a dim `-` without a figure."""
    if hours is None:
        return Text("-", style="dim")
    return Text(t("replies.fig.hours", lang).format(h=fmt_number(hours, lang)))


def _replies_row(row: ClassReplies, name: Text, lang: str) -> list[Text]:
    return [
        name,
        Text(fmt_count(row.emailed, lang)),
        Text(fmt_count(row.replied, lang)),
        percent_text(row.rate, lang),
    ]


def replies_view(replies: Replies, style: Style) -> RenderableType:
    """The time to the customer's first reply, then the reply rate per class and in all."""
    lang = style.lang
    if replies.total.emailed == 0:
        return Text(t("replies.fig.none", lang), style="dim")
    times = Text(f"{t('replies.fig.first_reply', lang)}: ")
    times.append(f"{t('replies.fig.median', lang)} ")
    times.append_text(hours_text(replies.median_hours, lang))
    times.append(f" · {t('replies.fig.p90', lang)} ")
    times.append_text(hours_text(replies.p90_hours, lang))
    table = _table()
    table.add_column(Text(t("replies.fig.col.class", lang)), no_wrap=True, min_width=8)
    for key in ("emailed", "replied", "rate"):
        table.add_column(Text(t(f"replies.fig.col.{key}", lang)), justify="right", no_wrap=True)
    for i, row in enumerate(replies.classes):
        key = str(row.nps_class)
        name = Text(t(f"classes.{key}", lang).capitalize(), style=CLASS_COLOUR.get(key, ""))
        table.add_row(*_replies_row(row, name, lang), end_section=i == len(replies.classes) - 1)
    total = Text(t("replies.fig.total", lang), style="bold")
    table.add_row(*_replies_row(replies.total, total, lang))
    return Group(times, table)


def replies_section(replies: Replies, style: Style) -> list[RenderableType]:
    lang = style.lang
    return [
        heading(t("replies.fig.title", lang)),
        Text(t("replies.fig.note", lang), style="dim"),
        replies_view(replies, style),
    ]


# -- sections ---------------------------------------------------------------------------


def heading(text: str, hint: str | None = None) -> Text:
    head = Text(text, style="bold")
    if hint:
        head.append(f"  {hint}", style="dim")
    return head


def trend_section(trend: Trend, style: Style, hint: str | None = None) -> list[RenderableType]:
    return [
        heading(t(f"dash.trend.{trend.grain.value}", style.lang), hint),
        trend_view(trend, style),
    ]


def verticals_section(verticals: Sequence[VerticalFigures], style: Style) -> list[RenderableType]:
    return [heading(t("dash.verticals", style.lang)), verticals_view(verticals, style)]


def team_section(team: Team, style: Style) -> list[RenderableType]:
    lang = style.lang
    return [
        heading(t("dash.team", lang)),
        Text(t("dash.team_note", lang), style="dim"),
        team_view(team, style),
        Text(),
        heading(t("dash.closed_per_day", lang)),
        closed_days_view(team, style),
    ]
