"""`npsdesk campaign ...`: create, edit, list, show, clone and run survey campaigns."""

from __future__ import annotations

import re
import signal
import sys
import threading
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from npsdesk.cli.mail import EXIT_CODES_HELP
from npsdesk.cli.main import cli
from npsdesk.cli.output import console, emit_json, json_option, phrase, say
from npsdesk.cli.state import Failure, State, opened, pass_state

if TYPE_CHECKING:
    from npsdesk.domain.campaigns import CampaignDates, Window
    from npsdesk.services.campaigns import CampaignService


def campaign_service(
    state: State, *, create: bool = False
) -> AbstractContextManager[CampaignService]:
    from npsdesk.services.campaigns import CampaignService

    return opened(state, CampaignService, create=create)


def _period(start: str | None, end: str | None, month: str | None) -> CampaignDates | None:
    from npsdesk.domain.campaigns import CampaignDates, month_period, parse_month
    from npsdesk.domain.periods import parse_date

    if month is not None:
        if start or end:
            raise Failure(key="cli.campaign.month_or_dates")
        return month_period(*parse_month(month))
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise Failure(key="cli.campaign.both_dates")
    return CampaignDates(parse_date(start), parse_date(end))


def _window(text: str | None) -> Window | None:
    from npsdesk.domain.campaigns import parse_window

    return None if text is None else parse_window(text)


def _body(path: Path | None) -> str | None:
    return None if path is None else path.read_text(encoding="utf-8")


def _options(f: Any) -> Any:
    for option in reversed(
        [
            click.option("--from", "start", metavar="DATE", help="First day (31/12/2026)."),
            click.option("--to", "end", metavar="DATE", help="Last day, included."),
            click.option("--month", metavar="YYYY-MM", help="The whole month."),
            click.option("--window", metavar="H-H", help="Daily hours, like 8-18 (local)."),
            click.option("--vertical", "verticals", multiple=True, help="Only this vertical."),
            click.option("--product", "products", multiple=True, help="Only this product."),
            click.option("--link", metavar="URL", help="Survey link with {token}."),
            click.option("--subject", help="Invitation subject (template)."),
            click.option("--body-file", type=click.Path(dir_okay=False, path_type=Path)),
        ]
    ):
        f = option(f)
    return f


@cli.group()
def campaign() -> None:
    """Survey campaigns: automatic inclusion from the last-service date, invitations."""


@campaign.command(name="create")
@click.argument("name")
@_options
@click.option("--auto/--no-auto", default=True, help="Include served customers automatically.")
@click.option("--inactive", is_flag=True, help="Create it switched off.")
@pass_state
def campaign_create(state: State, /, name: str, **options: Any) -> None:
    """Create a campaign (its invitation starts from the shipped template)."""
    period = _period(options["start"], options["end"], options["month"])
    if period is None:
        raise Failure(key="cli.campaign.period_needed")
    if not options["link"]:
        raise Failure(key="cli.campaign.link_needed")
    with campaign_service(state, create=True) as service:
        service.create(
            name,
            period,
            options["link"],
            window=_window(options["window"]),
            auto_include=options["auto"],
            verticals=options["verticals"],
            products=options["products"],
            subject=options["subject"],
            body=_body(options["body_file"]),
            active=not options["inactive"],
        )
    say(state, "cli.campaign.created", name=name, start=period.starts_on, end=period.ends_on)


@campaign.command(name="edit")
@click.argument("name")
@_options
@click.option("--rename", metavar="NEW", help="A new name.")
@click.option("--auto/--no-auto", default=None, help="Automatic inclusion on or off.")
@click.option("--active/--inactive", default=None, help="Switch the campaign on or off.")
@pass_state
def campaign_edit(state: State, /, name: str, **options: Any) -> None:
    """Change a campaign; only the options given change."""
    changes: dict[str, object] = {}
    period = _period(options["start"], options["end"], options["month"])
    if period is not None:
        changes.update(starts_on=period.starts_on, ends_on=period.ends_on)
    window = _window(options["window"])
    if window is not None:
        changes.update(window_from=window.start, window_to=window.end)
    simple = {
        "name": options["rename"],
        "auto_include": options["auto"],
        "active": options["active"],
        "link_template": options["link"],
        "subject": options["subject"],
        "body": _body(options["body_file"]),
    }
    changes.update({k: v for k, v in simple.items() if v is not None})
    if options["verticals"]:
        changes["verticals"] = ";".join(options["verticals"])
    if options["products"]:
        changes["products"] = ";".join(options["products"])
    if not changes:
        raise Failure(key="cli.campaign.nothing_to_change")
    with campaign_service(state) as service:
        service.edit(name, **changes)
    say(state, "cli.campaign.changed", name=options["rename"] or name)


@campaign.command(name="list")
@json_option
@pass_state
def campaign_list(state: State, as_json: bool) -> None:
    """Each campaign with participants, invited, responded, response rate and NPS."""
    with campaign_service(state) as service:
        figures = service.figures()
    if as_json:
        emit_json([f.to_json() for f in figures])
        return
    if not figures:
        say(state, "cli.campaign.none")
        return
    from rich.table import Table
    from rich.text import Text

    heads = ("campaign", "period", "window", "participants", "invited", "responded", "rate")
    table = Table(box=None, pad_edge=False, header_style="bold")
    for index, head in enumerate(heads):
        table.add_column(
            phrase(state, f"cli.campaign.col.{head}"), justify="right" if index >= 3 else "left"
        )
    table.add_column("NPS", justify="right")
    fmt = state.settings.effective_date_format()
    for f in figures:
        rate = "-" if f.response_rate is None else f"{f.response_rate:.1f}%"
        table.add_row(
            Text(f.name + ("" if f.active else " " + phrase(state, "cli.campaign.off"))),
            f"{f.starts_on.strftime(fmt)}–{f.ends_on.strftime(fmt)}",
            f.window,
            str(f.participants),
            str(f.invited),
            str(f.responded),
            rate,
            "-" if f.nps is None else str(f.nps),
        )
    console().print(table)


@campaign.command(name="show")
@click.argument("name")
@json_option
@pass_state
def campaign_show(state: State, name: str, as_json: bool) -> None:
    with campaign_service(state) as service:
        row = service.get(name)
        figures = next(f for f in service.figures() if f.name == row["name"])
    data = figures.to_json() | {
        "verticals": row["verticals"],
        "products": row["products"],
        "link": row["link_template"],
        "subject": row["subject"],
        "body": row["body"],
    }
    if as_json:
        emit_json(data)
        return
    from npsdesk.i18n.catalog import entries

    width = 19 if state.lang == "pt" else 14  # the longest name, "inclusão automática"
    for key, value in data.items():
        if key != "body":
            field = f"campaign.field.{key}"
            label = phrase(state, field) if field in entries() else key
            click.echo(f"{label:<{width}} {'-' if value is None else value}")
    click.echo("\n" + str(row["body"]))


@campaign.command(name="clone")
@click.argument("name")
@click.option("--as", "new_name", metavar="NEW", help="The copy's name (default: by month).")
@click.option("--month", metavar="YYYY-MM", help="Move the copy to this month.")
@click.option("--year", type=click.IntRange(2000, 2100), help="Twelve monthly copies.")
@pass_state
def campaign_clone(
    state: State, name: str, new_name: str | None, month: str | None, year: int | None
) -> None:
    """'Save as': a copy moved to a month, or the months of a year (those NAME covers
    itself are skipped, and said so)."""
    from npsdesk.domain.campaigns import parse_month

    if (month is None) == (year is None):
        raise Failure(key="cli.campaign.month_or_year")
    skipped: list[tuple[int, int]] = []
    with campaign_service(state) as service:
        if year is not None:
            if new_name:
                raise Failure(key="cli.campaign.as_with_year")
            cloned = service.clone_year(name, year)
            made, skipped = cloned.made, cloned.skipped
        else:
            assert month is not None
            made = [service.clone(name, new_name, parse_month(month))]
    for made_name in made:
        say(state, "cli.campaign.cloned", name=made_name)
    for skipped_year, skipped_month in skipped:
        month_shown = f"{skipped_year}-{skipped_month:02d}"
        say(state, "cli.campaign.clone_skipped", month=month_shown, name=name)


_EVERY = re.compile(r"^\s*(\d+)\s*(s|m|h)?\s*$")


def parse_every(text: str) -> timedelta:
    match = _EVERY.match(text)
    if match is None or int(match.group(1)) == 0:
        raise Failure(key="cli.campaign.every_bad", text=text)
    unit = {"s": 1, "m": 60, "h": 3600}[match.group(2) or "m"]
    return timedelta(seconds=int(match.group(1)) * unit)


@campaign.command(name="run", epilog=EXIT_CODES_HELP)
@click.option("--once", is_flag=True, help="One check, then exit (with the codes below).")
@click.option("--every", metavar="INTERVAL", help="Check again every INTERVAL (5m, 30s, 1h).")
@pass_state
def campaign_run(state: State, once: bool, every: str | None) -> None:
    """Include and invite customers of the campaigns inside their window now."""
    from npsdesk.cli.mail import delivery_exit, finish, warn_undelivered
    from npsdesk.i18n import t_n
    from npsdesk.services.scheduler import describe, run_every

    if once == (every is not None):
        raise Failure(key="cli.campaign.once_or_every")
    with campaign_service(state) as service:
        if once:
            report = service.run_once()
            for line in describe(report, state.lang):
                click.echo(line)
            if report.delivery is not None:
                warn_undelivered(state, report.delivery)
                finish(delivery_exit(report.delivery))
            return
        assert every is not None
        interval = parse_every(every)
        stop = threading.Event()

        def ask_to_stop(signum: int, _frame: object) -> None:
            log(phrase(state, "cli.campaign.stopping", signal=signal.Signals(signum).name))
            stop.set()

        signal.signal(signal.SIGTERM, ask_to_stop)
        signal.signal(signal.SIGINT, ask_to_stop)
        log(phrase(state, "cli.campaign.checking", every=every))
        checks = run_every(service, interval, stop.wait, log, lang=state.lang)
        log(t_n("cli.campaign.stopped", checks, state.lang))


def log(line: str) -> None:
    click.echo(f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S} {line}", err=True)
    sys.stderr.flush()
