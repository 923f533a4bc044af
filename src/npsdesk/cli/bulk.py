"""Bulk verbs for scripts and SSH: `npsdesk archive|unarchive|assign|follow|set|close` on
ids or a filter.

They run the desk's bulk service: one transaction, and a report of what was skipped and why.
A filter picks opinions the way the desk's `f` does; with neither ids nor a filter nothing
is done unless `--all` says so.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import emit_json, json_option, phrase, say_n
from npsdesk.cli.state import Failure, State, opened, pass_state

if TYPE_CHECKING:
    from collections.abc import Callable

    from npsdesk.bootstrap import Services
    from npsdesk.services.bulk import BulkResult, BulkService

    Apply = Callable[[BulkService, list[int]], BulkResult]
    Make = Callable[[Services], Apply]


def _filters(f: Any, *, closing: bool = False) -> Any:
    # `close` sets --category and --responsible: its filters on them take other names
    of_category = "--in-category" if closing else "--category"
    of_responsible = "--of-responsible" if closing else "--responsible"
    options = [
        click.option("--id", "ids", multiple=True, type=int, help="This opinion (repeatable)."),
        click.option("--status", type=click.Choice(["untreated", "in_treatment", "closed"])),
        click.option(
            "--class", "nps_class", type=click.Choice(["detractor", "neutral", "promoter"])
        ),
        click.option("--vertical", help="Only this vertical."),
        click.option(of_responsible, "responsible", help="Only cases of this analyst."),
        click.option(of_category, "category", help="Only this category."),
        click.option("--campaign", help="Only this campaign."),
        click.option("--from", "start", metavar="DATE", help="Answered on or after."),
        click.option("--before", metavar="DATE", help="Answered before this day."),
        click.option("--overdue", is_flag=True, help="Open cases past their deadline."),
        click.option("--search", metavar="TEXT", help="As `npsdesk find` matches."),
        click.option("--all", "everything", is_flag=True, help="No filter: every opinion."),
        click.option("--dry-run", is_flag=True, help="Say how many would change; change nothing."),
        json_option,
        click.argument("more_ids", nargs=-1, type=int, metavar="[ID]..."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _chosen(services: Services, tab: str, o: dict[str, Any]) -> list[int]:
    from datetime import datetime, time

    from npsdesk.domain.periods import parse_date
    from npsdesk.services.bulk import Narrow

    if o["ids"] or o["more_ids"]:
        return list(dict.fromkeys([*o["ids"], *o["more_ids"]]))
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
        raise Failure(key="cli.bulk.choose")
    return services.bulk().matching(tab, narrow, o["search"] or "")


def _run(state: State, verb: str, tab: str, options: dict[str, Any], make: Make) -> None:
    """Pick the opinions, then apply the verb `make` builds (it may need the services, as
    "+2 business days" does) in one transaction."""
    with opened(state) as services:
        ids = _chosen(services, tab, options)
        if options["dry_run"] or not ids:
            report = {"verb": verb, "matched": len(ids), "dry_run": options["dry_run"]}
            if options["as_json"]:
                emit_json(report | {"ids": ids})
            else:
                dry = "cli.bulk.matched_dry" if options["dry_run"] else "cli.bulk.matched"
                say_n(state, dry, len(ids), verb=verb)
            return
        apply = make(services)
        result = apply(services.bulk(), ids)
    _report(state, result, len(ids), options["as_json"])


def _report(state: State, result: BulkResult, matched: int, as_json: bool) -> None:
    from npsdesk.i18n import fmt_count

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
    changed = fmt_count(len(result.changed), state.lang)
    say_n(state, "cli.bulk.changed", matched, verb=result.verb, changed=changed)
    for reason, ids in result.skipped.items():
        shown = ", ".join(str(i) for i in ids[:10]) + (" ..." if len(ids) > 10 else "")
        say_n(state, "cli.bulk.skipped", len(ids), reason=_reason(state, reason), ids=shown)


def _reason(state: State, reason: str) -> str:
    """A skip reason in the user's language: "missing_type+category" names the fields."""
    from npsdesk.services.bulk import SKIP_MISSING

    if reason.startswith(SKIP_MISSING):
        fields = reason.removeprefix(SKIP_MISSING).split("+")
        return phrase(
            state,
            "cli.skip.missing",
            fields="+".join(phrase(state, f"field.{name}") for name in fields),
        )
    said = phrase(state, f"cli.skip.{reason}")
    return reason.replace("_", " ") if said == f"cli.skip.{reason}" else said


@cli.command()
@_filters
@pass_state
def archive(state: State, /, **options: Any) -> None:
    """Archive opinions (ids or a filter) in one transaction."""
    _run(state, "archive", "all", options, lambda _: lambda bulk, ids: bulk.archive(ids))


@cli.command()
@_filters
@pass_state
def unarchive(state: State, /, **options: Any) -> None:
    """Bring archived opinions back (ids or a filter) in one transaction."""
    _run(state, "unarchive", "archived", options, lambda _: lambda bulk, ids: bulk.unarchive(ids))


@cli.command()
@click.argument("username")
@_filters
@pass_state
def assign(state: State, /, username: str, **options: Any) -> None:
    """Make USERNAME responsible for opinions (ids or a filter); `-` clears it."""
    who = None if username == "-" else username
    _run(state, "assign", "all", options, lambda _: lambda bulk, ids: bulk.assign(ids, who))


@cli.command()
@click.argument("username")
@_filters
@pass_state
def follow(state: State, /, username: str, **options: Any) -> None:
    """Add USERNAME to the followers of opinions (ids or a filter)."""
    _run(state, "follow", "all", options, lambda _: lambda b, ids: b.follow(ids, username))


@cli.command(name="set")
@click.argument("field", type=click.Choice(["category", "type", "priority", "deadline"]))
@click.argument("value")
@_filters
@pass_state
def set_field(state: State, /, field: str, value: str, **options: Any) -> None:
    """Set FIELD to VALUE on opinions (ids or a filter).

    \b
    category  a registered category; `-` clears it
    type      complaint|praise|suggestion|none (or Reclamação, Elogio, ...); `-` clears it
    priority  high|medium|low (or alta, média, baixa, 1-3)
    deadline  a date (2026-12-01, 01/12/2026) or +N business days from today
    """
    _run(state, field, "all", options, lambda services: _setter(services, field, value))


def _setter(services: Services, field: str, text: str) -> Apply:
    from npsdesk.domain import workflow
    from npsdesk.domain.models import DomainError, Priority
    from npsdesk.domain.periods import parse_date

    clear = text.strip() == "-"
    if field == "category":
        name = None if clear else text.strip()
        return lambda bulk, ids: bulk.set_category(ids, name)
    if field == "type":
        ticket_type = None if clear else workflow.parse_ticket_type(text)
        return lambda bulk, ids: bulk.set_type(ids, ticket_type)
    if field == "priority":
        priority = _PRIORITIES.get(workflow.fold(text))
        if priority is None:
            raise DomainError(key="refusal.priority.unknown", text=text)
        return lambda bulk, ids: bulk.set_priority(ids, Priority(priority))
    step = text.strip()
    if step.startswith("+") and step[1:].isdigit():
        today = services.lookup.today()
        deadline = services.calendar.add_business_days(today, int(step[1:]))
    else:
        deadline = parse_date(step)
    return lambda bulk, ids: bulk.set_deadline(ids, deadline)


_PRIORITIES = {
    "high": 1,
    "alta": 1,
    "1": 1,
    "medium": 2,
    "media": 2,
    "2": 2,
    "low": 3,
    "baixa": 3,
    "3": 3,
}


@cli.command()
@click.option("--type", "ticket_type", help="Type for every case: complaint, praise, ...")
@click.option("--category", "new_category", metavar="NAME", help="Category for every case.")
@click.option("--responsible", "new_responsible", metavar="USERNAME", help="Responsible.")
@functools.partial(_filters, closing=True)
@pass_state
def close(
    state: State,
    /,
    ticket_type: str | None,
    new_category: str | None,
    new_responsible: str | None,
    **options: Any,
) -> None:
    """Close opinions (ids or a filter); the given fields are set on each first.

    A case still lacking type, category or responsible stays open and is reported.
    """
    from npsdesk.domain import workflow

    chosen_type = None if ticket_type is None else workflow.parse_ticket_type(ticket_type)
    _run(
        state,
        "close",
        "all",
        options,
        lambda _: (
            lambda bulk, ids: bulk.close(
                ids, ticket_type=chosen_type, category=new_category, responsible=new_responsible
            )
        ),
    )
