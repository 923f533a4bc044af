"""`npsdesk find` and `npsdesk show`: the look-ups, meant to answer fast over SSH (the
renderers load inside the command, after the store has answered)."""

from __future__ import annotations

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import console, emit_json, json_option
from npsdesk.cli.state import State, opened, pass_state


@cli.command()
@click.argument("text")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@json_option
@pass_state
def find(state: State, text: str, limit: int, as_json: bool) -> None:
    """Find opinions by CNPJ, e-mail, phone, id or words of name, company and comment."""
    with opened(state) as services:
        found = services.lookup.find(text, limit)
        if as_json:
            emit_json([o.to_json() for o in found])
            return
        from npsdesk.present.find_cards import print_found

        print_found(text, found, state.style(services))


@cli.command()
@click.argument("opinion")
@click.option(
    "--customer", is_flag=True, help="The customer's every opinion and history, in one timeline."
)
@json_option
@pass_state
def show(state: State, opinion: str, customer: bool, as_json: bool) -> None:
    """One opinion (by id or the platform's id) with its customer and whole history."""
    with opened(state) as services:
        if customer:
            timeline = services.lookup.customer_timeline(opinion)
            if as_json:
                emit_json(timeline.to_json())
                return
            from npsdesk.present.timeline import timeline_view

            console().print(timeline_view(timeline, state.style(services)))
            return
        case = services.lookup.case_file(opinion)
        if as_json:
            emit_json(case.to_json())
            return
        from npsdesk.present.lookups import case_file_view

        console().print(case_file_view(case, state.style(services)))
