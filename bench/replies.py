"""Taking customer replies in: 10,000 messages from a Maildir into a 100k-opinion store, as a
rate against Python reading the same Maildir and parsing each message, doing nothing else.

    .venv/bin/python bench/run.py --only replies

The store is the find part's (bench/run.py `build_store`: customers with e-mail addresses,
100k untreated opinions), with our e-mail recorded on one opinion in five, each with its
Message-ID. The messages (~3 KB, pt-BR) are a third replies to those e-mails (In-Reply-To),
a third from known customers without a thread (matched by sender) and a third from
strangers (unmatched); one in four has an HTML part beside the text, one in eight a small
attachment. Both are cached in bench/.cache; each run ingests into a fresh copy of the
store and a fresh copy of the Maildir (a fetch marks what it took as seen).

Baseline: `mailbox.Maildir` + `email.message_from_bytes(policy=email.policy.default)` over
the same messages. Ours: `npsdesk.mail.maildir_source.fetch_maildir` handing the bytes to
`ReplyService.take_many` (parse, match, store, land on the case), as `npsdesk mail fetch`
does. Target: our rate at least half the baseline's.
"""

from __future__ import annotations

import base64
import email
import email.policy
import mailbox
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE.parent / "src"))

OPINIONS = 100_000
MESSAGES = 10_000
EMAILED_EVERY = 5  # our e-mail on one opinion in five
RATIO_TARGET = 0.5
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
SENT_ID = "<bench.{id}@durasoft.com.br>"

OPENINGS = [
    "Boa tarde, tudo bem?",
    "Olá, obrigado pelo contato.",
    "Bom dia!",
    "Oi, Ana. Desculpe a demora para responder.",
]
PARAGRAPHS = [
    "O sistema continua lento no PDV desde a última atualização; no horário de pico o caixa "
    "chega a travar por alguns minutos e os clientes reclamam da fila.",
    "A emissão da nota fiscal voltou a funcionar depois que o suporte acessou a máquina, mas "
    "hoje de manhã apareceu a mesma mensagem de erro na estação dois.",
    "Gostaria de agendar um treinamento para as duas funcionárias novas do financeiro, de "
    "preferência na semana que vem, no período da tarde.",
    "Sobre a cobrança em duplicidade: o estorno ainda não apareceu na fatura deste mês. "
    "Podem confirmar se já foi processado?",
    "No geral estamos satisfeitos, a implantação foi tranquila e a equipe de vocês sempre "
    "atende rápido. Só falta o relatório de vendas por vendedor.",
]
QUOTED = (
    "Em {day} de nov. de 2026 às 10:{minute:02d}, Sucesso do Cliente Durasoft "
    "<sucesso@durasoft.com.br> escreveu:\n"
    "> Olá!\n>\n"
    "> Tentamos falar com você por telefone sobre a sua resposta à nossa pesquisa.\n"
    "> Queremos entender o que aconteceu e resolver o quanto antes. Qual o melhor\n"
    "> horário para retornarmos a ligação?\n>\n"
    "> Bruno Henrique Lima\n> Sucesso do Cliente - Durasoft\n> (11) 4002-8922\n"
)
SIGNATURE = "\n--\n{name}\n{company}\nTel. (11) 3{n:03d}-{m:04d}\nEnviado do meu iPhone\n"


def build_store(path: Path) -> None:
    """The find part's store, with our e-mails recorded (each with its Message-ID)."""
    from npsdesk.store.db import Database, to_db_time
    from run import build_store as find_store

    find_store(path, OPINIONS)
    db = Database(path)
    with db.write() as conn:
        conn.executemany(
            "INSERT INTO event (opinion_id, respondent_id, at, actor, kind, channel, subject,"
            " message_id) SELECT id, respondent_id, ?, 'ana', 'email_sent', 'email',"
            " 'Sobre a sua avaliação', ? FROM opinion WHERE id = ?",
            (
                (to_db_time(NOW - timedelta(days=2)), SENT_ID.format(id=i), i)
                for i in range(1, OPINIONS + 1, EMAILED_EVERY)
            ),
        )
    db.close()


def message(rng: random.Random, n: int) -> bytes:
    """One realistic reply: a third threaded to our e-mail, a third from a known customer,
    a third from a stranger; some with HTML, some with a small attachment."""
    customers = OPINIONS // 3  # as build_store makes them: c{i}@exemplo.com.br
    kind = n % 3
    reply = EmailMessage()
    if kind == 0:
        opinion = rng.randrange(1, OPINIONS + 1, EMAILED_EVERY)
        reply["In-Reply-To"] = SENT_ID.format(id=opinion)
        reply["References"] = SENT_ID.format(id=opinion)
        sender = f"c{rng.randrange(customers)}@exemplo.com.br"
    elif kind == 1:
        sender = f"c{rng.randrange(customers)}@exemplo.com.br"
    else:
        sender = f"contato{n}@outro-dominio.com.br"
    name = f"Cliente {n}"
    reply["From"] = f"{name} <{sender}>"
    reply["To"] = "Sucesso do Cliente Durasoft <sucesso@durasoft.com.br>"
    reply["Subject"] = "Re: Sobre a sua avaliação: queremos resolver"
    reply["Date"] = format_datetime(NOW - timedelta(minutes=n))
    reply["Message-ID"] = f"<bench-reply-{n}@mail.exemplo.com.br>"
    reply["MIME-Version"] = "1.0"
    reply["X-Mailer"] = "Microsoft Outlook 16.0"
    reply["DKIM-Signature"] = (
        "v=1; a=rsa-sha256; c=relaxed/relaxed; d=exemplo.com.br; s=20230601; t=1795000000;"
        " h=to:subject:message-id:date:from:in-reply-to:references:mime-version;"
        f" bh={base64.b64encode(rng.randbytes(32)).decode()};"
        f" b={base64.b64encode(rng.randbytes(256)).decode()}"
    )
    reply["Received"] = (
        "from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41]) by "
        f"mx.durasoft.com.br with ESMTPS id {n:x}; {format_datetime(NOW)}"
    )
    paragraphs = rng.sample(PARAGRAPHS, 4)
    quoted = QUOTED.format(day=rng.randint(1, 19), minute=rng.randint(0, 59))
    signature = SIGNATURE.format(
        name=name, company=f"Empresa {n} Ltda", n=rng.randint(0, 999), m=rng.randint(0, 9999)
    )
    text = "\n\n".join([rng.choice(OPENINGS), *paragraphs]) + "\n" + signature + "\n" + quoted
    reply.set_content(text)
    if n % 4 == 0:
        html = "".join(f"<p>{p}</p>" for p in [rng.choice(OPENINGS), *paragraphs])
        reply.add_alternative(
            f"<html><body><div style='font-family: Calibri'>{html}</div>"
            f"<blockquote>{quoted.replace(chr(10), '<br>')}</blockquote></body></html>",
            subtype="html",
        )
    if n % 8 == 1:
        reply.add_attachment(
            base64.b64decode(base64.b64encode(rng.randbytes(900))),
            maintype="image",
            subtype="png",
            filename="print-da-tela.png",
        )
    return reply.as_bytes(policy=email.policy.SMTP)


def build_maildir(path: Path) -> int:
    """The messages as a Maildir's new/ (what an MTA delivers); returns their total bytes."""
    rng = random.Random(17)
    box = mailbox.Maildir(path, create=True)
    total = 0
    for n in range(MESSAGES):
        raw = message(rng, n)
        total += len(raw)
        box.add(raw)
    return total


def baseline(folder: Path) -> int:
    """Python alone: every message read from the Maildir and parsed."""
    box = mailbox.Maildir(folder, factory=None, create=False)
    count = 0
    for key in box.iterkeys():
        email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        count += 1
    return count


def ours(store: Path, folder: Path) -> int:
    from npsdesk.bootstrap import bootstrap
    from npsdesk.config.settings import load_settings
    from npsdesk.domain.clock import FixedClock
    from npsdesk.mail.maildir_source import fetch_maildir

    services = bootstrap(
        load_settings(flags={"store": str(store), "analyst": "bench"}), clock=FixedClock(NOW)
    )
    try:
        replies = services.replies()
        run = fetch_maildir(folder, lambda raws: replies.take_many((r, "maildir") for r in raws))
        return run.fetched
    finally:
        services.close()


def bench_replies() -> bool:
    CACHE.mkdir(exist_ok=True)
    template, source = CACHE / f"replies-{OPINIONS}.sqlite", CACHE / f"replies-{MESSAGES}.maildir"
    if not template.exists():
        started = time.perf_counter()
        build_store(template)
        print(f"built {template} ({OPINIONS:,} opinions) in {time.perf_counter() - started:.1f} s")
    if not source.exists():
        size = build_maildir(source)
        print(f"built {source} ({MESSAGES:,} messages, {size / MESSAGES / 1024:.1f} KB each)")
    work = CACHE / "replies-run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    folder, store = work / "maildir", work / "store.sqlite"
    shutil.copytree(source, folder)
    shutil.copyfile(template, store)
    baseline(folder)  # warm the page cache
    started = time.perf_counter()
    base_count = baseline(folder)
    base = time.perf_counter() - started
    started = time.perf_counter()
    count = ours(store, folder)
    seconds = time.perf_counter() - started
    ratio = (count / seconds) / (base_count / base)
    ok = count == base_count == MESSAGES and ratio >= RATIO_TARGET
    print(f"\n{'replies from a Maildir':<40} {'seconds':>8} {'msgs/s':>8} {'ratio':>6}  target")
    print(f"{'mailbox.Maildir + message_from_bytes':<40} {base:>8.2f} {base_count / base:>8,.0f}")
    print(
        f"{'fetch_maildir + take_many (100k store)':<40} {seconds:>8.2f} {count / seconds:>8,.0f}"
        f" {ratio:>5.2f}x  >= {RATIO_TARGET}x {'ok' if ok else 'MISSED'}"
    )
    matched = _outcomes(store)
    print(f"{'taken: ' + ', '.join(f'{k} {v:,}' for k, v in matched.items()):<40}")
    shutil.rmtree(work, ignore_errors=True)
    return not ok


def _outcomes(store: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(store) as conn:
        rows = conn.execute(
            "SELECT coalesce(matched_by, state), count(*) FROM inbound_message GROUP BY 1"
        ).fetchall()
    return {str(name): int(count) for name, count in sorted(rows)}


if __name__ == "__main__":
    sys.exit(1 if bench_replies() else 0)
