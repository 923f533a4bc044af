"""The centre pane: the case's history, oldest first and newest at the bottom.

The customer's answer opens the timeline; internal notes sit in a yellow frame marked as
internal, e-mails to the customer in a blue one, so nobody mistakes one for the other.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from npsdesk.present.lookups import CLASS_STYLE, event_text
from npsdesk.services.desk_reads import CaseFile, EventView
from npsdesk.tui.context import DeskContext
from npsdesk.tui.widgets.reply_entries import CaseMail, mail_entry
from npsdesk.untrusted.text import clean_line, clean_text

FRAMED = {"note": "yellow", "email_sent": "blue", "email_received": "cyan"}
FRAME_LABEL = {
    "note": "desk.note_frame",
    "email_sent": "desk.email_frame",
    "email_received": "desk.email_in_frame",
}


def case_title(case: CaseFile, ctx: DeskContext) -> Text:
    o = case.opinion
    title = Text(f"#{o.id} ", style="bold")
    title.append(clean_line(o.external_id), style="dim")
    title.append(" · ")
    title.append(f"{ctx.t(f'class.{o.nps_class}')} {o.score}", style=CLASS_STYLE[o.nps_class])
    title.append(f" · {ctx.t(f'status.{o.status}')}")
    if o.archived:
        title.append(f" · {ctx.t('archived')}", style="magenta")
    title.append(f" · {ctx.t('field.deadline')} {ctx.date(o.deadline)}")
    if o.status != "closed":
        left = ctx.days_left(o.deadline)
        if left < 0:
            title.append(f" ({ctx.t('overdue')} {-left}d)", style="bold red")
    return title


def answer_panel(case: CaseFile, ctx: DeskContext) -> Panel:
    o = case.opinion
    body = (
        Text(clean_text(o.comment)) if o.comment else Text(ctx.t("no_comment"), style="dim italic")
    )
    head = Text(f" {ctx.t('desk.answer')} · ", style="bold")
    head.append(f"{ctx.t(f'class.{o.nps_class}')} {o.score}", style=CLASS_STYLE[o.nps_class])
    head.append(f" · {ctx.time(o.answered_at)} ")
    return Panel(
        body, title=head, title_align="left", border_style=CLASS_STYLE[o.nps_class], expand=True
    )


def framed_body(event: EventView, ctx: DeskContext) -> Text:
    """A note's or an e-mail's text; the frame around it already says what it is."""
    text = Text()
    if event.subject:
        text.append(f"{ctx.t('subject').capitalize()}: ", style="bold")
        text.append(clean_line(event.subject) + "\n", style="bold")
    if event.body:
        text.append(
            clean_text(event.body).strip("\n"), style="italic" if event.kind == "note" else ""
        )
    return text


def event_renderable(
    event: EventView, ctx: DeskContext, mail: CaseMail | None = None, unfolded: bool = False
) -> RenderableType:
    """One history entry: a dated line, or a framed note or e-mail."""
    framed = mail_entry(event, mail or CaseMail(), ctx, unfolded)
    if framed is not None:  # a customer's e-mail, a bounce
        return framed
    stamp = Text(f"{ctx.time(event.at)} · ", style="dim")
    stamp.append(clean_line(event.actor), style="dim bold")
    frame = FRAMED.get(event.kind)
    if frame is None:
        return Group(stamp, Padding(event_text(event, ctx.lang), (0, 0, 0, 2)))
    head = Text(f" {ctx.t(FRAME_LABEL[event.kind])} ", style=f"bold {frame}")
    head.append_text(stamp)
    head.append(" ")
    return Panel(
        framed_body(event, ctx), title=head, title_align="left", border_style=frame, expand=True
    )


def history_renderable(
    case: CaseFile, ctx: DeskContext, mail: CaseMail | None = None, unfolded: bool = False
) -> Group:
    parts: list[RenderableType] = [answer_panel(case, ctx)]
    parts += [event_renderable(event, ctx, mail, unfolded) for event in case.history]
    return Group(*parts)


class CasePane(Vertical):
    """Title, history and the keys that act on the case."""

    _shown: tuple[CaseFile, DeskContext, CaseMail] | None = None
    unfolded = False  # the replies' quoted text shown (`z`), until another case is shown

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="case-title", markup=False)
        with VerticalScroll(id="history"):
            yield Static(Text(""), id="history-body", markup=False)
        yield Static(Text(""), id="case-hints", markup=False)

    def on_mount(self) -> None:
        self.query_one("#history", VerticalScroll).can_focus = True

    def show(self, case: CaseFile | None, ctx: DeskContext) -> None:
        title = self.query_one("#case-title", Static)
        body = self.query_one("#history-body", Static)
        hints = self.query_one("#case-hints", Static)
        if case is None:
            title.update(Text(ctx.t("desk.no_case"), style="dim"))
            body.update(Text(""))
            hints.update(Text(""))
            self._shown = None
            return
        if self._shown is None or self._shown[0].opinion.id != case.opinion.id:
            self.unfolded = False
        mail = CaseMail.of(case, ctx)
        self._shown = (case, ctx, mail)
        title.update(case_title(case, ctx))
        body.update(history_renderable(case, ctx, mail, self.unfolded))
        hints.update(Text(ctx.t("desk.case_hints"), style="dim"))
        history = self.query_one("#history", VerticalScroll)
        self.call_after_refresh(history.scroll_end, animate=False)

    def toggle_quoted(self) -> bool:
        """Show or fold the quoted text of the case's replies; False when it has none."""
        if self._shown is None:
            return False
        case, ctx, mail = self._shown
        if not any(m.quoted.strip() for m in mail.messages.values()):
            return False
        self.unfolded = not self.unfolded
        body = self.query_one("#history-body", Static)
        body.update(history_renderable(case, ctx, mail, self.unfolded))
        return True
