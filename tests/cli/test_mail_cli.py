"""Mail commands through the real console entry point, on the demo store (files only)."""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.test_cli import fails_with, run
from tests.integration.conftest import Server, free_port

from npsdesk.cli.mail import EXIT_FAILED, EXIT_NOT_DONE, EXIT_UNKNOWN


def first_detractor(store: Path) -> int:
    with sqlite3.connect(store) as conn:
        row = conn.execute(
            "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
            "WHERE o.nps_class = 'detractor' AND NOT o.internal AND r.email IS NOT NULL "
            "AND o.status = 'untreated' ORDER BY o.id LIMIT 1"
        ).fetchone()
    return int(row[0])


def test_email_previews_then_sends_to_files_on_the_demo_store(demo_store: Path) -> None:
    opinion = first_detractor(demo_store)
    result = run("--store", str(demo_store), "email", str(opinion), "--yes")
    assert "From: Sucesso do Cliente Durasoft <loop@demo.invalid>" in result.stdout
    assert "Message-ID: <" in result.stdout
    assert "sent 1, failed 0, unknown 0" in result.stdout
    sent = list((demo_store.parent / "demo-sent-mail").glob("*.eml"))
    assert len(sent) == 1
    assert stat.S_IMODE(sent[0].stat().st_mode) == 0o600
    listed = json.loads(
        run("--store", str(demo_store), "outbox", "--state", "sent", "--json").stdout
    )
    assert [m["opinion_id"] for m in listed] == [opinion]
    shown = run("--store", str(demo_store), "show", str(opinion)).stdout
    assert "e-mail sent" in shown


def test_email_without_confirmation_outside_a_terminal_sends_nothing(demo_store: Path) -> None:
    result = run("--store", str(demo_store), "email", str(first_detractor(demo_store)), check=False)
    assert result.returncode == 1
    assert "add --yes" in result.stderr
    assert not (demo_store.parent / "demo-sent-mail").exists()


def test_demo_thank_you_drafts_are_sent_and_closed_with_coupons(demo_store: Path) -> None:
    listed = json.loads(
        run("--store", str(demo_store), "outbox", "--state", "draft", "--json").stdout
    )
    assert listed, "the demo prepares thank-you drafts for its untreated promoters"
    first = listed[-1]["opinion_id"]  # newest first: the oldest draft is last
    result = run("--store", str(demo_store), "thank", str(first))
    assert "thank-yous: 1 queued" in result.stdout
    assert "sent 1" in result.stdout
    pools = json.loads(run("--store", str(demo_store), "coupons", "list", "--json").stdout)
    assert pools == [{"campaign": "Bônus NPS", "total": 30, "given": 1, "free": 29, "active": True}]
    shown = run("--store", str(demo_store), "show", str(first)).stdout
    assert "coupon sent: NPS-BONUS-0001" in shown
    assert "closed" in shown


def test_template_edit_refuses_an_unknown_placeholder(demo_store: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text('Subject: Oi {{ nom }}\\n\\nCorpo\\n', encoding='utf-8')\n",
        encoding="utf-8",
    )
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""}
    result = run("--store", str(demo_store), "template", "edit", "detractor", env=env, check=False)
    assert result.returncode == 1
    assert "unknown placeholder {{ nom }}" in result.stderr
    assert "template detractor not saved" in result.stderr
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text('Subject: Oi {{ primeiro_nome }}\\n\\nNota {{ nota }}\\n', "
        "encoding='utf-8')\n",
        encoding="utf-8",
    )
    run("--store", str(demo_store), "template", "edit", "detractor", env=env)
    shown = run("--store", str(demo_store), "template", "show", "detractor").stdout
    assert shown.startswith("Subject: Oi {{ primeiro_nome }}\n\nNota {{ nota }}")


def test_suppression_list_keeps_no_address(demo_store: Path) -> None:
    run("--store", str(demo_store), "suppress", "add", "Fulano@Example.com")
    assert run("--store", str(demo_store), "suppress", "check", "fulano@example.com").stdout
    assert b"fulano@example.com" not in demo_store.read_bytes().lower()
    missing = run("--store", str(demo_store), "suppress", "check", "outro@example.com", check=False)
    assert missing.returncode == 1


def test_without_a_keyring_the_password_command_says_what_to_do(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[mail]\nhost = "smtp.example.com.br"\nusername = "loop@example.com.br"\n',
        encoding="utf-8",
    )
    result = run(
        "--config",
        str(config),
        "--store",
        str(tmp_path / "s.sqlite"),
        "mail",
        "password",
        "forget",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        check=False,
    )
    fails_with(result, "no system keyring is available here")
    assert "NPSDESK_SMTP_PASSWORD" in result.stderr


def test_outbox_retry_of_a_sent_message_is_refused(demo_store: Path) -> None:
    run("--store", str(demo_store), "email", str(first_detractor(demo_store)), "--yes")
    listed = json.loads(
        run("--store", str(demo_store), "outbox", "--state", "sent", "--json").stdout
    )
    result = run("--store", str(demo_store), "outbox", "retry", str(listed[0]["id"]), check=False)
    fails_with(result, "is sent and cannot be retried")


# -- exit codes, on a real SMTP server on loopback ----------------------------------------


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server(port=free_port())
    server.start()
    yield server
    if server.controller.loop.is_running():
        server.stop()


@pytest.fixture
def mailing(demo_store: Path, smtp: Server) -> dict[str, str]:
    """The demo store made an ordinary one, and the environment that mails through `smtp`."""
    with sqlite3.connect(demo_store) as conn:
        conn.execute("DELETE FROM store_setting WHERE key = 'demo'")
    conn.close()
    return {
        "NPSDESK_STORE": str(demo_store),
        "NPSDESK_MAIL_HOST": "127.0.0.1",
        "NPSDESK_MAIL_PORT": str(smtp.port),
        "NPSDESK_MAIL_SECURITY": "none",
        "NPSDESK_MAIL_FROM_ADDRESS": "sucesso@durasoft.com.br",
        "NPSDESK_MAIL_TIMEOUT": "3",
    }


def address_of(store: Path, opinion: int) -> str:
    with sqlite3.connect(store) as conn:
        row = conn.execute(
            "SELECT r.email FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
            "WHERE o.id = ?",
            (opinion,),
        ).fetchone()
    return str(row[0])


def words(text: str) -> str:
    """The text with its line wrapping undone (tables wrap to the terminal's width)."""
    return " ".join(text.split())


def outbox_state(store: Path, outbox_id: int) -> str:
    with sqlite3.connect(store) as conn:
        return str(
            conn.execute("SELECT state FROM outbox WHERE id = ?", (outbox_id,)).fetchone()[0]
        )


def queued_id(stdout: str) -> int:
    return int(stdout.split("queued: message #")[1].split()[0])


def test_a_refused_email_exits_3_stays_in_the_outbox_and_the_history_then_retry_sends(
    demo_store: Path, smtp: Server, mailing: dict[str, str]
) -> None:
    opinion = first_detractor(demo_store)
    smtp.refuse.add(address_of(demo_store, opinion))
    result = run("email", str(opinion), "--yes", env=mailing, check=False)
    assert result.returncode == EXIT_FAILED, result.stderr
    assert "sent 0, failed 1, unknown 0" in result.stdout
    outbox_id = queued_id(result.stdout)
    assert f"npsdesk outbox retry {outbox_id}" in result.stderr
    assert outbox_state(demo_store, outbox_id) == "failed"
    shown = words(run("show", str(opinion), env=mailing).stdout)
    assert "e-mail not delivered: failed; it stays in the outbox" in shown
    assert "550 5.1.1 mailbox unavailable" in shown
    assert "e-mail sent" not in shown

    smtp.refuse.clear()
    run("outbox", "retry", str(outbox_id), env=mailing)
    sent = run("outbox", "send", env=mailing)  # exit 0: everything asked went out
    assert "sent 1, failed 0, unknown 0" in sent.stdout
    history = run("show", str(opinion), env=mailing).stdout
    assert history.index("e-mail not delivered") < history.index("e-mail sent")


def test_an_email_whose_outcome_is_unknown_exits_4(
    demo_store: Path, smtp: Server, mailing: dict[str, str]
) -> None:
    opinion = first_detractor(demo_store)
    smtp.drop_after_data = True
    result = run("email", str(opinion), "--yes", env=mailing, check=False)
    assert result.returncode == EXIT_UNKNOWN, result.stderr
    assert "outcome unknown" in result.stderr
    shown = words(run("--lang", "pt", "show", str(opinion), env=mailing).stdout)
    assert "e-mail não entregue: resultado incerto, pode ter chegado" in shown


def test_outbox_send_with_the_server_down_exits_3_and_keeps_the_messages(
    demo_store: Path, smtp: Server, mailing: dict[str, str]
) -> None:
    opinion = first_detractor(demo_store)
    queued = run("email", str(opinion), "--yes", "--queue-only", env=mailing)
    outbox_id = queued_id(queued.stdout)
    smtp.stop()
    result = run("outbox", "send", env=mailing, check=False)
    assert result.returncode == EXIT_FAILED, result.stderr
    assert outbox_state(demo_store, outbox_id) == "failed"


def test_thank_exits_5_when_a_promoter_is_refused(
    demo_store: Path, smtp: Server, mailing: dict[str, str]
) -> None:
    listed = json.loads(run("outbox", "--state", "draft", "--json", env=mailing).stdout)
    first = listed[-1]["opinion_id"]
    run("suppress", "add", address_of(demo_store, first), env=mailing)
    result = run("thank", str(first), env=mailing, check=False)
    assert result.returncode == EXIT_NOT_DONE, result.stderr
    assert "1 refused" in result.stdout


def test_outbox_retry_retries_what_it_can_and_exits_1_for_the_rest(
    demo_store: Path, smtp: Server, mailing: dict[str, str]
) -> None:
    opinion = first_detractor(demo_store)
    smtp.refuse.add(address_of(demo_store, opinion))
    outbox_id = queued_id(run("email", str(opinion), "--yes", env=mailing, check=False).stdout)
    result = run("outbox", "retry", str(outbox_id), "999999", env=mailing, check=False)
    assert result.returncode == 1
    assert "1 message queued again" in result.stdout
    assert "no message 999999 in the outbox" in result.stderr
    assert outbox_state(demo_store, outbox_id) == "queued"


def test_the_exit_codes_are_in_the_help() -> None:
    for command in (["email"], ["outbox", "send"], ["thank"]):
        shown = run(*command, "--help").stdout
        assert f"{EXIT_FAILED}  a message failed; it stays in the outbox" in shown
        assert f"{EXIT_UNKNOWN}  a message's outcome is unknown" in shown
