"""Mail commands through the real console entry point, on the demo store (files only)."""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
from pathlib import Path

from tests.cli.test_cli import fails_with, run


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
