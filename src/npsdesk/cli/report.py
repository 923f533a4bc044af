"""`npsdesk report`: NPS and the backlog for a period, with the dashboard's figures on demand.

The figures are the desk dashboard's (`DashboardService`), so a script and the screen never
disagree.
"""

from __future__ import annotations

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import console, emit_json, json_option
from npsdesk.cli.state import State, opened, pass_state


@cli.command()
@click.option(
    "--from", "start", metavar="DATE", help="First answer date: 2026-10-01 or 01/10/2026."
)
@click.option("--to", "end", metavar="DATE", help="Last answer date (inclusive).")
@click.option("--vertical", metavar="NAME", help="Only this vertical (case and accents ignored).")
@click.option("--include-internal", is_flag=True, help="Count internal surveys too.")
@click.option(
    "--trend",
    type=click.Choice(["week", "month"]),
    help="Add the NPS per week (Monday first) or per month of the period.",
)
@click.option(
    "--by",
    multiple=True,
    type=click.Choice(["vertical", "responsible"]),
    help="Add NPS per vertical, or the team's backlog per responsible (repeatable).",
)
@click.option(
    "--replies",
    "with_replies",
    is_flag=True,
    help="Add how customers reply to our e-mails: time to the first reply, rate per class.",
)
@json_option
@pass_state
def report(
    state: State,
    start: str | None,
    end: str | None,
    vertical: str | None,
    include_internal: bool,
    trend: str | None,
    by: tuple[str, ...],
    with_replies: bool,
    as_json: bool,
) -> None:
    """NPS and the backlog for a period of answer dates (all answers when none is given).

    --json has every figure of the desk's dashboard: the trend (per week unless --trend
    month), per vertical, the team's backlog and the customers' replies."""
    from npsdesk.domain.figures import Grain
    from npsdesk.domain.periods import Period, parse_date

    period = Period(
        parse_date(start) if start else None,
        parse_date(end) if end else None,
    )
    with opened(state) as services:
        figures = services.dashboard()
        internal = {"include_internal": include_internal}
        if as_json:
            grain = Grain(trend or "week")
            emit_json(figures.figures(period, grain, vertical, **internal).to_json())
            return
        from npsdesk.present import dashboard as rd
        from npsdesk.present.lookups import report_view

        style = state.style(services)
        out = console()
        out.print(report_view(services.lookup.report(period, vertical, **internal), style))
        sections = []
        if trend:
            found = figures.trend(period, Grain(trend), vertical, **internal)
            sections.append(rd.trend_section(found, style))
        if "vertical" in by:
            sections.append(
                rd.verticals_section(figures.by_vertical(period, vertical, **internal), style)
            )
        if "responsible" in by:
            sections.append(rd.team_section(figures.team(period, vertical, **internal), style))
        if with_replies:
            sections.append(
                rd.replies_section(figures.replies(period, vertical, **internal), style)
            )
        for section in sections:
            out.print()
            for part in section:
                out.print(part)
