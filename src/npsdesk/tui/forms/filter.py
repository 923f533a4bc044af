"""`f`: narrow the list by class, vertical, status, responsible, category, campaign,
overdue and the answer period. The narrowing applies to every tab, their counts and `*`;
it shows above the list; submitting an empty form (or escape on the list) clears it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Select, Static

from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import parse_date
from npsdesk.services.desk_reads import NOBODY, Narrow
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.form import Form, plain
from npsdesk.untrusted.text import clean_line

CLASSES = ("detractor", "neutral", "promoter")
STATUSES = ("untreated", "in_treatment", "closed")


def period_of(narrow: Narrow, ctx: DeskContext) -> tuple[date | None, date | None]:
    """The narrowing's answer period as the analyst typed it: local first and last days."""
    first = narrow.since.astimezone(ctx.tz).date() if narrow.since else None
    last = (narrow.until.astimezone(ctx.tz) - timedelta(days=1)).date() if narrow.until else None
    return first, last


def describe_narrow(narrow: Narrow, ctx: DeskContext) -> Text:
    """`promoter · Food · overdue · 01/11/2026–30/11/2026`: store values shown literally."""
    parts: list[Text] = []
    if narrow.nps_class:
        parts.append(Text(ctx.t(f"class.{narrow.nps_class}")))
    if narrow.status:
        parts.append(Text(ctx.t(f"status.{narrow.status}")))
    for value in (narrow.vertical, narrow.category, narrow.campaign):
        if value:
            parts.append(Text(clean_line(value)))
    if narrow.responsible == NOBODY:
        parts.append(Text(f"{ctx.t('field.responsible')}: {ctx.t('nobody')}"))
    elif narrow.responsible:
        parts.append(Text(f"{ctx.t('field.responsible')}: {clean_line(narrow.responsible)}"))
    if narrow.overdue_on:
        parts.append(Text(ctx.t("overdue"), style="red"))
    first, last = period_of(narrow, ctx)
    if first or last:
        shown = f"{ctx.date(first) if first else '…'}–{ctx.date(last) if last else '…'}"
        parts.append(Text(shown))
    return Text(" · ").join(parts)


class FilterForm(Form):
    """Every field may stay empty ("any"); ctrl+s or the button applies, "clear" clears."""

    def __init__(
        self,
        ctx: DeskContext,
        current: Narrow,
        choices: dict[str, list[str]],
        analysts: Sequence[tuple[str, str]],
        save: Callable[[Narrow], object],
    ) -> None:
        super().__init__(
            ctx, Text(ctx.t("desk.filter_title"), style="bold"), ctx.t("desk.filter_hint")
        )
        self.current = current
        self.choices = choices
        self.analysts = analysts
        self.save = save

    def _row(self, label: str, field: Any) -> Horizontal:
        return Horizontal(
            Static(Text(label), classes="filter-label", markup=False),
            field,
            classes="filter-row",
        )

    def _select(self, name: str, options: list[tuple[str, str]], value: str | None) -> Select[str]:
        values = [v for _, v in options]
        return Select(
            [(plain(label), v) for label, v in options],
            value=value if value in values else Select.NULL,
            prompt=self.ctx.t("desk.filter_any"),
            id=f"filter-{name}",
            compact=self.small,
        )

    def fields(self) -> ComposeResult:
        ctx, n, small = self.ctx, self.current, self.small
        yield self._row(
            ctx.t("desk.filter_class"),
            self._select("class", [(ctx.t(f"class.{c}"), c) for c in CLASSES], n.nps_class),
        )
        yield self._row(
            ctx.t("vertical").capitalize(),
            self._select("vertical", [(v, v) for v in self.choices["vertical"]], n.vertical),
        )
        yield self._row(
            ctx.t("desk.f.status"),
            self._select("status", [(ctx.t(f"status.{s}"), s) for s in STATUSES], n.status),
        )
        people = [(ctx.t("nobody"), NOBODY)]
        people += [(f"{name} ({username})", username) for username, name in self.analysts]
        yield self._row(
            ctx.t("desk.f.responsible"), self._select("responsible", people, n.responsible)
        )
        yield self._row(
            ctx.t("desk.f.category"),
            self._select("category", [(c, c) for c in self.choices["category"]], n.category),
        )
        yield self._row(
            ctx.t("desk.filter_campaign"),
            self._select("campaign", [(c, c) for c in self.choices["campaign"]], n.campaign),
        )
        yield self._row(
            ctx.t("overdue").capitalize(),
            Checkbox(
                ctx.t("desk.filter_overdue"),
                value=n.overdue_on is not None,
                id="filter-overdue",
                compact=small,
            ),
        )
        first, last = period_of(n, ctx)
        yield self._row(
            ctx.t("period"),
            Horizontal(
                Input(
                    value=ctx.date(first) if first else "",
                    placeholder=ctx.t("desk.period_from"),
                    id="filter-from",
                    compact=small,
                ),
                Input(
                    value=ctx.date(last) if last else "",
                    placeholder=ctx.t("desk.period_to"),
                    id="filter-to",
                    compact=small,
                ),
                classes="filter-period",
            ),
        )
        with Horizontal(classes="form-buttons"):
            yield Button(
                ctx.t("desk.filter_apply"), variant="primary", id="filter-apply", compact=small
            )
            yield Button(ctx.t("desk.filter_clear"), id="filter-clear", compact=small)

    def on_mount(self) -> None:
        self.query_one("#filter-class", Select).focus()

    def _value(self, name: str) -> str | None:
        value: Any = self.query_one(f"#filter-{name}", Select).value
        return None if value is Select.NULL else str(value)

    def _day(self, name: str) -> date | None:
        text = self.query_one(f"#filter-{name}", Input).value.strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, self.ctx.date_format).date()
        except ValueError:
            pass
        try:
            return parse_date(text)
        except DomainError:
            raise DomainError(self.ctx.t("desk.deadline_bad", text=text)) from None

    def narrow(self) -> Narrow:
        first, last = self._day("from"), self._day("to")
        if first and last and first > last:
            raise DomainError(self.ctx.t("desk.filter_bad_period"))
        tz = self.ctx.tz
        overdue = self.query_one("#filter-overdue", Checkbox).value
        return Narrow(
            nps_class=self._value("class"),
            vertical=self._value("vertical"),
            status=self._value("status"),
            responsible=self._value("responsible"),
            category=self._value("category"),
            campaign=self._value("campaign"),
            overdue_on=self.ctx.today() if overdue else None,
            since=datetime.combine(first, time(0), tz) if first else None,
            until=datetime.combine(last + timedelta(days=1), time(0), tz) if last else None,
        )

    def action_submit(self) -> None:
        self.attempt(lambda: self.save(self.narrow()))

    @on(Input.Submitted)
    def _typed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#filter-apply")
    def _apply(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        self.attempt(lambda: self.save(Narrow()))
