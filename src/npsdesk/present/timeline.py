"""A customer's whole timeline as the terminal shows it, in the CLI and in the desk.

Every value from an import or a customer goes through `clean_line`/`clean_text` into
`rich.text.Text`: it is shown as typed and never read as markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from npsdesk.domain.cnpj import format_cnpj
from npsdesk.i18n import Style, fmt_number, fmt_time, t, t_n
from npsdesk.present.lookups import CLASS_STYLE, event_text
from npsdesk.services.lookup import CustomerTimeline
from npsdesk.untrusted.text import clean_line

COMMENT_WIDTH = 60  # characters of each comment in the opinions table


def customer_head(timeline: CustomerTimeline, style: Style) -> Text:
    """Who the customer is, how many opinions they gave and their own NPS."""
    last = timeline.opinions[-1]
    lang = style.lang
    head = Text(clean_line(last.company or last.name or last.email or "-"), style="bold")
    for part in (
        last.name if last.company else None,
        format_cnpj(last.cnpj) if last.cnpj else None,
        last.email,
    ):
        if part:
            head.append(" · ")
            head.append(clean_line(part))
    head.append("\n")
    head.append(t_n("customer.summary", len(timeline.opinions), lang))
    nps = timeline.nps
    if nps is not None:
        head.append(" · NPS ")
        head.append(fmt_number(nps, lang), style="bold")
    return head


def opinions_table(timeline: CustomerTimeline, style: Style) -> Table:
    lang = style.lang
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=True)
    table.add_column("", no_wrap=True, width=1)
    table.add_column(t("col.id", lang), justify="right", no_wrap=True)
    table.add_column(t("customer.answered", lang), no_wrap=True)
    table.add_column(t("col.score", lang), justify="right", no_wrap=True)
    table.add_column(t("col.status", lang), no_wrap=True)
    table.add_column(t("customer.comment", lang), ratio=1, no_wrap=True, overflow="ellipsis")
    for o in timeline.opinions:
        here = o.id == timeline.opinion_id
        comment = clean_line(o.comment or "")[:COMMENT_WIDTH] if o.comment else ""
        status = t(f"status.{o.status}", lang)
        if o.archived:
            status += f" · {t('archived', lang)}"
        table.add_row(
            Text("▶" if here else "", style="bold"),
            Text(f"#{o.id}", style="bold" if here else ""),
            Text(style.date(o.answered_at.astimezone(style.tz).date())),
            Text(str(o.score), style=f"bold {CLASS_STYLE[o.nps_class]}"),
            Text(status),
            Text(comment, style="" if comment else "dim"),
        )
    return table


def events_view(timeline: CustomerTimeline, style: Style) -> RenderableType:
    """Every opinion's history in one line of time, each entry marked with its opinion."""
    if not timeline.events:
        return Text(t("customer.no_events", style.lang), style="dim")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="dim")
    table.add_column(no_wrap=True, justify="right")
    table.add_column(ratio=1)
    for event in timeline.events:
        marker = Text(
            f"#{event.opinion_id}" if event.opinion_id is not None else "",
            style="bold" if event.opinion_id == timeline.opinion_id else "dim",
        )
        what = event_text(event, style.lang)
        what.append(f"  {clean_line(event.actor)}", style="dim")
        table.add_row(fmt_time(event.at, style.date_format, style.tz), marker, what)
    return table


def timeline_view(timeline: CustomerTimeline, style: Style) -> Group:
    lang = style.lang
    return Group(
        customer_head(timeline, style),
        Text(),
        Text(t("customer.opinions", lang), style="bold underline"),
        opinions_table(timeline, style),
        Text(),
        Text(t("customer.timeline", lang), style="bold underline"),
        events_view(timeline, style),
    )
