"""The demo store: realistic opinions, customers and treatment history from `data/demo`.

The files are dated around an anchor day; every date is shifted by whole weeks (weekdays
stay weekdays) so the newest answers are recent whenever the demo is built. Treatment
history is replayed through the real case services, as the analysts in the files would have
done it. Building twice adds nothing: opinions already stored keep their history.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from npsdesk.domain.clock import FixedClock
from npsdesk.domain.cnpj import normalize_cnpj
from npsdesk.domain.models import Channel, DomainError, Outcome, Priority, TicketType
from npsdesk.domain.nps import classify
from npsdesk.domain.periods import parse_date
from npsdesk.domain.phones import normalize_phone
from npsdesk.services.cases import CaseService
from npsdesk.services.intake import IncomingOpinion
from npsdesk.store import case_writes
from npsdesk.store.intake_writes import RespondentData

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services


def default_demo_dir() -> Path:
    """The demo files shipped inside the package, else those of a source checkout."""
    here = Path(__file__).resolve()
    for candidate in (here.parent.parent / "_demo_data", here.parents[3] / "data" / "demo"):
        if (candidate / "manifest.toml").is_file():
            return candidate
    raise DomainError("demo files not found: pass --data DIR (the folder with manifest.toml)")


@dataclass
class DemoSummary:
    analysts: int = 0
    categories: int = 0
    customers: int = 0
    new: int = 0
    existing: int = 0
    actions: int = 0
    shift_days: int = 0
    thank_yous: int = 0  # promoter thank-you drafts prepared for review

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def describe(self) -> str:
        return (
            f"{self.new} new opinions, {self.existing} already there, {self.actions} history "
            f"actions replayed, {self.customers} customers, {self.analysts} analysts, "
            f"{self.thank_yous} thank-you drafts (dates moved {self.shift_days} days)"
        )


@dataclass(frozen=True)
class _Files:
    root: Path
    tz: ZoneInfo
    source: str
    shift: timedelta

    def rows(
        self, name: str, *, encoding: str = "utf-8", delimiter: str = ","
    ) -> Iterator[dict[str, str]]:
        path = self.root / name
        with path.open(encoding=encoding, newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle, delimiter=delimiter), start=2):
                if None in row or None in row.values():
                    raise DomainError(f"{path}:{line}: wrong number of fields")
                yield {k: v.strip() for k, v in row.items()}

    def moment(self, text: str) -> datetime:
        """`dd/mm/yyyy HH:MM` local time, moved by the shift."""
        day_text, _, clock = text.partition(" ")
        hour, _, minute = clock.partition(":")
        local = datetime.combine(parse_date(day_text), datetime.min.time(), tzinfo=self.tz)
        return local.replace(hour=int(hour or 0), minute=int(minute or 0)) + self.shift

    def day(self, text: str) -> date | None:
        return parse_date(text) + self.shift if text else None


def _open(services: Services, root: Path) -> _Files:
    manifest = tomllib.loads((root / "manifest.toml").read_text(encoding="utf-8"))
    anchor = date.fromisoformat(str(manifest["anchor"]))
    tz = ZoneInfo(str(manifest.get("timezone", services.settings.timezone)))
    today = services.clock.now().astimezone(tz).date()
    weeks = (today - anchor).days // 7
    return _Files(root, tz, str(manifest.get("source", "demo")), timedelta(weeks=weeks))


def build_demo(services: Services, root: Path) -> DemoSummary:
    """Load the demo files into the store in one transaction."""
    files = _open(services, root)
    summary = DemoSummary(shift_days=files.shift.days)
    now = services.clock.now()
    created: dict[str, tuple[int, str]] = {}  # platform id -> (opinion id, e-mail subject)
    with services.db.write() as conn:
        for row in files.rows("analysts.csv"):
            case_writes.upsert_analyst(
                conn,
                row["username"],
                now,
                name=row["name"],
                email=row["email"] or None,
                role=row["role"] or None,
            )
            summary.analysts += 1
        for row in files.rows("categories.csv"):
            case_writes.upsert_category(conn, row["name"])
            summary.categories += 1
        intake = services.intake(actor="import")
        for row in files.rows("customers.csv", delimiter=";"):
            intake.respondent(conn, _customer(row, files), now)
            summary.customers += 1
        for row in files.rows("respostas.csv", encoding="cp1252", delimiter=";"):
            answered = files.moment(row["Data da resposta"])
            incoming = _opinion(row, files)
            opinion_id, new = intake.register(conn, incoming, answered)
            if new:
                created[row["ID da resposta"]] = (opinion_id, SUBJECTS[classify(incoming.score)])
                summary.new += 1
            else:
                summary.existing += 1
        for row in files.rows("history.csv"):
            case = created.get(row["external_id"])
            if case is None:
                continue
            clock = FixedClock(files.moment(row["at"]))
            _replay(services.cases(actor=row["actor"], clock=clock), *case, row)
            summary.actions += 1
    summary.thank_yous = setup_demo_mail(services)
    return summary


def _customer(row: dict[str, str], files: _Files) -> RespondentData:
    return RespondentData(
        name=row["nome"] or None,
        email=row["email"].lower() or None,
        phone=normalize_phone(row["telefone"]),
        cnpj=normalize_cnpj(row["cnpj"]),
        company=row["razao_social"] or None,
        product=row["produto"] or None,
        vertical=row["vertical"] or None,
        state=row["uf"] or None,
        last_service_at=files.day(row["data_atendimento_importacao"]),
    )


def _opinion(row: dict[str, str], files: _Files) -> IncomingOpinion:
    return IncomingOpinion(
        source=files.source,
        external_id=row["ID da resposta"],
        score=int(row["Nota"]),
        answered_at=files.moment(row["Data da resposta"]),
        sent_at=files.moment(row["Data de envio"]) if row["Data de envio"] else None,
        comment=row["Comentário"] or None,
        campaign=row["Campanha"] or None,
        internal=row["Pesquisa interna"].lower() in ("sim", "s", "yes", "true", "1"),
        respondent=RespondentData(
            name=row["Nome"] or None,
            email=row["E-mail"].lower() or None,
            phone=normalize_phone(row["Telefone"]),
            cnpj=normalize_cnpj(row["CNPJ"]) if row["CNPJ"] else None,
            company=row["Razão Social"] or None,
            product=row["Produto"] or None,
            vertical=row["Vertical"] or None,
        ),
    )


SUBJECTS = {
    "promoter": "Obrigado pela sua avaliação!",
    "neutral": "Sobre a sua avaliação",
    "detractor": "Sobre a sua avaliação: queremos resolver",
}


def _replay(cases: CaseService, opinion_id: int, subject: str, row: dict[str, str]) -> None:
    """One action of the history file, through the service an analyst would use."""
    action, text = row["action"], row["text"] or None
    if action == "contact":
        cases.log_contact(opinion_id, Channel(row["channel"]), Outcome(row["outcome"]), text)
    elif action == "note":
        cases.add_note(opinion_id, text or "")
    elif action == "email":
        cases.record_email_sent(opinion_id, subject, text or "")
    elif action == "assign":
        cases.assign(opinion_id, row["responsible"])
    elif action == "follow":
        cases.follow(opinion_id, row["responsible"])
    elif action == "priority":
        cases.set_priority(opinion_id, Priority[(text or "").upper()])
    elif action == "close":
        cases.close(
            opinion_id,
            ticket_type=TicketType(row["type"]),
            category=row["category"],
            responsible=row["responsible"],
        )
    elif action == "reopen":
        cases.reopen(opinion_id, text or "")
    elif action == "archive":
        cases.archive(opinion_id)
    else:
        raise DomainError(f"history.csv: unknown action '{action}'")


DEMO_SENDER = "Sucesso do Cliente Durasoft"
DEMO_REPLY_TO = "sucesso@durasoft.com.br"
DEMO_SIGNATURE = "Equipe de Sucesso do Cliente\nDurasoft Sistemas\n(11) 4002-8922"
DEMO_POOL = "Bônus NPS"


def setup_demo_mail(services: Services) -> int:
    """Mail for the demo store: files only (it can never mail a customer), the shipped
    templates, a sender, a small coupon pool and thank-you drafts for untreated promoters.
    Returns how many thank-you drafts were prepared (0 when run again)."""
    from npsdesk.services.mail import MailService
    from npsdesk.store import mailbox

    mail = MailService(services, actor="npsdesk")
    mail.mark_demo()
    mail.install_default_templates()
    sender = mail.sender()
    if sender.name == sender.address:
        mail.set_sender(name=DEMO_SENDER, reply_to=DEMO_REPLY_TO, signature=DEMO_SIGNATURE)
    now = services.clock.now()
    with services.db.write() as conn:
        if not mailbox.coupon_pools(conn):
            codes = [f"NPS-BONUS-{n:04d}" for n in range(1, 31)]
            mailbox.add_coupons(conn, DEMO_POOL, codes, now)
            mailbox.put_setting(conn, "bonus.pool", DEMO_POOL, "npsdesk", now)
        promoters = [
            int(row[0])
            for row in conn.execute(
                "SELECT id FROM opinion WHERE nps_class = 'promoter' AND NOT internal "
                "AND status = 'untreated' AND NOT archived ORDER BY id"
            )
        ]
    if services.settings.thank_you == "off":
        return 0
    return mail.prepare_for(promoters).prepared if services.settings.thank_you == "review" else 0
