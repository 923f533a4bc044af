"""Customer replies are fetched from a real IMAP server (the suite's Dovecot, over verified
TLS) and from a Maildir into a real store: in batches, once each however often and however
interrupted the fetch, seen or moved afterwards; and `npsdesk mail fetch` end to end."""

from __future__ import annotations

import email.policy
import imaplib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import NOW
from tests.imap_server import ImapServer

from npsdesk.bootstrap import Services
from npsdesk.mail.imap_source import (
    FetchError,
    ImapAccount,
    ImapSource,
    mailbox_name,
)
from npsdesk.mail.maildir_source import fetch_maildir
from npsdesk.services.reply_fetch import FetchReport, SourceReport, fetch_once

pytestmark = pytest.mark.sqlite_only  # the store's side runs on both back ends elsewhere


def reply(n: int, sender: str = "cliente@padaria.com.br", in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = f"Cliente {n} <{sender}>"
    message["To"] = "nps@empresa.example"
    message["Subject"] = f"Re: Sua opinião ({n})"
    message["Date"] = format_datetime(NOW)
    message["Message-ID"] = f"<resposta-{n}@padaria.com.br>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(f"Olá, resposta número {n}: o sistema travou de novo.\n")
    return message.as_bytes(policy=email.policy.SMTP)


def account(server: ImapServer, **changes: Any) -> ImapAccount:
    options: dict[str, Any] = {
        "host": "127.0.0.1",
        "username": server.user,
        "port": server.tls_port,
        "security": "tls",
        "timeout": 10.0,
    }
    return ImapAccount(**(options | changes))


def trusting(server: ImapServer) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(server.ca_file))


def watched(cut_at_fetch: int | None = None) -> tuple[type[ImapSource], list[str]]:
    """An ImapSource whose client records each command it sends (and, when asked, cuts
    the connection as it sends the `cut_at_fetch`-th UID FETCH)."""
    sent: list[str] = []

    class Client(imaplib.IMAP4_SSL):
        def _command(self, name: str, *args: Any) -> Any:
            what = f"{name} {args[0]}" if name == "UID" else name
            sent.append(what)
            if what == "UID FETCH" and sent.count(what) == cut_at_fetch:
                self.sock.shutdown(socket.SHUT_RDWR)
            return super()._command(name, *args)

    class Source(ImapSource):
        tls_class = Client

    return Source, sent


def source(server: ImapServer, cls: type[ImapSource] = ImapSource, **changes: Any) -> ImapSource:
    batch = changes.pop("batch", 50)
    return cls(
        account(server, **changes), lambda: server.password, context=trusting(server), batch=batch
    )


def fetch(services: Services, imap: ImapSource) -> SourceReport:
    """One IMAP run into the store, counted as fetch_once counts."""
    replies = services.replies()
    report = SourceReport("imap", imap.account.where)

    def take(batch: list[bytes]) -> None:
        report.count(replies.take_many((raw, "imap") for raw in batch))

    run = imap.fetch(replies, take)
    report.notes.extend(run.notes)
    return report


def stored(services: Services) -> list[str]:
    with services.db.read() as conn:
        rows = conn.execute("SELECT message_id FROM inbound_message ORDER BY id").fetchall()
    return [str(row[0]) for row in rows]


def uids(server: ImapServer, folder: str = "INBOX", criteria: str = "ALL") -> list[int]:
    with server.connect() as client:
        status, _ = client.select(mailbox_name(folder), readonly=True)
        assert status == "OK", folder
        _, data = client.uid("SEARCH", criteria)
    return [int(uid) for uid in data[0].split()]


# -- IMAP ------------------------------------------------------------------------------


def test_new_messages_come_in_batches_once_and_are_marked_seen(
    imap_server: ImapServer, services: Services
) -> None:
    for n in range(1, 8):
        imap_server.deliver(reply(n))
    cls, sent = watched()
    first = fetch(services, source(imap_server, cls, batch=3))
    assert (first.new, first.duplicate, first.quarantined) == (7, 0, 0)
    assert sent.count("UID FETCH") == 3  # 3 + 3 + 1, never one round trip per message
    assert len(stored(services)) == 7
    assert uids(imap_server, criteria="UNSEEN") == []
    assert services.replies().cursor(account(imap_server).key) is not None

    sent.clear()
    again = fetch(services, source(imap_server, cls, batch=3))
    assert (again.new, again.duplicate) == (0, 0)
    assert "UID FETCH" not in sent  # `UID n:*` answering the last message is filtered out

    imap_server.deliver(reply(8))
    later = fetch(services, source(imap_server, cls, batch=3))
    assert (later.new, later.duplicate) == (1, 0)
    assert len(stored(services)) == 8


def test_a_fetch_cut_after_its_first_batch_resumes_with_no_loss_and_no_duplicate(
    imap_server: ImapServer, services: Services
) -> None:
    for n in range(1, 8):
        imap_server.deliver(reply(n))
    cutting, _ = watched(cut_at_fetch=2)
    report = SourceReport("imap", "")
    replies = services.replies()
    with pytest.raises(FetchError) as cut:
        source(imap_server, cutting, batch=3).fetch(
            replies, lambda batch: report.count(replies.take_many((r, "imap") for r in batch))
        )
    message = str(cut.value)
    assert "connection to the IMAP server 127.0.0.1 was lost" in message
    assert "the 3 messages taken before are kept" in message
    assert "\n" not in message
    assert imap_server.password not in message
    assert report.new == 3
    assert len(stored(services)) == 3

    resumed = fetch(services, source(imap_server, batch=3))
    assert (resumed.new, resumed.duplicate) == (4, 0)
    assert sorted(stored(services)) == sorted(f"<resposta-{n}@padaria.com.br>" for n in range(1, 8))


def test_a_changed_uidvalidity_reads_the_folder_again_and_takes_nothing_twice(
    imap_server: ImapServer, services: Services
) -> None:
    folder = "Respostas NPS"
    imap_server.deliver(reply(1), folder)
    imap_server.deliver(reply(2), folder)
    assert fetch(services, source(imap_server, folder=folder)).new == 2
    with imap_server.connect() as client:  # the folder is rebuilt, as a server move does
        assert client.delete(mailbox_name(folder))[0] == "OK"
    for n in (1, 2, 3):
        imap_server.deliver(reply(n), folder)
    again = fetch(services, source(imap_server, folder=folder))
    assert (again.new, again.duplicate) == (1, 2)
    assert any("UIDVALIDITY" in note for note in again.notes)
    assert len(stored(services)) == 3


def test_after_move_puts_fetched_messages_in_the_folder_it_creates(
    imap_server: ImapServer, services: Services
) -> None:
    for n in range(1, 6):
        imap_server.deliver(reply(n))
    target = "Concluídas & lidas"  # not ASCII: modified UTF-7 on the wire
    cls, sent = watched()
    moved = fetch(services, source(imap_server, cls, batch=2, after="move", move_to=target))
    assert moved.new == 5
    assert uids(imap_server) == []
    assert len(uids(imap_server, target)) == 5
    assert sent.count("UID MOVE") == 3  # Dovecot has MOVE: one per batch
    assert fetch(services, source(imap_server, after="move", move_to=target)).new == 0


def test_moving_left_undone_by_a_cut_is_finished_by_the_next_fetch(
    imap_server: ImapServer, services: Services
) -> None:
    for n in range(1, 6):
        imap_server.deliver(reply(n))

    class CutAtMove(ImapSource):
        class tls_class(imaplib.IMAP4_SSL):
            def _command(self, name: str, *args: Any) -> Any:
                if name == "UID" and args[0] == "MOVE":
                    self.sock.shutdown(socket.SHUT_RDWR)
                return super()._command(name, *args)

    with pytest.raises(FetchError, match="the 3 messages taken before are kept"):
        fetch(services, source(imap_server, CutAtMove, batch=3, after="move"))
    assert len(uids(imap_server)) == 5  # taken, cursor saved, but not moved
    resumed = fetch(services, source(imap_server, batch=3, after="move"))
    assert (resumed.new, resumed.duplicate) == (2, 0)
    assert any("interrupted fetch were moved" in note for note in resumed.notes)
    assert uids(imap_server) == []
    assert len(uids(imap_server, "npsdesk")) == 5
    assert len(stored(services)) == 5


def test_starttls_on_the_plain_port_is_verified_too(
    imap_server: ImapServer, services: Services
) -> None:
    imap_server.deliver(reply(1))
    report = fetch(services, source(imap_server, port=imap_server.port, security="starttls"))
    assert report.new == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "the certificate of the IMAP server 127.0.0.1 is not trusted"),
        ({"trust": True, "password": "errada"}, "refused the login of nps@empresa.example"),
        ({"trust": True, "folder": "Nada"}, 'there is no folder "Nada" on the IMAP server'),
        ({"trust": True, "port": "closed"}, "cannot reach the IMAP server 127.0.0.1:"),
    ],
)
def test_what_stops_a_fetch_is_one_clear_line_without_the_password(
    imap_server: ImapServer, services: Services, changes: dict[str, Any], expected: str
) -> None:
    imap_server.deliver(reply(1))
    password = changes.pop("password", imap_server.password)
    context = trusting(imap_server) if changes.pop("trust", False) else None  # system CAs
    if changes.get("port") == "closed":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            changes["port"] = probe.getsockname()[1]
    imap = ImapSource(account(imap_server, **changes), lambda: password, context=context)
    with pytest.raises(FetchError) as stopped:
        fetch(services, imap)
    message = str(stopped.value)
    assert expected in message
    assert "\n" not in message
    assert password not in message
    assert stored(services) == []


# -- Maildir ---------------------------------------------------------------------------


def maildir(root: Path) -> Path:
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def test_a_maildir_is_taken_in_batches_and_its_messages_marked_seen(
    tmp_path: Path, services: Services
) -> None:
    box = maildir(tmp_path / "Maildir")
    for n in range(1, 5):
        (box / "new" / f"170000000{n}.M{n}P1.host").write_bytes(reply(n))
    (box / "cur" / "1700000005.M5P1.host:2,F").write_bytes(reply(5))  # unseen, flagged
    (box / "cur" / "1700000006.M6P1.host:2,S").write_bytes(reply(6))  # already seen
    replies = services.replies()
    report = SourceReport("maildir", str(box))
    batches: list[int] = []

    def take(batch: list[bytes]) -> None:
        batches.append(len(batch))
        report.count(replies.take_many((raw, "maildir") for raw in batch))

    run = fetch_maildir(box, take, batch=2)
    assert batches == [2, 2, 1]
    assert (run.fetched, report.new, run.notes) == (5, 5, [])
    assert list((box / "new").iterdir()) == []
    names = sorted(path.name for path in (box / "cur").iterdir())
    assert names == [f"170000000{n}.M{n}P1.host:2,S" for n in range(1, 5)] + [
        "1700000005.M5P1.host:2,FS",
        "1700000006.M6P1.host:2,S",
    ]
    assert fetch_maildir(box, take).fetched == 0
    assert len(stored(services)) == 5


def test_fetch_once_reports_each_source_and_one_failing_does_not_stop_the_other(
    imap_server: ImapServer, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import make_settings

    from npsdesk.bootstrap import bootstrap
    from npsdesk.domain.clock import FixedClock

    box = maildir(tmp_path / "Maildir")
    (box / "new" / "1700000001.M1P1.host").write_bytes(reply(1))
    imap_server.deliver(reply(2))
    settings = make_settings(
        store_path,
        **{
            "mail.inbox.host": "127.0.0.1",
            "mail.inbox.port": imap_server.tls_port,
            "mail.inbox.username": imap_server.user,
            "mail.inbox.maildir": str(box),
        },
    )
    services = bootstrap(settings, clock=FixedClock(NOW))
    try:
        monkeypatch.setenv("NPSDESK_IMAP_PASSWORD", "errada")
        report = fetch_once(services, context=trusting(imap_server))
        assert isinstance(report, FetchReport)
        assert report.failed
        imap, box_report = report.sources
        assert imap.error is not None
        assert "refused the login" in imap.error
        assert (box_report.new, box_report.error) == (1, None)
        monkeypatch.setenv("NPSDESK_IMAP_PASSWORD", imap_server.password)
        report = fetch_once(services, context=trusting(imap_server))
        assert not report.failed
        assert report.to_json()["total"] == {
            "new": 1,
            "duplicate": 0,
            "quarantined": 0,
            "matched": 0,
            "unmatched": 1,
        }
    finally:
        services.close()


# -- the command -----------------------------------------------------------------------


def npsdesk(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "npsdesk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    process = npsdesk(*args, env=env)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.fixture
def inbox_env(imap_server: ImapServer, tmp_path: Path) -> dict[str, str]:
    """The settings of an inbox on the test Dovecot and a Maildir, as a user sets them."""
    return {
        "NPSDESK_MAIL_INBOX_HOST": "127.0.0.1",
        "NPSDESK_MAIL_INBOX_PORT": str(imap_server.tls_port),
        "NPSDESK_MAIL_INBOX_USERNAME": imap_server.user,
        "NPSDESK_MAIL_INBOX_MAILDIR": str(maildir(tmp_path / "Maildir")),
        "NPSDESK_IMAP_PASSWORD": imap_server.password,
        "SSL_CERT_FILE": str(imap_server.ca_file),  # OpenSSL's own way to trust a CA
    }


def test_mail_fetch_once_json_end_to_end(
    demo_store: Path, imap_server: ImapServer, inbox_env: dict[str, str]
) -> None:
    import sqlite3

    with sqlite3.connect(demo_store) as conn:  # a customer with exactly one open case
        address = conn.execute(
            """SELECT r.email FROM opinion o JOIN respondent r ON r.id = o.respondent_id
               WHERE o.status <> 'closed' AND NOT o.internal AND r.email IS NOT NULL
               GROUP BY r.email HAVING count(*) = 1 ORDER BY r.email LIMIT 1"""
        ).fetchone()[0]
    imap_server.deliver(reply(1, sender=address))
    imap_server.deliver(reply(2, sender="desconhecido@nenhures.example"))
    box = Path(inbox_env["NPSDESK_MAIL_INBOX_MAILDIR"])
    (box / "new" / "1700000003.M3P1.host").write_bytes(reply(3))
    done = run("--store", str(demo_store), "mail", "fetch", "--once", "--json", env=inbox_env)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    imap, local = answer["sources"]["imap"], answer["sources"]["maildir"]
    assert (imap["new"], imap["matched"], imap["unmatched"], imap["error"]) == (2, 1, 1, None)
    assert imap["where"] == f"{imap_server.user}@127.0.0.1/INBOX"
    assert (local["new"], local["duplicate"]) == (1, 0)
    assert answer["ok"] is True
    again = run("--store", str(demo_store), "mail", "fetch", env=inbox_env)
    assert again.returncode == 0, again.stderr
    assert "imap nps@empresa.example@127.0.0.1/INBOX: new 0, duplicate 0" in again.stdout
    assert f"maildir {box}: new 0" in again.stdout


def test_mail_fetch_says_why_a_source_failed_and_exits_1(
    demo_store: Path, inbox_env: dict[str, str]
) -> None:
    env = {**inbox_env, "NPSDESK_IMAP_PASSWORD": "errada", "LANG": "pt_BR.UTF-8"}
    done = run("--store", str(demo_store), "mail", "fetch", env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "errada" not in done.stderr + done.stdout
    assert "recusou o login de nps@empresa.example" in done.stderr
    assert "maildir" in done.stdout  # the Maildir was still read


def test_mail_fetch_without_an_inbox_names_the_settings_and_exits_2(demo_store: Path) -> None:
    done = run("--store", str(demo_store), "mail", "fetch", "--once", env={})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        "npsdesk: no inbox to fetch replies from: set mail.inbox.host (IMAP) or "
        "mail.inbox.maildir in the settings file"
    )


def test_mail_fetch_every_fetches_each_round_and_stops_cleanly_on_ctrl_c(
    demo_store: Path, imap_server: ImapServer, inbox_env: dict[str, str]
) -> None:
    imap_server.deliver(reply(1))
    process = npsdesk(
        "--store", str(demo_store), "mail", "fetch", "--every", "1s", "--json", env=inbox_env
    )
    assert process.stdout is not None
    rounds = [json.loads(process.stdout.readline()) for _ in range(2)]
    imap_server.deliver(reply(2))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rounds.append(json.loads(process.stdout.readline()))
        if rounds[-1]["total"]["new"]:
            break
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert "fetching replies stopped" in stderr
    assert [r["total"]["new"] for r in rounds[:2]] == [1, 0]
    assert rounds[-1]["total"]["new"] == 1
    assert "Traceback" not in stderr
