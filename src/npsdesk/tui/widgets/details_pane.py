"""The right pane: who answered, what they said, their other opinions, the case fields.

Each editable field names the key that edits it.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from npsdesk.domain.cnpj import format_cnpj
from npsdesk.domain.phones import format_phone
from npsdesk.present.lookups import CLASS_STYLE
from npsdesk.services.lookup import CaseFile
from npsdesk.tui.bindings import key_in_force
from npsdesk.tui.context import DeskContext, safe
from npsdesk.untrusted.text import clean_line, clean_text


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def respondent_table(case: CaseFile, ctx: DeskContext) -> Table:
    o = case.opinion
    grid = _grid()
    rows: list[tuple[str, str | None]] = [
        (ctx.t("desk.name"), o.name),
        ("E-mail", o.email),
        (ctx.t("desk.phone"), format_phone(o.phone) if o.phone else None),
        ("CNPJ", format_cnpj(o.cnpj) if o.cnpj else None),
        (ctx.t("desk.company"), o.company),
        (ctx.t("product").capitalize(), o.product),
        (ctx.t("vertical").capitalize(), " · ".join(v for v in (o.vertical, o.state) if v)),
    ]
    for label, value in rows:
        grid.add_row(Text(label), safe(value) if value else Text("-", style="dim"))
    return grid


def bouncing_part(case: CaseFile, ctx: DeskContext) -> list[RenderableType]:
    """A red line while mail to the customer's address bounces (nothing goes to it)."""
    diagnostic = case.opinion.bouncing
    if diagnostic is None:
        return []
    shown = clean_line(diagnostic) or "-"
    return [Text(ctx.t("desk.bouncing", diagnostic=shown), style="bold red")]


def answer_part(case: CaseFile, ctx: DeskContext) -> Group:
    o = case.opinion
    head = Text(f"{ctx.t('desk.score')} ")
    head.append(str(o.score), style=f"bold {CLASS_STYLE[o.nps_class]}")
    head.append(f" ({ctx.t(f'class.{o.nps_class}')}) · {ctx.time(o.answered_at)}")
    lines: list[RenderableType] = [head]
    if o.comment:
        lines.append(Text(clean_text(o.comment), style="italic"))
    else:
        lines.append(Text(ctx.t("no_comment"), style="dim italic"))
    extra = [clean_line(o.campaign)] if o.campaign else []
    if o.internal:
        extra.append(ctx.t("internal"))
    if extra:
        lines.append(Text(" · ".join(extra), style="dim"))
    return Group(*lines)


def others_part(case: CaseFile, ctx: DeskContext) -> Group:
    others = case.customer_opinions
    head = Text(f"{ctx.t_n('desk.others', len(others))}", style="bold")
    if not others:
        return Group(head)
    head.append(": ")
    for i, other in enumerate(others):
        if i:
            head.append(", ")
        head.append(str(other.score), style=f"bold {CLASS_STYLE[other.nps_class]}")
    lines: list[RenderableType] = [head]
    for other in others[-6:]:
        line = Text(f"  {ctx.local_date(other.answered_at)} ", style="dim")
        line.append(f"{other.score:>2}", style=CLASS_STYLE[other.nps_class])
        line.append(f" #{other.id} {ctx.t(f'status.{other.status}')}", style="dim")
        lines.append(line)
    if len(others) > 6:
        lines.append(Text(f"  … {len(others) - 6}", style="dim"))
    return Group(*lines)


def fields_table(case: CaseFile, ctx: DeskContext) -> Table:
    o = case.opinion
    grid = _grid()
    deadline = Text(ctx.date(o.deadline))
    if o.status != "closed":
        left = ctx.days_left(o.deadline)
        if left < 0:
            deadline.append(f" ({ctx.t('overdue')} {-left}d)", style="bold red")
        elif left == 0:
            deadline.append(f" ({ctx.t('desk.today')})", style="yellow")
    dash = Text("-", style="dim")

    def label(field: str, key_id: str | None = None) -> str:
        """The field's name and, when a key edits it, that key (as a keymap may move it)."""
        name = ctx.t(f"desk.f.{field}")
        if key_id is None:
            return name
        return f"{name} [{key_in_force(ctx.services.settings.keymap, key_id)}]"

    category = safe(o.category) if o.category else dash
    ticket_type = Text(ctx.t(f"type.{o.type}")) if o.type else dash
    responsible = safe(o.responsible) if o.responsible else dash
    followers = safe(", ".join(o.followers)) if o.followers else dash
    archived = Text(ctx.t("desk.yes") if o.archived else ctx.t("desk.no"))
    rows: list[tuple[str, Text]] = [
        (label("deadline", "desk.deadline"), deadline),
        (label("priority", "desk.priority"), Text(ctx.t(f"priority.{o.priority}"))),
        (label("category", "desk.category"), category),
        (label("type", "desk.type"), ticket_type),
        (label("status"), Text(ctx.t(f"status.{o.status}"))),
        (label("responsible", "desk.responsible"), responsible),
        (label("followers", "desk.follow"), followers),
        (label("archived", "desk.archive"), archived),
    ]
    for name, value in rows:
        grid.add_row(Text(name), value)
    return grid


def thank_you_part(thank_you: tuple[str, str | None], ctx: DeskContext) -> Text:
    """The promoter's thank-you: a draft waiting for `T`, or where the message is."""
    state, reason = thank_you
    if state == "draft":
        text = Text(ctx.t("desk.thank_draft"), style="bold green")
        if reason:
            text.append("\n")
            text.append(clean_line(reason), style="red")
        return text
    return Text(ctx.t("desk.thank_state", state=ctx.t(f"outbox.{state}")), style="dim")


def details_renderable(
    case: CaseFile, ctx: DeskContext, thank_you: tuple[str, str | None] | None = None
) -> Group:
    thanks: list[RenderableType] = []
    if thank_you is not None:
        thanks = [thank_you_part(thank_you, ctx), Text()]
    return Group(
        _section(ctx.t("desk.respondent")),
        respondent_table(case, ctx),
        *bouncing_part(case, ctx),
        Text(),
        answer_part(case, ctx),
        Text(),
        *thanks,
        others_part(case, ctx),
        Text(),
        _section(ctx.t("desk.case")),
        fields_table(case, ctx),
    )


class DetailsPane(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="details-body", markup=False)

    def show(
        self,
        case: CaseFile | None,
        ctx: DeskContext,
        thank_you: tuple[str, str | None] | None = None,
    ) -> None:
        body = self.query_one("#details-body", Static)
        body.update(Text("") if case is None else details_renderable(case, ctx, thank_you))
