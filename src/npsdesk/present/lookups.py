"""Terminal output of the CLI look-ups.

Imported text is data: every value goes through `clean_line`/`clean_text` and into
`rich.text.Text`, so neither markup (`[@click=...]`) nor escape sequences reach the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from npsdesk.domain.cnpj import format_cnpj
from npsdesk.domain.phones import format_phone
from npsdesk.i18n import Style, fmt_number, fmt_time, t
from npsdesk.services.lookup import CaseFile, Report
from npsdesk.untrusted.text import clean_line, clean_text

if TYPE_CHECKING:
    from npsdesk.services.records import EventView, OpinionView

CLASS_STYLE = {"promoter": "green", "neutral": "yellow", "detractor": "red"}


def _cell(value: str | None, style: str = "") -> Text:
    return Text(clean_line(value or ""), style=style)


def score_text(opinion: OpinionView) -> Text:
    return Text(f"{opinion.score:>2}", style=f"bold {CLASS_STYLE.get(opinion.nps_class, '')}")


def deadline_text(opinion: OpinionView, style: Style) -> Text:
    shown = style.date(opinion.deadline)
    if opinion.status != "closed" and opinion.deadline < style.today:
        return Text(f"{shown} !", style="bold red")
    return Text(shown)


def case_file_view(case: CaseFile, style: Style) -> Group:
    o, lang = case.opinion, style.lang
    header = Text()
    header.append(f"{t('opinion', lang)} {o.id}", style="bold")
    header.append(f" · {clean_line(o.external_id)} · ")
    header.append(f"{t(f'class.{o.nps_class}', lang)} {o.score}", style=CLASS_STYLE[o.nps_class])
    header.append(f" · {t(f'status.{o.status}', lang)}")
    if o.archived:
        header.append(f" · {t('archived', lang)}")
    header.append(" · ").append_text(Text(f"{t('field.deadline', lang)} ")).append_text(
        deadline_text(o, style)
    )
    header.append(f" · {t('field.priority', lang)} {t(f'priority.{o.priority}', lang)}")

    details = Table.grid(padding=(0, 2))
    details.add_column(style="bold", no_wrap=True)
    details.add_column()

    def row(label: str, *parts: str | None) -> None:
        shown = " · ".join(clean_line(p) for p in parts if p)
        if shown:
            details.add_row(Text(label), Text(shown))

    row(t("col.customer", lang), o.name, o.email, _phone(o))
    row(t("col.company", lang), o.company, format_cnpj(o.cnpj) if o.cnpj else None)
    row(t("product", lang).capitalize(), o.product, o.vertical, o.state)
    answered = fmt_time(o.answered_at, style.date_format, style.tz)
    row(t("col.answered", lang), answered, o.campaign, t("internal", lang) if o.internal else None)
    row(t("col.responsible", lang), o.responsible or t("nobody", lang))
    if o.followers:
        row(t("followers", lang).capitalize(), ", ".join(o.followers))
    if o.type or o.category:
        row(
            f"{t('field.type', lang).capitalize()} / {t('field.category', lang)}",
            t(f"type.{o.type}", lang) if o.type else "-",
            o.category or "-",
        )

    comment = (
        Text(clean_text(o.comment), style="italic")
        if o.comment
        else Text(t("no_comment", lang), style="dim")
    )
    parts: list[Text | Table] = [header, details, Text(), comment]
    if case.customer_opinions:
        others = Text(f"{t('other_opinions', lang)} ({len(case.customer_opinions)}): ")
        for i, other in enumerate(case.customer_opinions):
            if i:
                others.append(", ")
            others.append(str(other.score), style=CLASS_STYLE[other.nps_class])
            others.append(
                f" ({style.date(other.answered_at.astimezone(style.tz).date())}, #{other.id})"
            )
        parts += [Text(), others]
    parts += [Text(), Text(t("history", lang), style="bold"), history_table(case.history, style)]
    return Group(*parts)


def history_table(events: list[EventView], style: Style) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="dim")
    table.add_column(no_wrap=True)
    table.add_column()
    for event in events:
        table.add_row(
            Text(fmt_time(event.at, style.date_format, style.tz)),
            _cell(event.actor),
            event_text(event, style.lang),
        )
    return table


def event_text(event: EventView, lang: str) -> Text:
    """One history entry in words: what happened, and the customer's or analyst's text."""
    text = Text(t(f"event.{event.kind}", lang), style="bold")
    if event.kind == "contact_attempt":
        text.append(
            f": {t(f'channel.{event.channel}', lang)}, {t(f'outcome.{event.outcome}', lang)}"
        )
    elif event.kind in ("field_changed", "status_changed"):
        if event.kind == "field_changed":
            text.append(f": {t(f'field.{event.field}', lang)}")
        text.append(" ")
        text.append(_value(event.field, event.old_value, lang), style="dim")
        text.append(" → ")
        text.append(_value(event.field, event.new_value, lang))
    elif event.kind in ("email_sent", "email_received", "email_bounced"):
        if event.kind == "email_received" and event.outcome in ("auto_reply", "unsubscribe"):
            text.append(f" ({t(f'reply.kind.{event.outcome}', lang)})")
        if event.kind == "email_received" and event.old_value:
            text.append(f" {t('desk.reply.from', lang).lower()} ")
            text.append(clean_line(event.old_value))
        if event.subject:
            text.append(f": {t('subject', lang)} ")
            text.append(clean_line(event.subject))
    elif event.kind == "email_attempt":
        text.append(": " + t(f"email.outcome.{event.outcome}", lang).format(id=event.new_value))
        if event.subject:
            text.append(f"\n{t('subject', lang)}: ")
            text.append(clean_line(event.subject))
    elif event.kind == "coupon_sent" and event.new_value:
        text.append(": ")
        text.append(clean_line(event.new_value))
    if event.body:
        reasoned = event.kind in ("status_changed", "email_attempt", "email_bounced")
        label = f"{t('reason', lang)}: " if reasoned else ""
        text.append(
            "\n" + label + clean_text(event.body), style="italic" if event.kind == "note" else ""
        )
    return text


def _phone(o: OpinionView) -> str | None:
    return None if o.phone is None else format_phone(o.phone)


def _value(field: str | None, value: str | None, lang: str) -> str:
    if value is None:
        return "-"
    if field == "status":
        return t(f"status.{value}", lang)
    if field == "type":
        return t(f"type.{value}", lang)
    return clean_line(value)


def report_view(report: Report, style: Style) -> Group:
    lang, c = style.lang, report.counts
    p = report.period
    if p.start is None and p.end is None:
        period = t("period.all", lang)
    else:
        start = style.date(p.start) if p.start else "…"
        end = style.date(p.end) if p.end else "…"
        period = f"{start} {t('period.to', lang)} {end}"
    head = Text(f"{t('period', lang)}: {period} ({report.timezone}) · {t('vertical', lang)}: ")
    head.append(clean_line(report.vertical or t("all_verticals", lang)))
    nps = Text("NPS ", style="bold")
    if report.nps is None:
        nps.append(t("nps.none", lang), style="dim")
    else:
        colour = "green" if report.nps > 0 else "red" if report.nps < 0 else "yellow"
        nps.append(fmt_number(report.nps, lang, sign=True), style=f"bold {colour}")

    def share(count: int) -> str:
        return "" if not c.total else f" ({fmt_number(100 * count / c.total, lang)}%)"

    counts = Text(f"{t('answers', lang)} {c.total}")
    for key, count in (
        ("promoter", c.promoters),
        ("neutral", c.neutrals),
        ("detractor", c.detractors),
    ):
        counts.append(" · ")
        counts.append(f"{t(f'classes.{key}', lang)} {count}{share(count)}", style=CLASS_STYLE[key])
    status = Text(
        f"{t('by_status', lang)}: "
        + " · ".join(
            f"{t(f'statuses.{key}', lang)} {count}"
            for key, count in (
                ("untreated", c.untreated),
                ("in_treatment", c.in_treatment),
                ("closed", c.closed),
            )
        )
    )
    backlog = Text(f"{t('archived_count', lang)} {c.archived} · ")
    backlog.append(f"{t('overdue_count', lang)} {c.overdue}", style="bold red" if c.overdue else "")
    lines = [head, nps, counts, status, backlog]
    if c.internal_excluded:
        lines.append(Text(f"{c.internal_excluded} {t('internal_excluded', lang)}", style="dim"))
    return Group(*lines)
