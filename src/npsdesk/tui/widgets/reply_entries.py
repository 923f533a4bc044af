"""How the case history shows a customer's e-mail and a bounce.

A received e-mail is framed with who sent it, when, its subject and its new text; the
quoted part and the signature are folded into one line until the analyst unfolds them;
attachments are listed by name, type and size. Auto-replies are dim, unsubscribe requests
say so, bounces are red with the mail server's diagnostic. Everything in them came from
outside: it goes through `clean_line`/`clean_text` into `rich.text.Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.panel import Panel
from rich.text import Text

from npsdesk.services.desk_reads import CaseFile, EventView
from npsdesk.tui.bindings import key_in_force
from npsdesk.tui.context import DeskContext
from npsdesk.untrusted.text import clean_line, clean_text

if TYPE_CHECKING:  # the reply service (and the mail parser) load when a case has mail
    from npsdesk.services.replies import Received

KiB = 1024


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    size: int
    kept: bool


@dataclass
class CaseMail:
    """The case's received messages, read once per case shown: by inbound id."""

    messages: dict[int, Received] = field(default_factory=dict)
    attachments: dict[int, list[Attachment]] = field(default_factory=dict)

    @classmethod
    def of(cls, case: CaseFile, ctx: DeskContext) -> CaseMail:
        ids = [inbound_id(e) for e in case.history if e.kind == "email_received"]
        found = cls()
        if not any(i is not None for i in ids):
            return found
        replies = ctx.services.replies(ctx.analyst)
        found.messages = {m.id: m for m in replies.of_case(case.opinion.id)}
        for message_id in found.messages:
            found.attachments[message_id] = [
                Attachment(
                    str(row["name"] or ""),
                    str(row["content_type"] or ""),
                    int(row["size"] or 0),
                    bool(row["kept"]),
                )
                for row in replies.attachments(message_id)
            ]
        return found


def inbound_id(event: EventView) -> int | None:
    """The received message an `email_received` entry stands for (its `new_value`)."""
    value = (event.new_value or "").strip()
    return int(value) if value.isdigit() else None


def human_size(size: int, ctx: DeskContext) -> str:
    if size < KiB:
        return f"{size} B"
    if size < KiB * KiB:
        return f"{ctx.decimal(round(size / KiB, 1))} KB"
    return f"{ctx.decimal(round(size / KiB / KiB, 1))} MB"


def sender_text(name: str | None, address: str | None) -> Text:
    text = Text()
    if name:
        text.append(clean_line(name) + " ")
    if address:
        text.append(f"<{clean_line(address)}>" if name else clean_line(address))
    return text


def quoted_lines(quoted: str) -> int:
    return len(clean_text(quoted).strip("\n").splitlines())


def received_frame(
    event: EventView,
    message: Received | None,
    attachments: Sequence[Attachment],
    ctx: DeskContext,
    *,
    unfolded: bool,
) -> Panel:
    """A customer's e-mail in its frame: cyan, dim for an auto-reply, magenta for an
    unsubscribe request."""
    outcome = event.outcome or "reply"
    frame, label = "cyan", "desk.email_in_frame"
    if outcome == "auto_reply":
        frame, label = "dim", "desk.reply.auto_frame"
    elif outcome == "unsubscribe":
        frame, label = "magenta", "desk.reply.unsubscribe_frame"
    head = Text(f" {ctx.t(label)} ", style=f"bold {frame}")
    head.append(f"{ctx.time(event.at)} ", style="dim")

    body = Text()
    muted = "dim" if outcome == "auto_reply" else ""
    sender = (
        sender_text(message.from_name, message.from_address)
        if message is not None
        else sender_text(None, event.old_value)
    )
    body.append(f"{ctx.t('desk.reply.from')}: ", style="bold")
    body.append_text(sender if sender else Text(ctx.t("desk.reply.unknown_address"), style="dim"))
    body.append("\n")
    sent_at = message.sent_at if message is not None and message.sent_at else event.at
    body.append(f"{ctx.t('desk.reply.date')}: ", style="bold")
    body.append(ctx.time(sent_at) + "\n")
    subject = event.subject or (message.subject if message is not None else "")
    if subject:
        body.append(f"{ctx.t('subject').capitalize()}: ", style="bold")
        body.append(clean_line(subject) + "\n", style="bold")
    body.append("\n")
    said = clean_text(event.body or (message.text if message is not None else "")).strip("\n")
    if said:
        body.append(said, style=muted)
    else:
        body.append(ctx.t("desk.reply.no_text"), style="dim italic")
    quoted = message.quoted if message is not None else ""
    if quoted.strip():
        key = key_in_force(ctx.services.settings.keymap, "desk.quoted")
        if unfolded:
            body.append("\n" + ctx.t("desk.reply.quoted_shown", press=key) + "\n", style="dim")
            body.append(clean_text(quoted).strip("\n"), style="dim")
        else:
            folded = ctx.t_n("desk.reply.quoted_folded", quoted_lines(quoted), press=key)
            body.append("\n" + folded, style="dim italic")
    if attachments:
        body.append(f"\n{ctx.t('desk.reply.attachments')}:", style="bold")
        for item in attachments:
            body.append("\n  · ")
            body.append(clean_line(item.name) or "-")
            body.append(f" ({clean_line(item.content_type)}, {human_size(item.size, ctx)})")
            if not item.kept:
                body.append(f" {ctx.t('desk.reply.not_kept')}", style="yellow")
    return Panel(body, title=head, title_align="left", border_style=frame, expand=True)


def bounced_frame(event: EventView, ctx: DeskContext) -> Panel:
    """A bounce, or a delay notice, of one of our e-mails: red, with the diagnostic."""
    delayed = event.outcome == "delayed"
    frame = "yellow" if delayed else "red"
    label = "desk.reply.delayed_frame" if delayed else "desk.reply.bounced_frame"
    head = Text(f" {ctx.t(label)} ", style=f"bold {frame}")
    head.append(f"{ctx.time(event.at)} ", style="dim")
    body = Text()
    if event.old_value:
        body.append(f"{ctx.t('desk.reply.bounce_address')}: ", style="bold")
        body.append(clean_line(event.old_value) + "\n")
    if event.subject:
        body.append(f"{ctx.t('subject').capitalize()}: ", style="bold")
        body.append(clean_line(event.subject) + "\n")
    body.append(f"{ctx.t('desk.reply.diagnostic')}: ", style="bold")
    body.append(clean_text(event.body or "-").strip("\n"), style=frame)
    return Panel(body, title=head, title_align="left", border_style=frame, expand=True)


def mail_entry(event: EventView, mail: CaseMail, ctx: DeskContext, unfolded: bool) -> Panel | None:
    """The frame of a received e-mail or a bounce; None for any other entry."""
    if event.kind == "email_bounced":
        return bounced_frame(event, ctx)
    if event.kind != "email_received":
        return None
    found = inbound_id(event)
    message = None if found is None else mail.messages.get(found)
    attachments: Mapping[int, list[Attachment]] = mail.attachments
    listed = [] if found is None else attachments.get(found, [])
    return received_frame(event, message, listed, ctx, unfolded=unfolded)


def latest_reply(case: CaseFile) -> EventView | None:
    """The customer's last real reply in the case (not an auto-reply), to answer."""
    for event in reversed(case.history):
        kind, outcome = event.kind, event.outcome or "reply"
        if kind == "email_received" and outcome == "reply" and inbound_id(event) is not None:
            return event
    return None
