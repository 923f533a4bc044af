"""`npsdesk rule`: the team's autopilot rules: list, show, import and export as TOML,
enable, disable, remove, move."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import emit_json, json_option, phrase, say, say_n
from npsdesk.cli.state import State, opened, pass_state
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from npsdesk.services.rules import RuleBook


SHOWN = 20  # cases a test lists one by one


@cli.group()
def rule() -> None:
    """Autopilot rules: when a case is like this, do that (kept in the store for the team)."""


def _book(state: State) -> AbstractContextManager[RuleBook]:
    return opened(state, lambda services: services.rule_book())


@rule.command(name="list")
@json_option
@pass_state
def rule_list(state: State, as_json: bool) -> None:
    """The rules in the order they run."""
    from npsdesk.services.rules import as_json as rule_json

    with _book(state) as book:
        tables = book.tables()
        rules = book.rules()
    if as_json:
        emit_json(
            [rule_json(i, r, t) for i, (r, t) in enumerate(zip(rules, tables, strict=True), 1)]
        )
        return
    if not rules:
        say(state, "cli.rule.none")
        return
    for position, found in enumerate(rules, start=1):
        marks = [phrase(state, "cli.rule.off")] if not found.enabled else []
        marks += [phrase(state, "cli.rule.stops")] if found.stop else []
        extra = f"  ({', '.join(marks)})" if marks else ""
        click.echo(f"{position:>3}  {clean_line(found.name)}{extra}")


@rule.command(name="show")
@click.argument("name")
@json_option
@pass_state
def rule_show(state: State, name: str, as_json: bool) -> None:
    """One rule, as the TOML that imports it."""
    from npsdesk.domain.rules_toml import dump_rules
    from npsdesk.services.rules import as_json as rule_json

    with _book(state) as book:
        position, found, table = book.rule(name)
    if as_json:
        emit_json(rule_json(position, found, table))
        return
    click.echo(f"# {phrase(state, 'cli.rule.position', position=position)}")
    from npsdesk.untrusted.text import clean_text

    click.echo(clean_text(dump_rules([table])), nl=False)


@rule.command(name="test")
@click.argument("name")
@click.option(
    "--from", "start", metavar="DATE", help="First answer date: 2026-10-01 or 01/10/2026."
)
@click.option("--to", "end", metavar="DATE", help="Last answer date (inclusive).")
@json_option
@pass_state
def rule_test(state: State, name: str, start: str | None, end: str | None, as_json: bool) -> None:
    """Which cases answered in the period the rule matches, and what it would change on
    each: nothing is written (a disabled rule is tested as if it were on)."""
    from npsdesk.domain.periods import Period, parse_date

    period = Period(
        None if start is None else parse_date(start), None if end is None else parse_date(end)
    )
    since, until = period.bounds(state.settings.tz)
    with _book(state) as book:
        touched = book.test(name, since, until)
    if as_json:
        emit_json(
            [
                {
                    "opinion_id": touch.opinion_id,
                    "changes": [
                        {"field": f, "from": old, "to": new} for f, old, new in touch.changes
                    ],
                }
                for touch in touched
            ]
        )
        return
    changing = sum(1 for touch in touched if touch.changes)
    say(state, "cli.rule.tested", matched=len(touched), changing=changing)
    for touch in touched[:SHOWN]:
        said = "; ".join(
            f"{_field(state, f)}: {old or '-'} -> {new}" for f, old, new in touch.changes
        )
        click.echo(
            f"  #{touch.opinion_id}  {clean_line(said) or phrase(state, 'cli.rule.no_change')}"
        )
    if len(touched) > SHOWN:
        say_n(state, "cli.rule.more", len(touched) - SHOWN)


def _field(state: State, name: str) -> str:
    """The field's name in the user's language, where the catalogue has it."""
    key = f"field.{name}"
    said = phrase(state, key)
    return name if said == key else said


@rule.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="The file's rules become the whole set.")
@pass_state
def rule_import(state: State, file: Path, replace: bool) -> None:
    """Rules from a TOML file of [[rule]] tables: added after the others, or replacing the
    rule of the same name in its place; nothing is saved when any rule is wrong."""
    text = file.read_text(encoding="utf-8")
    with _book(state) as book:
        added, replaced = book.import_text(text, replace=replace)
    say(state, "cli.rule.imported", added=added, replaced=replaced)


@rule.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@pass_state
def rule_export(state: State, file: Path | None) -> None:
    """The rules as TOML, to FILE or stdout: what `rule import` reads back."""
    with _book(state) as book:
        text = book.export_text()
    if file is None:
        sys.stdout.write(text)
        return
    file.write_text(text, encoding="utf-8")
    say(state, "cli.rule.exported", path=file)


@rule.command(name="enable")
@click.argument("name")
@pass_state
def rule_enable(state: State, name: str) -> None:
    with _book(state) as book:
        changed = book.set_enabled(name, True)
    say(state, "cli.rule.enabled" if changed else "cli.rule.unchanged", name=clean_line(name))


@rule.command(name="disable")
@click.argument("name")
@pass_state
def rule_disable(state: State, name: str) -> None:
    with _book(state) as book:
        changed = book.set_enabled(name, False)
    say(state, "cli.rule.disabled" if changed else "cli.rule.unchanged", name=clean_line(name))


@rule.command(name="remove")
@click.argument("name")
@pass_state
def rule_remove(state: State, name: str) -> None:
    with _book(state) as book:
        book.remove(name)
    say(state, "cli.rule.removed", name=clean_line(name))


@rule.command(name="move")
@click.argument("name")
@click.option("--to", "position", type=click.IntRange(min=1), required=True)
@pass_state
def rule_move(state: State, name: str, position: int) -> None:
    """Put the rule at POSITION (1 runs first)."""
    with _book(state) as book:
        book.move(name, position)
    say(state, "cli.rule.moved", name=clean_line(name), position=position)
