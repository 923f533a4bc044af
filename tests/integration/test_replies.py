"""Customer replies come back into their case: matching, what a reply does, bounces,
auto-replies, unsubscribe requests, the unmatched inbox, and the pipe a mail system feeds."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import NOW, make_settings
from tests.integration.conftest import SENDER

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.services.mail import MailService


def one(services: Services, sql: str, params: tuple[Any, ...] = ()) -> Any:
    with services.db.read() as conn:
        return conn.execute(sql, params).fetchone()


def open_case(services: Services) -> tuple[int, str]:
    """An untreated detractor's case whose customer has one open case, and their address."""
    row = one(
        services,
        """SELECT o.id, r.email FROM opinion o JOIN respondent r ON r.id = o.respondent_id
           WHERE o.nps_class = 'detractor' AND NOT o.internal AND o.status = 'untreated'
             AND NOT o.archived AND r.email IS NOT NULL
             AND (SELECT count(*) FROM opinion o2 JOIN respondent r2 ON r2.id = o2.respondent_id
                  WHERE r2.email = r.email AND o2.status <> 'closed') = 1
           ORDER BY o.id LIMIT 1""",
    )
    return int(row[0]), str(row[1])


def send(services: Services, opinion_id: int) -> tuple[str, str]:
    """Our e-mail to the case's customer over SMTP: its Message-ID and subject."""
    mail = MailService(services, actor="ana")
    draft = mail.compose(opinion_id)
    mail.queue(draft)
    assert mail.deliver().sent == 1
    return draft.message_id, draft.subject


def reply(
    sender: str,
    *,
    text: str = "Olá, o pedido chegou quebrado de novo.\n",
    subject: str = "Re: Sua opinião",
    in_reply_to: str | None = None,
    to: str = SENDER,
    message_id: str | None = "<resposta-1@cliente.example>",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Cliente <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(NOW)
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return message.as_bytes(policy=email.policy.SMTP)


def history(services: Services, opinion_id: int, kind: str) -> list[Any]:
    with services.db.read() as conn:
        return conn.execute(
            "SELECT kind, outcome, subject, body, message_id, new_value FROM event "
            "WHERE opinion_id = ? AND kind = ? ORDER BY id",
            (opinion_id, kind),
        ).fetchall()


def case(services: Services, opinion_id: int) -> Any:
    return one(services, "SELECT status, lane, replied_at FROM opinion WHERE id = ?", (opinion_id,))


def test_a_reply_threaded_by_in_reply_to_lands_on_its_case_and_awaits_us(
    wired: Services,
) -> None:
    opinion_id, address = open_case(wired)
    message_id, _subject = send(wired, opinion_id)
    replies = wired.replies()
    taken = replies.take(reply(address, in_reply_to=message_id), "pipe")
    assert (taken.outcome, taken.opinion_id, taken.matched_by) == ("new", opinion_id, "thread")
    [event] = history(wired, opinion_id, "email_received")
    assert event["outcome"] == "reply"
    assert event["subject"] == "Re: Sua opinião"
    assert "pedido chegou quebrado" in event["body"]
    assert event["message_id"] == "<resposta-1@cliente.example>"
    assert event["new_value"] == str(taken.inbound_id)
    status, lane, replied_at = case(wired, opinion_id)
    assert (status, lane) == ("in_treatment", 0)
    assert replied_at is not None
    reads = wired.desk_reads()
    from npsdesk.services.desk_reads import ListFilter

    awaiting = reads.page(ListFilter(tab="awaiting"), limit=50)
    [ours] = [row for row in awaiting if row.id == opinion_id]  # beside the demo's replied
    assert ours.awaiting_us
    # the same message again adds nothing
    again = replies.take(reply(address, in_reply_to=message_id), "maildir")
    assert again.outcome == "duplicate"
    assert len(history(wired, opinion_id, "email_received")) == 1
    # our answer: nothing awaits us any more
    send(wired, opinion_id)
    assert case(wired, opinion_id)[1] == 1


def test_a_reply_comes_first_within_its_priority(wired: Services) -> None:
    from npsdesk.services.desk_reads import ListFilter

    opinion_id, address = open_case(wired)
    reads = wired.desk_reads()
    before = [row.id for row in reads.page(ListFilter(tab="untreated"), limit=500)]
    priority = one(wired, "SELECT priority FROM opinion WHERE id = ?", (opinion_id,))[0]
    wired.replies().take(reply(address), "pipe")  # by the sender: moves into treatment
    rows = reads.page(ListFilter(tab="in_treatment"), limit=500)
    same = [row for row in rows if row.priority == priority]
    assert same[0].id == opinion_id
    assert opinion_id in before


def test_matched_by_the_plus_address_token_alone(wired: Services) -> None:
    opinion_id, _address = open_case(wired)
    replies = wired.replies()
    plus = replies.reply_address(opinion_id, SENDER)
    assert plus.startswith("sucesso+")
    assert plus.endswith("@durasoft.com.br")
    taken = replies.take(reply("outra.pessoa@gmail.example", to=plus), "pipe")
    assert (taken.opinion_id, taken.matched_by) == (opinion_id, "token")
    # a token made up for another case does not match it
    forged = plus.replace("+", "+x")
    taken = replies.take(
        reply("outra.pessoa@gmail.example", to=forged, message_id="<forjada@x.example>"), "pipe"
    )
    assert (taken.opinion_id, taken.matched_by) == (None, None)


def test_matched_by_the_sender_of_one_open_case_only(wired: Services) -> None:
    opinion_id, address = open_case(wired)
    taken = wired.replies().take(reply(address.upper()), "pipe")
    assert (taken.opinion_id, taken.matched_by) == (opinion_id, "sender")
    row = one(
        wired,
        """SELECT r.email FROM respondent r JOIN opinion o ON o.respondent_id = r.id
           WHERE o.status <> 'closed' AND NOT o.archived AND NOT o.internal
           GROUP BY r.email HAVING count(*) > 1 LIMIT 1""",
    )
    if row is not None:  # a customer with two open cases: which one is not ours to guess
        taken = wired.replies().take(reply(row[0], message_id="<duas@x.example>"), "pipe")
        assert taken.opinion_id is None


def test_an_unmatched_message_waits_in_the_inbox_and_is_attached_by_hand(
    wired: Services,
) -> None:
    opinion_id, _address = open_case(wired)
    replies = wired.replies()
    taken = replies.take(reply("desconhecido@nowhere.example"), "pipe")
    assert (taken.outcome, taken.opinion_id) == ("new", None)
    demo_unmatched = [m.id for m in replies.inbox() if m.id != taken.inbound_id]  # the stranger's
    [waiting] = [m for m in replies.inbox() if m.id not in demo_unmatched]
    assert waiting.id == taken.inbound_id
    assert waiting.from_address == "desconhecido@nowhere.example"
    assert replies.unmatched_count() == 1 + len(demo_unmatched)
    assert taken.inbound_id is not None
    replies.attach(taken.inbound_id, opinion_id)
    assert [m.id for m in replies.inbox()] == demo_unmatched
    [event] = history(wired, opinion_id, "email_received")
    assert "pedido chegou quebrado" in event["body"]
    assert replies.message(taken.inbound_id).matched_by == "hand"
    assert case(wired, opinion_id)[1] == 0
    other = replies.take(reply("spam@nowhere.example", message_id="<spam@x.example>"), "pipe")
    assert other.inbound_id is not None
    replies.discard(other.inbound_id)
    assert [m.id for m in replies.inbox()] == demo_unmatched
    assert [m.id for m in replies.inbox(("discarded",))] == [other.inbound_id]


@pytest.mark.parametrize("choice", ["reopen", "flag"])
def test_a_reply_to_a_closed_case_follows_the_team_setting(wired: Services, choice: str) -> None:
    opinion_id, address = open_case(wired)
    message_id, _ = send(wired, opinion_id)
    cases = wired.cases("ana")
    cases.close(opinion_id, ticket_type="complaint", category="Atendimento", responsible="ana")
    wired.team("ana").set_closed_replies(choice)
    assert wired.team().closed_replies() == choice
    wired.replies().take(reply(address, in_reply_to=message_id), "pipe")
    status, lane, _ = case(wired, opinion_id)
    if choice == "reopen":
        assert (status, lane) == ("in_treatment", 0)
        changes = history(wired, opinion_id, "status_changed")
        assert changes[-1]["body"].startswith("customer replied")
    else:
        assert (status, lane) == ("closed", 0)


def test_an_auto_reply_is_recorded_and_does_nothing_else(wired: Services) -> None:
    opinion_id, address = open_case(wired)
    message_id, _ = send(wired, opinion_id)
    before = case(wired, opinion_id)
    raw = reply(
        address,
        subject="Resposta automática: Fora do escritório",
        text="Estou de férias até 10/12.",
        in_reply_to=message_id,
        headers={"Auto-Submitted": "auto-replied"},
    )
    taken = wired.replies().take(raw, "pipe")
    assert (taken.kind, taken.opinion_id) == ("auto_reply", opinion_id)
    [event] = history(wired, opinion_id, "email_received")
    assert event["outcome"] == "auto_reply"
    assert case(wired, opinion_id) == before


def test_an_unsubscribe_reply_puts_the_sender_on_the_suppression_list(wired: Services) -> None:
    opinion_id, address = open_case(wired)
    message_id, _ = send(wired, opinion_id)
    wired.replies().take(reply(address, text="descadastrar\n", in_reply_to=message_id), "pipe")
    assert MailService(wired, actor="ana").is_suppressed(address)


def dsn(original_id: str, recipient: str) -> bytes:
    text = (
        "From: MAILER-DAEMON@mx.durasoft.com.br\r\n"
        f"To: {SENDER}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-1@mx.durasoft.com.br>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.durasoft.com.br\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        "\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_id}\r\nSubject: Sua opinião\r\n"
        "\r\n--B--\r\n"
    )
    return text.encode()


def test_a_bounce_marks_the_message_bounced_and_flags_the_address(wired: Services) -> None:
    flagged = one(wired, "SELECT count(*) FROM address_flag")[0]  # the demo's bounce
    opinion_id, address = open_case(wired)
    message_id, _ = send(wired, opinion_id)
    taken = wired.replies().take(dsn(message_id, address), "pipe")
    assert (taken.kind, taken.opinion_id) == ("bounce", opinion_id)
    row = one(wired, "SELECT state, reason FROM outbox WHERE message_id = ?", (message_id,))
    assert row[0] == "bounced"
    assert "5.1.1" in row[1]
    [event] = history(wired, opinion_id, "email_bounced")
    assert "user unknown" in event["body"]
    assert one(wired, "SELECT count(*) FROM address_flag")[0] == flagged + 1
    assert case(wired, opinion_id)[1] == 1  # a bounce is not the customer replying


def test_a_reused_message_id_keeps_both_messages(wired: Services) -> None:
    replies = wired.replies()
    first = replies.take(reply("a@nowhere.example", text="primeira"), "pipe")
    second = replies.take(reply("a@nowhere.example", text="outra coisa"), "pipe")
    assert (first.outcome, second.outcome) == ("new", "new")
    assert second.inbound_id is not None
    kept = replies.message(second.inbound_id)
    assert kept.reason is not None
    assert "reused" in kept.reason
    assert replies.take(reply("a@nowhere.example", text="outra coisa"), "pipe").outcome == (
        "duplicate"
    )


def test_what_cannot_be_read_is_quarantined_and_the_rest_goes_on(wired: Services) -> None:
    opinion_id, address = open_case(wired)
    replies = wired.replies()
    taken = replies.take_many(
        [(b"", "pipe"), (b"\x00\xff\xfe garbage", "pipe"), (reply(address), "pipe")]
    )
    assert [t.outcome for t in taken] == ["quarantined", "quarantined", "new"]
    assert taken[2].opinion_id == opinion_id
    quarantined = replies.inbox(("quarantined",))
    assert len(quarantined) == 2
    assert all(m.reason for m in quarantined)


def run_cli(
    store: Path | str, *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "npsdesk", "--store", str(store), *args],
        input=stdin,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.sqlite_only
def test_the_pipe_takes_a_message_and_says_75_when_it_cannot_store_it(
    wired: Services, tmp_path: Path
) -> None:
    _opinion_id, address = open_case(wired)
    store = wired.db.path  # type: ignore[union-attr]
    wired.close()
    done = run_cli(store, "mail", "ingest", "--json", stdin=reply(address))
    assert done.returncode == 0, done.stderr
    assert b'"new": 1' in done.stdout
    again = run_cli(store, "mail", "ingest", stdin=reply(address))
    assert again.returncode == 0
    assert b"duplicate 1" in again.stdout or b"repetidas 1" in again.stdout
    missing = tmp_path / "no-such-dir" / "store.sqlite"
    failed = run_cli(missing, "mail", "ingest", stdin=reply(address))
    assert failed.returncode == 75, failed.stderr
    assert b"Traceback" not in failed.stderr


@pytest.mark.sqlite_only
def test_maildir_and_pipe_take_the_same_messages_into_the_same_history(
    demo_template: Path, tmp_path: Path
) -> None:
    """The same four messages, through `mail ingest` in one copy of the demo store and
    through a Maildir fetch in another: the same cases get the same history."""
    import shutil

    from npsdesk.services.reply_fetch import fetch_once

    stores = []
    for name in ("pipe", "maildir"):
        store = tmp_path / f"{name}.sqlite"
        shutil.copyfile(demo_template, store)
        stores.append(store)
    first = bootstrap(make_settings(stores[0]), clock=FixedClock(NOW))
    opinion_id, address = open_case(first)
    first.close()
    raws = [
        reply(address, message_id="<m1@cliente.example>"),
        reply(address, text="E a nota fiscal?\n", message_id="<m2@cliente.example>"),
        reply(
            address,
            subject="Resposta automática",
            message_id="<m3@cliente.example>",
            headers={"Auto-Submitted": "auto-replied"},
        ),
        reply("ninguem@nowhere.example", message_id="<m4@x.example>"),
    ]
    files = []
    for number, raw in enumerate(raws):
        path = tmp_path / f"{number}.eml"
        path.write_bytes(raw)
        files.append(str(path))
    done = run_cli(stores[0], "mail", "ingest", *files)
    assert done.returncode == 0, done.stderr
    maildir = tmp_path / "Maildir"
    for part in ("new", "cur", "tmp"):
        (maildir / part).mkdir(parents=True)
    for number, raw in enumerate(raws):
        (maildir / "new" / f"{number}.msg").write_bytes(raw)
    settings = make_settings(stores[1], **{"mail.inbox.maildir": str(maildir)})
    second = bootstrap(settings, clock=FixedClock(NOW))
    try:
        report = fetch_once(second)
    finally:
        second.close()
    assert report.total("new") == 4

    def story(store: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        services = bootstrap(make_settings(store), clock=FixedClock(NOW))
        try:
            with services.db.read() as conn:
                events = conn.execute(
                    "SELECT opinion_id, kind, outcome, subject, body, message_id FROM event "
                    "WHERE kind = 'email_received' ORDER BY opinion_id, message_id"
                ).fetchall()
                messages = conn.execute(
                    "SELECT key, kind, state, opinion_id, matched_by, body FROM inbound_message "
                    "ORDER BY key"
                ).fetchall()
        finally:
            services.close()
        return [tuple(e) for e in events], [tuple(m) for m in messages]

    by_pipe, by_maildir = story(stores[0]), story(stores[1])
    assert by_pipe == by_maildir
    received = [e for e in by_pipe[0] if e[0] == opinion_id]
    assert [
        e[2]
        for e in received
        if e[5] in ("<m1@cliente.example>", "<m2@cliente.example>", "<m3@cliente.example>")
    ] == ["reply", "reply", "auto_reply"]
