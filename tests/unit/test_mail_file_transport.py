"""FileTransport: private, whole .eml files that parse back to the message."""

from __future__ import annotations

import email
import email.policy
import stat
from datetime import UTC, datetime
from pathlib import Path

from npsdesk.mail.message import Envelope, build_message, message_bytes
from npsdesk.mail.transport import FileTransport, SendOutcome


def message(message_id: str = "<abc/../..@empresa.com.br>") -> email.message.EmailMessage:
    return build_message(
        Envelope(
            from_address="sucesso@empresa.com.br",
            sender_name="Equipe Sucesso",
            to_address="joao@cliente.com.br",
            to_name="João Conceição",
            subject="Sua avaliação — obrigado",
            body="Olá, João!\n.linha com ponto\n",
            message_id=message_id,
            date=datetime(2026, 11, 23, 12, tzinfo=UTC),
        )
    )


def test_writes_private_files_that_parse_back(tmp_path: Path) -> None:
    folder = tmp_path / "outbox" / "run-1"
    sent = message()
    with FileTransport(folder) as transport:
        assert transport.send(sent) == SendOutcome("sent")
        written = transport.last_path
    assert written is not None
    assert written.parent == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.name.endswith("-abc_.._.._empresa.com.br.eml")
    assert [p.name for p in folder.iterdir()] == [written.name]  # no temporary file left
    raw = written.read_bytes()
    assert raw == message_bytes(sent)
    back = email.message_from_bytes(raw, policy=email.policy.default)
    assert back["Subject"] == "Sua avaliação — obrigado"
    assert back["To"] == "João Conceição <joao@cliente.com.br>"
    assert back["Message-ID"] == sent["Message-ID"]
    assert back.get_content().replace("\r\n", "\n") == "Olá, João!\n.linha com ponto\n"


def test_each_message_gets_its_own_file(tmp_path: Path) -> None:
    transport = FileTransport(tmp_path)
    for n in range(3):
        assert transport.send(message(f"<m{n}@empresa.com.br>")).state == "sent"
    assert sorted(p.name.split("-", 1)[1] for p in tmp_path.iterdir()) == [
        "m0_empresa.com.br.eml",
        "m1_empresa.com.br.eml",
        "m2_empresa.com.br.eml",
    ]


def test_unwritable_folder_is_a_retryable_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    outcome = FileTransport(blocker / "outbox").send(message())
    assert outcome.state == "failed"
    assert outcome.retryable is True
    assert outcome.reason
