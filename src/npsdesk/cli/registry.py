"""`npsdesk config` and `npsdesk category|analyst|settings ...`: the settings in force, the
team's registry and settings, and their log.

Registered on the `npsdesk` group by `npsdesk.cli.main` (LAZY_COMMANDS).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import emit_json, json_option, phrase, say
from npsdesk.cli.state import Failure, State, opened, pass_state

if TYPE_CHECKING:
    from npsdesk.services.registry import RegistryChange
    from npsdesk.services.team import Setting

CLASSES = ("detractor", "neutral", "promoter")
SHOWN_VALUE = 48  # characters of a logged value on one line (templates are long)


def _said(state: State, kind: str, outcome: RegistryChange) -> None:
    """One line for what an add or remove did (names are quoted as typed)."""
    from npsdesk.i18n import t_n
    from npsdesk.services import registry as r

    what = {
        r.ADDED: "added",
        r.REACTIVATED: "back",
        r.UPDATED: "updated",
        r.UNCHANGED: "unchanged",
        r.DEACTIVATED: "removed",
        r.DELETED: "deleted",
    }[outcome.what]
    click.echo(t_n(f"cli.{kind}.{what}", outcome.cases, state.lang, name=repr(outcome.name)))
    if outcome.note:
        click.echo(f"npsdesk: warning: {outcome.note}", err=True)


@cli.command()
@pass_state
def config(state: State) -> None:
    """Print the effective settings and where each came from."""
    from npsdesk.config.settings import describe

    settings = state.settings
    shown = settings.config_path or phrase(state, "cli.config.no_file")
    say(state, "cli.config.file", path=shown)
    rows = describe(settings)
    width = max(len(key) for key, _, _ in rows)
    overrides = team_overrides(state)  # deadlines, bonus: the store's win
    for key, value, source in rows:
        note = f"; {overrides[key]}" if key in overrides else ""
        click.echo(f"{key:<{width}}  {value}    # {source}{note}")
    say(state, "cli.config.team_wins")


# -- categories ----------------------------------------------------------------------------


@cli.group()
def category() -> None:
    """The categories cases are filed under (the desk's `g` and close form offer them)."""


@category.command(name="add")
@click.argument("name")
@pass_state
def category_add(state: State, name: str) -> None:
    """Add NAME (a removed category of that name comes back, with its cases)."""

    with opened(state) as services:
        _said(state, "category", services.registry().add_category(name))


@category.command(name="remove")
@click.argument("name")
@pass_state
def category_remove(state: State, name: str) -> None:
    """Take NAME out of the choices; the cases filed under it keep it."""

    with opened(state) as services:
        _said(state, "category", services.registry().remove_category(name))


@category.command(name="list")
@click.option("--all", "everything", is_flag=True, help="Removed categories too.")
@json_option
@pass_state
def category_list(state: State, everything: bool, as_json: bool) -> None:
    """The categories, with how many cases each has."""
    from npsdesk.untrusted.text import clean_line

    with opened(state) as services:
        found = services.registry().categories(include_removed=everything)
    if as_json:
        emit_json([c.to_json() for c in found])
        return
    if not found:
        say(state, "cli.category.none")
    width = max((len(clean_line(c.name)) for c in found), default=0)
    for c in found:
        mark = "" if c.active else "  " + phrase(state, "cli.category.removed_mark")
        click.echo(f"{clean_line(c.name):<{width}}  {c.cases:>6}{mark}")


# -- analysts ------------------------------------------------------------------------------


@cli.group()
def analyst() -> None:
    """The analysts: responsible and follower choices in the desk."""


@analyst.command(name="add")
@click.argument("username")
@click.option("--name", help="The name the desk shows (default: the username).")
@click.option("--email", help="Their e-mail ('' clears it).")
@click.option("--role", help="Such as support_lead or implementation ('' clears it).")
@pass_state
def analyst_add(
    state: State, username: str, name: str | None, email: str | None, role: str | None
) -> None:
    """Add USERNAME, or change the details of (or bring back) an analyst already known."""

    with opened(state) as services:
        outcome = services.registry().add_analyst(username, name=name, email=email, role=role)
        _said(state, "analyst", outcome)


@analyst.command(name="remove")
@click.argument("username")
@pass_state
def analyst_remove(state: State, username: str) -> None:
    """Take USERNAME out of the choices; their cases and history keep their name."""

    with opened(state) as services:
        _said(state, "analyst", services.registry().remove_analyst(username))


@analyst.command(name="list")
@click.option("--all", "everything", is_flag=True, help="Removed analysts too.")
@json_option
@pass_state
def analyst_list(state: State, everything: bool, as_json: bool) -> None:
    """The analysts, with how many cases each is responsible for."""
    from npsdesk.untrusted.text import clean_line

    with opened(state) as services:
        found = services.registry().analysts(include_removed=everything)
    if as_json:
        emit_json([a.to_json() for a in found])
        return
    if not found:
        say(state, "cli.analyst.none")
    cells = [
        (a.username, clean_line(a.name), a.email or "-", clean_line(a.role or "-")) for a in found
    ]
    widths = [max((len(row[i]) for row in cells), default=0) for i in range(4)]
    for a, row in zip(found, cells, strict=True):
        mark = "" if a.active else "  " + phrase(state, "cli.analyst.removed_mark")
        line = "  ".join(f"{cell:<{width}}" for cell, width in zip(row, widths, strict=True))
        click.echo(f"{line}  {a.cases:>5}{mark}")


# -- team settings ---------------------------------------------------------------------------


@cli.group()
def settings() -> None:
    """Team settings kept in the store (they win over each analyst's settings file)."""


def _shown(value: object) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


def _describe(state: State, setting: Setting) -> str:
    if setting.team is None:
        where = phrase(state, "cli.settings.from_file", source=setting.personal_source)
    else:
        s = state.settings
        day = (
            setting.set_at.astimezone(s.tz).strftime(s.effective_date_format())
            if setting.set_at
            else "?"
        )
        where = phrase(
            state,
            "cli.settings.from_team",
            who=setting.set_by,
            day=day,
            file=_shown(setting.personal),
        )
    return f"{setting.key:<20} {_shown(setting.effective):<4} # {where}"


@settings.command(name="show")
@json_option
@pass_state
def settings_show(state: State, as_json: bool) -> None:
    """Deadlines per class, the bonus policy and the coupon pools, and which value wins."""
    from dataclasses import asdict

    with opened(state) as services:
        team = services.team()
        deadlines, bonus, pools = team.deadlines(), team.bonus_neutrals(), team.pools()
    if as_json:
        emit_json(
            {
                "deadlines": {s.key.split(".")[1]: s.to_json() for s in deadlines},
                "bonus_neutrals": bonus.to_json(),
                "coupon_pools": [asdict(p) for p in pools],
            }
        )
        return
    for setting in (*deadlines, bonus):
        click.echo(_describe(state, setting))
    for pool in pools:
        mark = "*" if pool.active else " "
        say(
            state,
            "cli.settings.pool",
            mark=mark,
            campaign=pool.campaign,
            free=pool.free,
            total=pool.total,
        )


@settings.command(name="deadline")
@click.argument("nps_class", metavar="CLASS", type=click.Choice(CLASSES))
@click.argument("days", required=False)
@click.option("--clear", is_flag=True, help="Back to each analyst's settings file.")
@pass_state
def settings_deadline(state: State, nps_class: str, days: str | None, clear: bool) -> None:
    """Business days (1-90) to treat new opinions of CLASS, for the whole team."""

    if (days is None) == (not clear):
        raise Failure(key="cli.settings.days_or_clear")
    with opened(state) as services:
        changed = services.team().set_deadline(nps_class, None if clear else days)
        shown = services.team().deadline(nps_class)
    click.echo(_describe(state, shown) + ("" if changed else "  " + phrase(state, "cli.unchanged")))


@settings.command(name="bonus-neutrals")
@click.argument("value", type=click.Choice(["on", "off", "file"]))
@pass_state
def settings_bonus(state: State, value: str) -> None:
    """Whether neutrals get a bonus coupon too (file: as each settings file says)."""

    chosen = {"on": True, "off": False, "file": None}[value]
    with opened(state) as services:
        services.team().set_bonus_neutrals(chosen)
        click.echo(_describe(state, services.team().bonus_neutrals()))


@settings.command(name="closed-replies")
@click.argument("value", type=click.Choice(["reopen", "flag"]), required=False)
@pass_state
def settings_closed_replies(state: State, value: str | None) -> None:
    """What a customer's reply does to a closed case: reopen it (the reply as the reason)
    or keep it closed and flag it as awaiting us. Without VALUE: the one in force."""
    with opened(state) as services:
        team = services.team()
        if value is not None:
            team.set_closed_replies(value)
        click.echo(phrase(state, f"cli.settings.closed_replies.{team.closed_replies()}"))


def _short(value: str | None) -> str:
    from npsdesk.untrusted.text import clean_line

    if value is None:
        return "-"
    line = clean_line(value)
    if not line:
        return "''"
    return line if len(line) <= SHOWN_VALUE else line[: SHOWN_VALUE - 1] + "…"


@settings.command(name="log")
@click.option("--setting", metavar="NAME", help="Only this setting (category, template...).")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100_000))
@json_option
@pass_state
def settings_log(state: State, setting: str | None, limit: int, as_json: bool) -> None:
    """Every change to the registry and team settings: who, when, what, old -> new."""
    from npsdesk.i18n import fmt_time
    from npsdesk.untrusted.text import clean_line

    with opened(state) as services:
        changes = services.team().log(limit, setting)
    if as_json:
        emit_json([c.to_json() for c in changes])
        return
    if not changes:
        say(state, "cli.settings.no_changes")
    s = state.settings
    for c in changes:
        when = fmt_time(c.at, s.effective_date_format(), s.tz)
        what = c.setting + (f" {clean_line(c.item)}" if c.item else "")
        click.echo(f"{when}  {c.actor:<12} {what}: {_short(c.old)} -> {_short(c.new)}")


def team_overrides(state: State) -> dict[str, str]:
    """{dotted key: note} for the settings-file keys a team setting in the store overrides
    (`npsdesk config`); empty when there is no store to read."""
    from npsdesk.errors import StoreError
    from npsdesk.services.team import TeamSettings

    try:
        with opened(state, TeamSettings) as team:
            found = [*team.deadlines(), team.bonus_neutrals()]
    except StoreError:
        return {}
    notes: dict[str, str] = {}
    for setting in found:
        if setting.team is not None:
            value = setting.team
            shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
            notes[setting.key] = f"overridden: the team's {shown} wins (set by {setting.set_by})"
    return notes
