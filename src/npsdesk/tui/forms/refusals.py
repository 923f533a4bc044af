"""How the desk words what the core refused: a closing that lacks fields, a case that
changed since the analyst saw it (what others did, in the desk's language), else the core's
refusal as the catalogue words it in the desk's language, as one clean line."""

from __future__ import annotations

from npsdesk.domain.workflow import CloseRefused
from npsdesk.errors import StaleCase
from npsdesk.i18n.catalog import explain
from npsdesk.tui.context import DeskContext
from npsdesk.tui.saving import REFUSALS
from npsdesk.untrusted.text import clean_line

__all__ = ["REFUSALS", "describe_error"]


def describe_error(error: Exception, ctx: DeskContext) -> str:
    """The refusal in the desk's language."""
    if isinstance(error, CloseRefused):
        missing = ", ".join(ctx.t(f"field.{name}") for name in error.missing)
        return ctx.t("desk.close_missing", fields=missing)
    if isinstance(error, StaleCase):
        return clean_line(ctx.t("desk.stale", id=error.opinion_id, changes=_changes(error, ctx)))
    return clean_line(explain(error, ctx.lang))


_PRIORITY_NAMES = {"high": 1, "medium": 2, "low": 3}


def _shown(field: str, value: str | None, ctx: DeskContext) -> str:
    """A history value as the desk shows it elsewhere (statuses, types and priorities in
    the desk's language)."""
    if value is None:
        return "-"
    if field in ("status", "type"):
        return ctx.t(f"{field}.{value}")
    if field == "priority" and value in _PRIORITY_NAMES:
        return ctx.t(f"priority.{_PRIORITY_NAMES[value]}")
    return value


def _changes(error: StaleCase, ctx: DeskContext) -> str:
    """What others did to the case, newest last, in the desk's language."""
    said = []
    for change in error.changes[-4:]:
        when = ctx.time(change.at)
        if change.field:
            said.append(
                ctx.t(
                    "desk.stale_field",
                    actor=change.actor,
                    field=ctx.t(f"field.{change.field}"),
                    value=_shown(change.field, change.new_value, ctx),
                    time=when,
                )
            )
        else:
            what = change.kind.replace("_", " ")
            said.append(ctx.t("desk.stale_other", actor=change.actor, what=what, time=when))
    return "; ".join(said) or ctx.t("desk.stale_platform")
