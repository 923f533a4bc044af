"""Bulk verbs for scripts and SSH: `npsdesk archive|unarchive|assign` on ids or a filter.

They run the desk's bulk service: one transaction, and a report of what was skipped and why.
A filter picks opinions the way the desk's `f` does; with neither ids nor a filter nothing
is done unless `--all` says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from npsdesk.cli import Failure, State, cli, emit_json, json_option, pass_state

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.services.bulk import BulkResult


def _filters(f: Any) -> Any:
    options = [
        click.option("--id", "ids", multiple=True, type=int, help="This opinion (repeatable)."),
        click.option("--status", type=click.Choice(["untreated", "in_treatment", "closed"])),
        click.option(
            "--class", "nps_class", type=click.Choice(["detractor", "neutral", "promoter"])
        ),
        click.option("--vertical", help="Only this vertical."),
        click.option("--responsible", help="Only cases of this analyst."),
        click.option("--category", help="Only this category."),
        click.option("--campaign", help="Only this campaign."),
        click.option("--from", "start", metavar="DATE", help="Answered on or after."),
        click.option("--before", metavar="DATE", help="Answered before this day."),
        click.option("--overdue", is_flag=True, help="Open cases past their deadline."),
        click.option("--search", metavar="TEXT", help="As `npsdesk find` matches."),
        click.option("--all", "everything", is_flag=True, help="No filter: every opinion."),
        click.option("--dry-run", is_flag=True, help="Say how many would change; change nothing."),
        json_option,
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _chosen(services: Services, tab: str, o: dict[str, Any]) -> list[int]:
    from datetime import datetime, time

    from npsdesk.domain.periods import parse_date
    from npsdesk.store.desk_queries import ListFilter, Narrow, all_ids

    if o["ids"]:
        return list(dict.fromkeys(o["ids"]))
    tz = services.settings.tz

    def midnight(text: str | None) -> datetime | None:
        return None if text is None else datetime.combine(parse_date(text), time(), tz)

    narrow = Narrow(
        nps_class=o["nps_class"],
        vertical=o["vertical"],
        status=o["status"],
        responsible=o["responsible"],
        category=o["category"],
        campaign=o["campaign"],
        overdue_on=services.lookup.today() if o["overdue"] else None,
        since=midnight(o["start"]),
        until=midnight(o["before"]),
    )
    if not narrow and not o["search"] and not o["everything"]:
        raise Failure("choose opinions: --id, a filter (--status, --before, ...) or --all")
    with services.db.read() as conn:
        return all_ids(
            conn,
            ListFilter(
                tab=tab, search=o["search"] or "", me=services.settings.analyst, narrow=narrow
            ),
        )


def _run(
    state: State, verb: str, tab: str, options: dict[str, Any], username: str | None = None
) -> None:
    from npsdesk.services.bulk import BulkService

    services = state.services(create=False)
    try:
        ids = _chosen(services, tab, options)
        if options["dry_run"] or not ids:
            report = {"verb": verb, "matched": len(ids), "dry_run": options["dry_run"]}
            if options["as_json"]:
                emit_json(report | {"ids": ids})
            else:
                click.echo(
                    f"{verb}: {len(ids):,} opinion(s) match"
                    + (" (dry run)" if options["dry_run"] else "")
                )
            return
        bulk = BulkService(services.db, services.clock, services.settings.analyst)
        if verb == "archive":
            result = bulk.archive(ids)
        elif verb == "unarchive":
            result = bulk.unarchive(ids)
        else:
            result = bulk.assign(ids, username)
    finally:
        services.close()
    _report(result, len(ids), options["as_json"])


def _report(result: BulkResult, matched: int, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "verb": result.verb,
                "matched": matched,
                "changed": sorted(result.changed),
                "skipped": {reason: list(ids) for reason, ids in result.skipped.items()},
            }
        )
        return
    click.echo(f"{result.verb}: {len(result.changed):,} of {matched:,} opinion(s) changed")
    for reason, ids in result.skipped.items():
        shown = ", ".join(str(i) for i in ids[:10]) + (" ..." if len(ids) > 10 else "")
        click.echo(f"  {len(ids):,} skipped: {reason.replace('_', ' ')} ({shown})")


@cli.command()
@_filters
@pass_state
def archive(state: State, /, **options: Any) -> None:
    """Archive opinions (ids or a filter) in one transaction."""
    _run(state, "archive", "all", options)


@cli.command()
@_filters
@pass_state
def unarchive(state: State, /, **options: Any) -> None:
    """Bring archived opinions back (ids or a filter) in one transaction."""
    _run(state, "unarchive", "archived", options)


@cli.command()
@click.argument("username")
@_filters
@pass_state
def assign(state: State, /, username: str, **options: Any) -> None:
    """Make USERNAME responsible for opinions (ids or a filter); `-` clears it."""
    _run(state, "assign", "all", options, None if username == "-" else username)
