"""Customer replies as safe, plain records: real mail programs' files and hostile ones."""

from __future__ import annotations

import base64
import dataclasses
import io
import os
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npsdesk.mail.inbound import Inbound, Unreadable, parse_message

MAIL = Path(__file__).resolve().parent.parent / "data" / "mail"
ONE_LINE_FIELDS = ("key", "message_id", "from_address", "from_name", "subject")


def read(name: str) -> Inbound:
    inbound = parse_message((MAIL / name).read_bytes())
    assert_clean(inbound)
    return inbound


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    return []


def assert_clean(inbound: Inbound) -> None:
    """No escape, control character or lone surrogate anywhere; one-line fields on one line."""
    for text in _strings(inbound):
        text.encode("utf-8")  # no lone surrogates
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text), (
            repr(text)
        )
    for name in ONE_LINE_FIELDS:
        value = getattr(inbound, name)
        assert value is None or ("\n" not in value and "\t" not in value), (name, value)
    for attachment in inbound.attachments:
        assert "/" not in attachment.name
        assert "\\" not in attachment.name
        assert "\n" not in attachment.name
        assert len(attachment.name) <= 120


def test_every_fixture_reads_cleanly() -> None:
    names = sorted(p.name for p in MAIL.glob("*.eml"))
    assert len(names) >= 17
    for name in names:
        assert (MAIL / name).read_bytes().count(b"\r\n") > 3, f"{name} is not CRLF"
        read(name)


def test_thunderbird_reply_is_split_from_its_quote() -> None:
    inbound = read("thunderbird_ptbr.eml")
    assert inbound.text == (
        "Boa tarde,\n\n"
        "O atendimento foi bom, mas a entrega atrasou dois dias. Gostaria que alguém me "
        "ligasse para explicar o que aconteceu.\n\n"
        "Atenciosamente,\nMaria"
    )
    assert inbound.quoted.startswith("Em 02/12/2026 10:00, NPS Empresa escreveu:")
    assert "> Olá Maria," in inbound.quoted
    assert inbound.kind == "reply"
    assert inbound.message_id == "<5f0c2b1e-8d7a-4c1e-9b2a-1d3e4f5a6b7c@cliente.example>"
    assert inbound.key == inbound.message_id
    assert inbound.from_address == "maria.souza@cliente.example"
    assert inbound.from_name == "Maria Conceição Souza"
    assert inbound.subject == "Re: Sua opinião sobre a Empresa [#1234]"
    assert inbound.date == datetime(2026, 12, 2, 14, 42, 5, tzinfo=UTC)
    assert inbound.thread_ids == ("<nps-1234-b@empresa.example>", "<nps-1234-a@empresa.example>")
    assert inbound.recipients == ("nps+k7q2x@empresa.example",)
    assert inbound.problems == ()
    assert inbound.size == len((MAIL / "thunderbird_ptbr.eml").read_bytes())
    assert len(inbound.digest) == 64


def test_gmail_reply_prefers_plain_text_and_keeps_markup_literal() -> None:
    inbound = read("gmail_ptbr.eml")
    assert inbound.text == (
        "Oi, pessoal!\n\n"
        "A nota baixa foi por causa da cobrança em duplicidade no boleto.\n"
        "Já resolveram? [link=https://x.example]clique[/link] <b>urgente</b>"
    )
    assert "escreveu:" in inbound.quoted  # the attribution wrapped over two lines
    assert "> Olá João," in inbound.quoted
    assert inbound.from_name == "João Pereira"
    assert inbound.recipients == ("nps@empresa.example", "ana@empresa.example")


def test_outlook_reply_folds_the_de_enviado_block_and_fixes_the_charset() -> None:
    inbound = read("outlook_ptbr.eml")
    assert inbound.text.startswith("Prezados,\n\nSegue minha resposta: o técnico foi “muito")
    assert "€50." in inbound.text
    assert inbound.text.endswith("Carlos Lima\nGerente de Compras")
    assert inbound.quoted.startswith("________________________________\nDe: NPS Empresa")
    assert "Enviado: quarta-feira" in inbound.quoted
    assert "charset iso-8859-1 declared, read as cp1252" in inbound.problems
    assert inbound.kind == "reply"  # X-Auto-Response-Suppress alone is no auto-reply


def test_outlook_original_message_block() -> None:
    inbound = read("outlook_original_message.eml")
    assert inbound.text == "Support was quick. Thanks!\n\nPat"
    assert inbound.quoted.startswith("-----Original Message-----\nFrom: NPS Empresa")
    assert inbound.from_name == "Lee, Pat"


def test_html_only_reply_drops_scripts_styles_images_and_links() -> None:
    inbound = read("html_only.eml")
    assert inbound.text == (
        "Gostei do atendimento, nota 9.\n\nVejam este link e o site.\n\nObrigada,\nFernanda"
    )
    assert "escreveu:" in inbound.quoted
    everything = inbound.text + inbound.quoted
    for gone in ("javascript", "evil.example", "track.example", "document", "color", "<"):
        assert gone not in everything.replace("<nps@", "")


def test_signature_is_folded_and_nothing_is_lost() -> None:
    inbound = read("descadastrar.eml")
    assert inbound.text == "Quero descadastrar meu e-mail dessa lista."
    assert inbound.quoted.startswith("Enviado do meu iPhone")
    assert "> Olá Roberto" in inbound.quoted


def test_header_injection_and_escapes_are_flattened() -> None:
    inbound = read("hostile_header_injection.eml")
    assert inbound.subject == "Olá Bcc: x@evil.example vermelho"
    assert inbound.from_name == "Mallory Red Bcc: x@evil.example"
    assert inbound.from_address == "mallory@evil.example"
    assert inbound.recipients == ("nps@empresa.example",)
    assert inbound.text == "Texto com escape  e OSC  fim. [@click=app.quit]x[/]"


def test_wrong_missing_and_unknown_charsets() -> None:
    inbound = read("hostile_charsets.eml")
    assert inbound.from_name == "José da Silva"  # raw 8-bit cp1252 header
    assert inbound.subject == "Avaliação do serviço"  # raw 8-bit UTF-8 header
    assert inbound.text == "Atendimento rápido, nota 10 “obrigado”.\n\nSem charset: coração."
    assert "charset x-unknown unknown, read as cp1252" in inbound.problems
    assert "no charset declared, read as utf-8" in inbound.problems
    assert any(p.startswith("raw 8-bit header") for p in inbound.problems)


def test_unclosed_boundary_keeps_text_and_attachment() -> None:
    inbound = read("hostile_unclosed_boundary.eml")
    assert inbound.text == "Texto antes do anexo."
    assert [(a.name, a.content_type) for a in inbound.attachments] == [
        ("nota.pdf", "application/pdf")
    ]
    assert inbound.attachments[0].data is not None
    assert inbound.attachments[0].data.startswith(b"%PDF-1.4")
    assert "multipart never closed, read to the end" in inbound.problems


def test_missing_boundary_is_read_as_one_part() -> None:
    inbound = read("hostile_missing_boundary.eml")
    assert "Resposta sem boundary declarado." in inbound.text
    assert "multipart without a boundary, read as one part" in inbound.problems


def test_zip_names_from_and_message_id() -> None:
    inbound = read("hostile_zip_and_names.eml")
    names = [a.name for a in inbound.attachments]
    assert names == ["notas.zip", "txt.exe", "logo.png"]
    archive = inbound.attachments[0]
    assert archive.content_type == "application/zip"
    assert archive.data is not None
    assert archive.size == len(archive.data)
    with zipfile.ZipFile(io.BytesIO(archive.data)) as kept:  # kept whole, never unpacked
        assert kept.namelist() == ["../../etc/passwd", "notas.txt"]
    assert inbound.from_address is None
    assert inbound.from_name == "Maria"
    assert inbound.message_id is None
    assert inbound.key == f"sha256:{inbound.digest}"
    assert inbound.date is None
    for problem in ("From is not an address", "Message-ID malformed, keyed by digest"):
        assert problem in inbound.problems


def test_nested_forwarded_messages_three_deep() -> None:
    inbound = read("hostile_nested_rfc822.eml")
    assert inbound.text == "Encaminhando (nivel 3)."
    for level in ("nivel 2", "nivel 1", "Texto do nivel mais fundo."):
        assert level in inbound.quoted
    assert "From: Original <original@cliente.example>" in inbound.quoted
    assert [a.name for a in inbound.attachments] == ["dados.csv"]


def test_empty_body_and_nul_bytes() -> None:
    empty = read("hostile_empty_body.eml")
    assert (empty.text, empty.quoted, empty.subject) == ("", "", "")
    assert empty.key == f"sha256:{empty.digest}"
    nul = read("hostile_nul_bytes.eml")
    assert nul.text == "Linha com NUL no meio."
    assert nul.subject == "nul bytes"
    assert "NUL bytes removed" in nul.problems


@pytest.mark.parametrize(
    "raw",
    [b"", b"   \r\n\r\n", b"\x00\x01\x02binary", b"just some text\r\nwithout headers\r\n"],
)
def test_what_is_no_message_is_unreadable(raw: bytes) -> None:
    with pytest.raises(Unreadable):
        parse_message(raw)


def test_binary_blob_is_unreadable() -> None:
    with pytest.raises(Unreadable, match="not a mail message"):
        parse_message((MAIL / "not_a_message.bin").read_bytes())


def test_mbox_from_line_is_skipped() -> None:
    raw = (
        b"From maria@cliente.example Wed Dec  2 10:00:00 2026\r\n"
        + (MAIL / "outlook_original_message.eml").read_bytes()
    )
    assert parse_message(raw).text == "Support was quick. Thanks!\n\nPat"


def _big_message() -> bytes:
    attachment = base64.encodebytes(os.urandom(22 * 1024 * 1024)).replace(b"\n", b"\r\n")
    return (
        b"From: Ana <ana@cliente.example>\r\nTo: nps@empresa.example\r\nSubject: grande\r\n"
        b"Message-ID: <big@cliente.example>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "opinião longa ".encode()
        * 250_000
        + b'\r\n--b\r\nContent-Type: application/x-tar; name="backup.tar"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + attachment + b"\r\n--b--\r\n"
    )


def test_a_30_mb_message_is_read_in_bounds() -> None:
    raw = _big_message()
    assert len(raw) > 30_000_000
    started = time.monotonic()
    inbound = parse_message(raw)
    assert time.monotonic() - started < 30
    assert_clean(inbound)
    assert len(inbound.text) == 200_000
    assert inbound.text.startswith("opinião longa")
    (attachment,) = inbound.attachments
    assert (attachment.name, attachment.size, attachment.data) == (
        "backup.tar",
        22 * 1024 * 1024,
        None,
    )
    assert "attachment backup.tar over the size cap, not kept" in inbound.problems
    assert "text cut at 200000 characters" in inbound.problems


def test_attachment_cap_is_the_callers() -> None:
    inbound = parse_message((MAIL / "hostile_unclosed_boundary.eml").read_bytes(), attachment_cap=5)
    assert inbound.attachments[0].data is None
    assert inbound.attachments[0].size == 27


def test_long_and_pathy_file_names() -> None:
    name = "C:\\\\Users\\\\ana\\\\" + "x" * 300 + ".pdf"  # quoted-pair escaped backslashes
    raw = (
        "From: a@b.example\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\n'
        "oi\r\n--q\r\nContent-Type: application/pdf\r\n"
        f'Content-Disposition: attachment; filename="{name}"\r\n\r\n%PDF\r\n'
        "--q\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="../.."\r\n\r\n%PDF\r\n--q--\r\n'
    ).encode()
    inbound = parse_message(raw)
    first, second = (a.name for a in inbound.attachments)
    assert len(first) == 120
    assert first.endswith(".pdf")
    assert first.startswith("xxx")
    assert second == "attachment-2"


HEADERS = st.sampled_from(
    [
        b"From: ",
        b"Subject: ",
        b"Content-Type: multipart/mixed; boundary=",
        b"Content-Type: text/html; charset=",
        b"Content-Transfer-Encoding: ",
        b"Message-ID: ",
        b"Date: ",
        b"To: ",
        b"References: ",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(HEADERS, st.binary(max_size=40)), min_size=1, max_size=8),
    st.binary(max_size=400),
)
def test_fuzzed_messages_never_crash_and_stay_clean(
    fields: list[tuple[bytes, bytes]], body: bytes
) -> None:
    raw = b"".join(name + value.replace(b"\n", b" ") + b"\r\n" for name, value in fields)
    raw = b"Subject: x\r\n" + raw + b"\r\n" + body
    assert_clean(parse_message(raw))
