"""The core of mail: team sender settings, templates, suppression, composing, queueing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from npsdesk.config.settings import ConfigError
from npsdesk.domain import workflow
from npsdesk.domain.hashing import identifier_hash
from npsdesk.domain.models import DomainError, Refusal, Status, TicketType
from npsdesk.domain.registry import check_email
from npsdesk.errors import NotFound
from npsdesk.mail import templates
from npsdesk.mail.templates import MailTemplate
from npsdesk.store import inbound, mailbox, team
from npsdesk.store.connection import Connection, Row
from npsdesk.store.db import db_time
from npsdesk.store.mailbox import NewMessage
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from email.message import EmailMessage

    from npsdesk.bootstrap import Services
    from npsdesk.store.records import OpinionView

SENDER_KEYS = ("sender.name", "sender.reply_to", "sender.signature")
SENDER_LIMITS = {"sender.name": 80, "sender.reply_to": 254, "sender.signature": 2000}
DEMO_KEY = "demo"
# What case e-mails carry for replies (team settings in the store)
PLUS_ADDRESS_KEY = "replies.plus_address"  # "off": Reply-To without the case's token
SUBJECT_TAG_KEY = "replies.subject_tag"  # "on": case subjects end with [#id]
UNSUBSCRIBE_URL_KEY = "mail.unsubscribe_url"  # https URL with {token}: one-click unsubscribe
REPLY_KEYS = (PLUS_ADDRESS_KEY, SUBJECT_TAG_KEY, UNSUBSCRIBE_URL_KEY)
UNSUBSCRIBE_SUBJECT = "descadastrar"  # what the mailto: link writes; replies read it so
MAX_REFERENCES = 20  # an answer's References: the thread's first id and its latest ones
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|res|aw)\s*(?:\[\d+\])?\s*:)+\s*", re.IGNORECASE)


class MailRefused(DomainError):
    """This message cannot go to this customer; the message says why."""


class MailUnset(Refusal, ConfigError):
    """The mail settings lack what sending needs (worded from the catalogue)."""


@dataclass(frozen=True)
class Sender:
    address: str
    name: str
    reply_to: str | None
    signature: str


@dataclass(frozen=True)
class Draft:
    """A message being written: what the analyst sees and may edit before queueing."""

    opinion_id: int
    respondent_id: int
    to_address: str
    to_name: str | None
    subject: str
    body: str  # without the signature, which is fixed
    template: str
    message_id: str
    in_reply_to: str | None = None  # an answer: the customer's message it replies to
    references: tuple[str, ...] = ()  # the thread, oldest first, that message last


@dataclass(frozen=True)
class ReplySettings:
    """What case e-mails carry so replies find their case and customers can leave."""

    plus_address: bool  # Reply-To: nps+<token>@... (when the sender has a reply-to)
    subject_tag: bool  # [#id] at the end of case subjects
    unsubscribe_url: str | None  # https template with {token}; else a mailto: link only

    def to_json(self) -> dict[str, object]:
        return {
            "plus_address": self.plus_address,
            "subject_tag": self.subject_tag,
            "unsubscribe_url": self.unsubscribe_url,
        }


@dataclass(frozen=True)
class Bounced:
    """An address mail is no longer sent to. Only its salted hash is stored: `address` is
    the message that bounced's recipient, or a customer whose address has that hash."""

    hash_prefix: str
    address: str | None
    reason: str | None
    flagged_at: datetime
    flagged_by: str
    opinion_id: int | None

    def to_json(self) -> dict[str, object]:
        return {
            "hash": self.hash_prefix,
            "address": self.address,
            "reason": self.reason,
            "flagged_at": self.flagged_at.isoformat(),
            "flagged_by": self.flagged_by,
            "opinion_id": self.opinion_id,
        }


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    abandoned: int = 0  # left `sending` by a stopped process, now unknown
    not_closed: list[tuple[int, str]] = field(default_factory=list)  # (outbox id, why)
    # outbox id -> (sent | failed | unknown, the server's reason) for each message settled
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Thanks:
    prepared: int = 0  # drafts waiting for review
    queued: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (opinion id, why)


@dataclass(frozen=True)
class CouponPool:
    campaign: str
    total: int
    given: int
    free: int


def email_hash(salt: str, address: str) -> str:
    return identifier_hash(salt, "email", address)


def answer_subject(theirs: str, fallback: str) -> str:
    """ "Re: " and their subject, without piling up "Re: Re:" (nor "RES:", "AW:")."""
    bare = _REPLY_PREFIX.sub("", clean_line(theirs)).strip()
    return f"Re: {bare or fallback}"


def quoted(text: str) -> str:
    """`text` quoted for an answer, each line behind "> "."""
    lines = text.replace("\r\n", "\n").strip("\n").split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)


def thread_of(message_id: str | None, stored: str | None) -> tuple[str, ...]:
    """An answer's References: the message's own chain (kept newest first, space-separated)
    turned oldest first, then the message itself; only well-formed ids, each once, and no
    more than MAX_REFERENCES (the first and the latest)."""
    from npsdesk.mail.message import MESSAGE_ID

    ids = [*reversed((stored or "").split()), *([message_id] if message_id else [])]
    kept = [i for i in dict.fromkeys(ids) if i.isascii() and MESSAGE_ID.fullmatch(i)]
    if len(kept) > MAX_REFERENCES:
        kept = [kept[0], *kept[-(MAX_REFERENCES - 1) :]]
    return tuple(kept)


def check_unsubscribe_url(url: str) -> str:
    """An https URL template with `{token}` that stays one header item, or MailRefused."""
    url = url.strip()
    bad = any(c.isspace() or c in '<>,"' or ord(c) < 32 for c in url)
    if bad or not url.isascii() or not url.startswith("https://") or "{token}" not in url:
        raise MailRefused(key="refusal.mail.unsubscribe_url", placeholder="{token}")
    if len(url) > 500:
        raise MailRefused(key="refusal.mail.too_long", what="unsubscribe URL", limit=500)
    return url


class MailCore:
    """Sender, templates, suppression, composing and queueing, as one analyst (`actor`);
    `MailService` owns one and hands it to its thank-you and delivery parts."""

    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.settings = services.settings
        self.actor = actor or services.settings.analyst

    # -- team settings -----------------------------------------------------------------

    def sender(self, *, need_address: bool = True) -> Sender:
        """The team's sender; without `need_address` a missing address is left empty
        (a template preview shows what it can) instead of refused."""
        with self.db.read() as conn:
            values = {key: mailbox.get_setting(conn, key) for key in SENDER_KEYS}
            demo = mailbox.get_setting(conn, DEMO_KEY) == "1"
        address = self.settings.mail_from or ("loop@demo.invalid" if demo else "")
        if not address and need_address:
            raise MailUnset(key="refusal.mail.no_sender")
        return Sender(
            address=address,
            name=values["sender.name"] or address,
            reply_to=values["sender.reply_to"] or None,
            signature=values["sender.signature"] or "",
        )

    def set_sender(
        self,
        *,
        name: str | None = None,
        reply_to: str | None = None,
        signature: str | None = None,
    ) -> None:
        """Change the given parts (an empty text clears one); each change is recorded."""
        given = dict(zip(SENDER_KEYS, (name, reply_to, signature), strict=True))
        for key, value in given.items():
            if value is None:
                continue
            if key != "sender.signature" and any(ord(c) < 32 or ord(c) == 127 for c in value):
                raise MailRefused(key="refusal.mail.one_line", what=key.replace(".", " "))
            if len(value) > SENDER_LIMITS[key]:
                what = key.replace(".", " ").replace("_", "-")
                limit = SENDER_LIMITS[key]
                raise MailRefused(key="refusal.mail.too_long", what=what, limit=limit)
        if reply_to and reply_to.strip():
            given["sender.reply_to"] = check_email(reply_to, "reply-to")
        now = self.clock.now()
        with self.db.write() as conn:
            for key, value in given.items():
                if value is not None:
                    team.put(conn, key, value.strip(), self.actor, now)

    def is_demo(self) -> bool:
        with self.db.read() as conn:
            return mailbox.get_setting(conn, DEMO_KEY) == "1"

    def mark_demo(self) -> None:
        """A demo store only ever writes messages to files (it can never mail a customer)."""
        with self.db.write() as conn:
            mailbox.put_setting(conn, DEMO_KEY, "1", self.actor, self.clock.now())

    # -- templates ---------------------------------------------------------------------

    def template(self, name: str) -> MailTemplate:
        if name not in templates.NAMES:
            raise MailRefused(
                key="refusal.mail.no_template", name=name, names=", ".join(templates.NAMES)
            )
        with self.db.read() as conn:
            row = mailbox.get_template(conn, name)
        if row is None:
            return templates.defaults()[name]
        return MailTemplate(name, row["subject"], row["body"])

    def save_template(self, name: str, subject: str, body: str) -> None:
        """Store a template; unknown placeholders or constructs are refused here."""
        if name not in templates.NAMES:
            raise MailRefused(
                key="refusal.mail.no_template", name=name, names=", ".join(templates.NAMES)
            )
        templates.check(subject, body)
        now = self.clock.now()
        with self.db.write() as conn:
            row = mailbox.get_template(conn, name)
            old = templates.defaults()[name] if row is None else MailTemplate(name, *row[1:3])
            subject = subject.strip()
            for part, before, after in (
                ("subject", old.subject, subject),
                ("body", old.body, body),
            ):
                if before != after:
                    team.record_change(
                        conn,
                        at=now,
                        actor=self.actor,
                        setting=f"template.{part}",
                        item=name,
                        old=before,
                        new=after,
                    )
            mailbox.put_template(conn, name, subject, body, self.actor, now)

    def install_default_templates(self) -> int:
        """Give a store the shipped templates it does not have yet; returns how many."""
        added = 0
        now = self.clock.now()
        with self.db.write() as conn:
            for name, default in templates.defaults().items():
                if mailbox.get_template(conn, name) is None:
                    mailbox.put_template(conn, name, default.subject, default.body, "npsdesk", now)
                    added += 1
        return added

    # -- suppression -------------------------------------------------------------------

    def _salt(self, conn: Connection) -> str:
        return mailbox.salt(conn, self.clock.now())

    def suppress(self, address: str, reason: str | None = None) -> bool:
        with self.db.write() as conn:
            digest = email_hash(self._salt(conn), address)
            return mailbox.suppress(conn, digest, reason, self.actor, self.clock.now())

    def unsuppress(self, address: str) -> bool:
        with self.db.write() as conn:
            return mailbox.unsuppress(conn, email_hash(self._salt(conn), address))

    def is_suppressed(self, address: str) -> bool:
        with self.db.read() as conn:
            salt = mailbox.get_setting(conn, mailbox.SALT_KEY)
            return salt is not None and mailbox.is_suppressed(conn, email_hash(salt, address))

    # -- bouncing addresses ------------------------------------------------------------

    def bounce_flag(self, address: str) -> tuple[str | None, datetime] | None:
        """(the server's diagnostic, when) while mail to `address` bounces, else None."""
        with self.db.read() as conn:
            salt = mailbox.get_setting(conn, mailbox.SALT_KEY)
            row = None if salt is None else mailbox.flag_of(conn, email_hash(salt, address))
        return None if row is None else (row["reason"], db_time(row["flagged_at"]))

    def clear_bounce(self, address: str) -> bool:
        """Mail may go to `address` again (the analyst checked it); False if not flagged.
        Recorded in the settings log by hash prefix, never the address."""
        now = self.clock.now()
        with self.db.write() as conn:
            digest = email_hash(self._salt(conn), address)
            row = mailbox.flag_of(conn, digest)
            if row is None or not inbound.clear_address_flag(conn, digest):
                return False
            team.record_change(
                conn,
                at=now,
                actor=self.actor,
                setting="mail.bouncing",
                item=digest[:12],
                old=f"bouncing since {str(row['flagged_at'])[:10]}",
                new=None,
            )
        return True

    def bounced(self) -> list[Bounced]:
        """Every bouncing address, newest first. The address is the bounced message's
        recipient when its hash matches; otherwise the customers' addresses are hashed
        (only then, and once) to name it; an address no customer has stays unnamed."""
        with self.db.read() as conn:
            salt = mailbox.get_setting(conn, mailbox.SALT_KEY)
            rows = mailbox.address_flags(conn)
            named: dict[str, str] = {}
            for row in rows:
                to = row["to_address"]
                if salt is not None and to and email_hash(salt, to) == row["email_hash"]:
                    named[str(row["email_hash"])] = str(to)
            if salt is not None and any(str(r["email_hash"]) not in named for r in rows):
                wanted = {str(r["email_hash"]) for r in rows} - set(named)
                for email in mailbox.respondent_emails(conn):
                    digest = email_hash(salt, email)
                    if digest in wanted:
                        named[digest] = email
        return [
            Bounced(
                hash_prefix=str(r["email_hash"])[:12],
                address=named.get(str(r["email_hash"])),
                reason=r["reason"],
                flagged_at=db_time(r["flagged_at"]),
                flagged_by=str(r["flagged_by"]),
                opinion_id=None if r["opinion_id"] is None else int(r["opinion_id"]),
            )
            for r in rows
        ]

    # -- composing ---------------------------------------------------------------------

    def opinion(self, opinion_id: int) -> OpinionView:
        """The opinion with its case and customer, or NotFound."""
        from npsdesk.store.queries import get_opinion

        with self.db.read() as conn:
            opinion = get_opinion(conn, opinion_id)
        if opinion is None:
            raise NotFound(key="refusal.opinion.unknown", id=opinion_id)
        return opinion

    def check_can_mail(self, opinion: OpinionView) -> str:
        """The customer's address, or MailRefused saying why this case gets no e-mail."""
        workflow.check_can_email(opinion.internal)
        if not opinion.email:
            raise MailRefused(key="refusal.mail.no_address", id=opinion.id)
        if self.is_suppressed(opinion.email):
            raise MailRefused(key="refusal.mail.suppressed", address=opinion.email)
        self.check_not_bouncing(opinion.email)
        return opinion.email

    def check_not_bouncing(self, address: str) -> None:
        """MailRefused while `address` is flagged as bouncing (until `clear_bounce`)."""
        flag = self.bounce_flag(address)
        if flag is not None:
            diagnostic = clean_line(flag[0] or "")[:200] or "-"
            raise MailRefused(key="refusal.mail.bounced", address=address, diagnostic=diagnostic)

    def compose(
        self,
        opinion_id: int,
        template: str | None = None,
        *,
        answering: int | None = None,
        quote: bool = False,
    ) -> Draft:
        """The case's class template (or `template`) filled in for its customer.

        With `answering` (a received message on this case) the draft answers it: "Re:" its
        subject, threaded by In-Reply-To and References, and with `quote` its text quoted
        below the body, under "On {date}, {name} wrote:" in the analyst's language."""
        from npsdesk.mail.message import new_message_id

        opinion = self.opinion(opinion_id)
        address = self.check_can_mail(opinion)
        chosen = self.template(template or opinion.nps_class)
        subject, body = templates.render(chosen, self.values(opinion))
        in_reply_to: str | None = None
        references: tuple[str, ...] = ()
        if answering is not None:
            answered = self._answered(opinion_id, answering)
            subject = answer_subject(answered["subject"] or "", subject)
            in_reply_to = answered["message_id"] if _is_message_id(answered["message_id"]) else None
            references = thread_of(answered["message_id"], answered["in_reply_to"])
            if quote:
                body = self._with_quote(body, answered)
        if self.reply_settings().subject_tag:
            from npsdesk.domain.reply_tokens import opinion_in_subject, subject_tag

            if opinion_in_subject(subject) != opinion.id:
                subject = f"{subject} {subject_tag(opinion.id)}"
        return Draft(
            opinion_id=opinion.id,
            respondent_id=opinion.respondent_id,
            to_address=address,
            to_name=opinion.name,
            subject=subject,
            body=body,
            template=chosen.name,
            message_id=new_message_id(self.sender().address),
            in_reply_to=in_reply_to,
            references=references,
        )

    def _answered(self, opinion_id: int, inbound_id: int) -> Row:
        with self.db.read() as conn:
            row = mailbox.answered(conn, inbound_id)
        if row is None:
            raise NotFound(key="refusal.inbound.unknown", id=inbound_id)
        if row["opinion_id"] != opinion_id:
            raise MailRefused(key="refusal.mail.answer_elsewhere", id=inbound_id, case=opinion_id)
        return row

    def _with_quote(self, body: str, answered: Row) -> str:
        from npsdesk.i18n import fmt_time, t

        s = self.settings
        moment = db_time(answered["sent_at"] or answered["received_at"])
        name = clean_line(answered["from_name"] or answered["from_address"] or "") or "?"
        header = t(
            "mail.quote_header",
            s.language,
            date=fmt_time(moment, s.effective_date_format(), s.tz),
            name=name,
        )
        text = answered["body"] or ""
        return f"{body.rstrip()}\n\n{header}\n{quoted(text)}\n"

    def values(self, opinion: OpinionView, coupon: str | None = None) -> dict[str, object]:
        """The templates' placeholders filled in for this customer (and bonus code)."""
        return {
            "nome": opinion.name or "",
            "primeiro_nome": templates.first_name(opinion.name),
            "empresa": opinion.company or "",
            "produto": opinion.product or "",
            "nota": opinion.score,
            "analista": self._analyst_name(),
            "cupom": coupon or "",
        }

    def _analyst_name(self) -> str:
        from npsdesk.store import registry

        with self.db.read() as conn:
            return registry.analyst_name(conn, self.actor) or self.actor

    def full_body(self, body: str, sender: Sender | None = None) -> str:
        """The body with the team's signature (pass `sender` when it is already known)."""
        signature = (sender or self.sender()).signature
        text = body.rstrip("\n") + "\n"
        return text + ("\n-- \n" + signature.rstrip("\n") + "\n" if signature else "")

    def build(self, draft: Draft) -> EmailMessage:
        """The exact message for `draft` (headers and body, signature included)."""
        return self.assemble(
            draft.message_id,
            draft.to_address,
            draft.to_name,
            draft.subject,
            self.full_body(draft.body),
            opinion_id=draft.opinion_id,
            in_reply_to=draft.in_reply_to,
            references=draft.references,
        )

    def assemble(
        self,
        message_id: str,
        to_address: str,
        to_name: str | None,
        subject: str,
        body: str,
        *,
        opinion_id: int | None = None,
        in_reply_to: str | None = None,
        references: Sequence[str] = (),
    ) -> EmailMessage:
        """The message from the team's sender; refuses (BadHeader) what it cannot send.

        A case's message (`opinion_id`) carries the case's own reply address and the
        unsubscribe links (see `reply_headers`)."""
        from npsdesk.mail.message import Envelope, build_message

        sender = self.sender()
        reply_to, unsubscribe, one_click = self.reply_headers(opinion_id, sender)
        return build_message(
            Envelope(
                from_address=sender.address,
                sender_name=sender.name,
                to_address=to_address,
                to_name=to_name,
                subject=subject,
                body=body,
                message_id=message_id,
                date=self.clock.now().astimezone(self.settings.tz),
                reply_to=reply_to,
                in_reply_to=in_reply_to,
                references=tuple(references),
                unsubscribe=unsubscribe,
                one_click=one_click,
            )
        )

    # -- what replies need: the case's reply address, unsubscribe links ----------------

    def reply_settings(self) -> ReplySettings:
        with self.db.read() as conn:
            values = {key: mailbox.get_setting(conn, key) for key in REPLY_KEYS}
        return ReplySettings(
            plus_address=values[PLUS_ADDRESS_KEY] != "off",
            subject_tag=values[SUBJECT_TAG_KEY] == "on",
            unsubscribe_url=values[UNSUBSCRIBE_URL_KEY] or None,
        )

    def set_reply_settings(
        self,
        *,
        plus_address: bool | None = None,
        subject_tag: bool | None = None,
        unsubscribe_url: str | None = None,
    ) -> ReplySettings:
        """Change the given ones (an empty URL clears it); each change is recorded in the
        settings log."""
        url = None if not unsubscribe_url else check_unsubscribe_url(unsubscribe_url)
        now = self.clock.now()
        with self.db.write() as conn:
            if plus_address is not None:
                team.put(conn, PLUS_ADDRESS_KEY, "on" if plus_address else "off", self.actor, now)
            if subject_tag is not None:
                team.put(conn, SUBJECT_TAG_KEY, "on" if subject_tag else "off", self.actor, now)
            if unsubscribe_url is not None:
                team.put(conn, UNSUBSCRIBE_URL_KEY, url, self.actor, now)
        return self.reply_settings()

    def reply_headers(
        self, opinion_id: int | None, sender: Sender
    ) -> tuple[str | None, tuple[str, ...], bool]:
        """(Reply-To, List-Unsubscribe URIs, one-click) for a message of case `opinion_id`.

        With the team's reply-to set, a case's message answers to the case's plus-address
        (`nps+<token>@...`, unless `replies.plus_address` is off), so a reply finds its case
        whatever the customer's mail program does to the thread. Every message offers a
        mailto: unsubscribe (to that address, else the sender's); with `mail.unsubscribe_url`
        also the https link with the case's token, and one-click (RFC 8058)."""
        chosen = self.reply_settings()
        reply_to = sender.reply_to
        token = None
        if opinion_id is not None and (
            chosen.unsubscribe_url or (reply_to and chosen.plus_address)
        ):
            token = self._reply_token(opinion_id, reply_to or sender.address)
        if token is not None and reply_to and chosen.plus_address:
            from npsdesk.domain.reply_tokens import plus_address

            reply_to = plus_address(reply_to, token)
        mailto = f"mailto:{reply_to or sender.address}?subject={UNSUBSCRIBE_SUBJECT}"
        if token is not None and chosen.unsubscribe_url:
            return reply_to, (chosen.unsubscribe_url.replace("{token}", token), mailto), True
        return reply_to, (mailto,), False

    def _reply_token(self, opinion_id: int, address: str) -> str:
        """The case's reply token; the store's secret for tokens is made on first use."""
        from npsdesk.domain.reply_tokens import token_for, token_in_address
        from npsdesk.services.replies import SECRET_KEY

        with self.db.read() as conn:
            secret = mailbox.get_setting(conn, SECRET_KEY)
        if secret is not None:
            return token_for(opinion_id, bytes.fromhex(secret))
        made = self.services.replies(self.actor).reply_address(opinion_id, address)
        found = token_in_address(made, address)
        assert found is not None
        return found

    def preview(self, draft: Draft) -> str:
        """The message as the customer's mail program shows it: every header, decoded, then
        the body text (what goes on the wire is this, MIME-encoded)."""
        import email
        import email.policy

        from npsdesk.mail.message import message_bytes

        wire = message_bytes(self.build(draft))
        parsed = email.message_from_bytes(wire, policy=email.policy.default)
        shown = [
            f"{name}: {value}"
            for name, value in parsed.items()
            if name.lower() not in ("mime-version", "content-type", "content-transfer-encoding")
        ]
        body = parsed.get_content() if not parsed.is_multipart() else ""
        return "\n".join(shown) + "\n\n" + str(body).replace("\r\n", "\n")

    # -- queueing ----------------------------------------------------------------------

    def queue(self, draft: Draft, *, close: bool = False) -> int:
        """Put `draft` in the outbox; with `close`, the case closes once it is sent."""
        opinion = self.opinion(draft.opinion_id)
        self.check_can_mail(opinion)
        if close:
            self.check_close(opinion)
        body = self.full_body(draft.body)
        self.assemble(
            draft.message_id,
            draft.to_address,
            draft.to_name,
            draft.subject,
            body,
            opinion_id=draft.opinion_id,
            in_reply_to=draft.in_reply_to,
            references=draft.references,
        )
        with self.db.write() as conn:
            return mailbox.add_message(
                conn,
                NewMessage(
                    kind="case",
                    state="queued",
                    opinion_id=draft.opinion_id,
                    respondent_id=draft.respondent_id,
                    template=draft.template,
                    message_id=draft.message_id,
                    to_address=draft.to_address,
                    to_name=draft.to_name,
                    subject=draft.subject,
                    body=body,
                    close_on_send=close,
                    created_by=self.actor,
                    in_reply_to=draft.in_reply_to,
                    refs=" ".join(draft.references) or None,
                ),
                self.clock.now(),
            )

    def check_close(self, opinion: OpinionView, *, thank_you: bool = False) -> None:
        """Refuse (DomainError) a "send and close" the close rules would not let close; a
        thank-you closes with the settings' type and category, by its sender."""
        ticket_type = opinion.type or (self.settings.thank_you_type if thank_you else None)
        category = opinion.category or (self.settings.thank_you_category if thank_you else None)
        responsible = opinion.responsible or (self.actor if thank_you else None)
        if Status(opinion.status) is Status.CLOSED:
            raise MailRefused(key="refusal.mail.closed", id=opinion.id)
        workflow.check_close(
            Status.IN_TREATMENT,
            None if ticket_type is None else TicketType(ticket_type),
            category or None,
            responsible,
        )

    # -- the outbox --------------------------------------------------------------------

    def messages(self, states: Sequence[str] | None = None) -> list[Row]:
        with self.db.read() as conn:
            return mailbox.list_messages(conn, states)

    def retry(self, outbox_id: int) -> None:
        """A failed or unknown message goes back to the queue (the analyst decided)."""
        with self.db.write() as conn:
            if not mailbox.set_state(
                conn, outbox_id, "queued", ("failed", "unknown"), self.clock.now()
            ):
                raise self._why_not(conn, outbox_id, "retried")

    def cancel(self, outbox_id: int) -> None:
        with self.db.write() as conn:
            now = self.clock.now()
            if not mailbox.set_state(
                conn, outbox_id, "cancelled", mailbox.CANCELLABLE, now, f"cancelled by {self.actor}"
            ):
                raise self._why_not(conn, outbox_id, "cancelled")
            mailbox.release_coupon(conn, outbox_id)

    @staticmethod
    def _why_not(conn: Connection, outbox_id: int, verb: str) -> MailRefused:
        row = mailbox.get_message(conn, outbox_id)
        if row is None:
            return MailRefused(key="refusal.mail.no_message", id=outbox_id)
        return MailRefused(key=f"refusal.mail.not_{verb}", id=outbox_id, state=row["state"])


def _is_message_id(value: str | None) -> bool:
    from npsdesk.mail.message import MESSAGE_ID

    return bool(value) and str(value).isascii() and MESSAGE_ID.fullmatch(str(value)) is not None
