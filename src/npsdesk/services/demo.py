"""The demo store: realistic opinions, customers and treatment history from `data/demo`.

The files are dated around an anchor day; every date is moved by whole weeks (weekdays stay
weekdays) so the newest answers are recent whenever the demo is built. The customer feed and
the survey export, so moved, go in through the importer that `npsdesk import` runs, each
answer's arrival dated when it was answered; the treatment history is then replayed through
the real case services, as the analysts in the files would have done it, with the messages
customers sent back (`replies/*.eml`: replies, an auto-reply, a bounce, one from a stranger)
taken in among the history's actions, at their own (moved) dates, through the reply service
as a pipe would give them. The demo's e-mails carry deterministic Message-IDs, which the
replies' In-Reply-To name. Building again adds nothing: the dates move as the store first
had them, and opinions already stored keep their history.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from npsdesk.domain.clock import FixedClock
from npsdesk.domain.models import Channel, ContactOutcome, DomainError, Priority, TicketType
from npsdesk.domain.periods import parse_date
from npsdesk.importers.readers import ImportFileError
from npsdesk.importers.results import ImportResult
from npsdesk.importers.sync import Importer, ImportOptions
from npsdesk.services.cases import CaseService
from npsdesk.store import case_reads, case_writes, queries
from npsdesk.store.db import db_time

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

ARRIVALS_ACTOR = "import"  # who signs each answer's arrival in the history
CUSTOMERS = "customers.csv"  # UTF-8, `;`: the extractor's customer feed
ANSWERS = "respostas.csv"  # cp1252, `;`: the survey platform's export
ANSWER_ID, ANSWERED, SENT = "ID da resposta", "Data da resposta", "Data de envio"
LAST_SERVICE = "data_atendimento_importacao"
REPLIES = "replies"  # RFC 5322 messages the demo's customers sent back, one .eml each
REPLIES_ACTOR = "npsdesk"  # who signs a received message in the history
MESSAGE_DOMAIN = "durasoft.com.br"
_DATE_HEADER = re.compile(rb"^Date:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", re.IGNORECASE | re.MULTILINE)


def default_demo_dir() -> Path:
    """The demo files shipped inside the package, else those of a source checkout."""
    here = Path(__file__).resolve()
    for candidate in (here.parent.parent / "_demo_data", here.parents[3] / "data" / "demo"):
        if (candidate / "manifest.toml").is_file():
            return candidate
    raise DomainError(key="refusal.demo.no_files")


@dataclass
class DemoSummary:
    analysts: int = 0
    categories: int = 0
    customers: int = 0
    new: int = 0
    existing: int = 0
    actions: int = 0
    messages: int = 0  # customers' messages taken in (replies, auto-replies, bounces)
    shift_days: int = 0
    thank_yous: int = 0  # promoter thank-you drafts prepared for review

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def describe(self, lang: str = "en") -> str:
        """The build in one line, in `lang`."""
        from npsdesk.i18n import t

        return t("demo.summary", lang, **self.to_json())


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
        return self.unmoved(text) + self.shift

    def unmoved(self, text: str) -> datetime:
        day_text, _, clock = text.partition(" ")
        hour, _, minute = clock.partition(":")
        local = datetime.combine(parse_date(day_text), datetime.min.time(), tzinfo=self.tz)
        return local.replace(hour=int(hour or 0), minute=int(minute or 0))

    def day(self, text: str) -> date | None:
        return parse_date(text) + self.shift if text else None

    def moved(self, name: str, folder: Path, *, encoding: str = "utf-8") -> Path:
        """A copy of the `;` file `name` in `folder` with its dates moved by the shift; times
        get their UTC offset, so they read the same whatever time zone the settings hold."""
        target = folder / name
        with (
            (self.root / name).open(encoding=encoding, newline="") as source,
            target.open("w", encoding="utf-8", newline="") as out,
        ):
            reader = csv.DictReader(source, delimiter=";")
            writer = csv.DictWriter(out, reader.fieldnames or (), delimiter=";")
            writer.writeheader()
            for line, row in enumerate(reader, start=2):
                if None in row or None in row.values():
                    raise DomainError(f"{source.name}:{line}: wrong number of fields")
                for column in (ANSWERED, SENT):
                    if row.get(column, "").strip():
                        row[column] = self.moment(row[column].strip()).isoformat()
                if row.get(LAST_SERVICE, "").strip():
                    row[LAST_SERVICE] = str(self.day(row[LAST_SERVICE].strip()))
                writer.writerow(row)
        return target


def sent_message_id(external_id: str, unmoved: datetime) -> str:
    """The Message-ID of a demo e-mail: its case and its time in the files (never moved, so
    the replies in `replies/` can name it)."""
    return f"<demo.{external_id}.{unmoved:%Y%m%d%H%M}@{MESSAGE_DOMAIN}>"


@dataclass(frozen=True)
class _Message:
    at: datetime  # its Date, moved by the shift
    raw: bytes  # with that Date written in


def _messages(files: _Files) -> list[_Message]:
    """The customers' messages, oldest first, each dated as the shift moves it."""
    folder = files.root / REPLIES
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml")):
        raw = path.read_bytes()
        end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0), default=0)
        header = _DATE_HEADER.search(raw, 0, end)
        if header is None:
            raise DomainError(f"{REPLIES}/{path.name}: no Date header")
        written = parsedate_to_datetime(header.group().split(b":", 1)[1].decode().strip())
        moved = (written + files.shift).astimezone(files.tz)
        dated = f"Date: {format_datetime(moved)}".encode()
        found.append(_Message(moved, raw[: header.start()] + dated + raw[header.end() :]))
    return sorted(found, key=lambda message: message.at)


def _take(services: Services, message: _Message) -> None:
    """One message through the reply service, its clock at the message's date."""
    clocked = dataclasses.replace(services, clock=FixedClock(message.at))
    clocked.replies(REPLIES_ACTOR).take_many([(message.raw, "pipe")])


def _open(services: Services, root: Path) -> _Files:
    manifest = tomllib.loads((root / "manifest.toml").read_text(encoding="utf-8"))
    anchor = date.fromisoformat(str(manifest["anchor"]))
    tz = ZoneInfo(str(manifest.get("timezone", services.settings.timezone)))
    today = services.clock.now().astimezone(tz).date()
    weeks = (today - anchor).days // 7
    files = _Files(root, tz, str(manifest.get("source", "demo")), timedelta(weeks=weeks))
    return _as_stored(services, files)


def _as_stored(services: Services, files: _Files) -> _Files:
    """The files moved as the store first had them, when it holds the demo already: a
    store built last week gets nothing new, not every date changed."""
    first = next(files.rows(ANSWERS, encoding="cp1252", delimiter=";"), None)
    if first is None:
        return files
    with services.db.read() as conn:
        found = case_reads.opinions_by_keys(conn, files.source, [first[ANSWER_ID]])
    if not found:
        return files
    moved = db_time(found[0]["answered_at"]) - files.unmoved(first[ANSWERED])
    weeks = round(moved / timedelta(weeks=1))
    return _Files(files.root, files.tz, files.source, timedelta(weeks=weeks))


def _imported(importer: Importer, path: Path) -> ImportResult:
    """One demo file through the importer; a row it refuses is an error in the files."""
    try:
        result = importer.run(path)
    except ImportFileError as error:
        raise DomainError(str(error)) from None
    if result.rejects:
        first = result.rejects[0]
        raise DomainError(f"{path.name}:{first.line}: {first.detail}")
    return result


def build_demo(services: Services, root: Path) -> DemoSummary:
    """Load the demo files into the store: the registry, then the customers and answers
    through the importer, then the history of the answers this build brought in."""
    files = _open(services, root)
    summary = DemoSummary(shift_days=files.shift.days)
    now = services.clock.now()
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
    importer = Importer(
        services,
        ImportOptions(source=files.source),
        actor=ARRIVALS_ACTOR,
        dated_by_answer=True,
    )
    with tempfile.TemporaryDirectory(prefix="npsdesk-demo-") as scratch:
        folder = Path(scratch)
        customers = _imported(importer, files.moved(CUSTOMERS, folder))
        answers = _imported(importer, files.moved(ANSWERS, folder, encoding="cp1252"))
    summary.customers = customers.rows
    summary.new, summary.existing = answers.new, answers.updated + answers.unchanged
    ids = [row[ANSWER_ID] for row in files.rows(ANSWERS, encoding="cp1252", delimiter=";")]
    with services.db.write() as conn:
        created = {  # platform id -> (opinion id, e-mail subject)
            str(row["external_id"]): (int(row["id"]), SUBJECTS[str(row["nps_class"])])
            for row in case_reads.opinions_by_keys(conn, files.source, ids)
            if row["import_batch_id"] == answers.batch
        }
        waiting = _messages(files) if created else []  # taken with the history, never again
        for row in files.rows("history.csv"):
            case = created.get(row["external_id"])
            if case is None:
                continue
            at = files.moment(row["at"])
            while waiting and waiting[0].at <= at:
                _take(services, waiting.pop(0))
                summary.messages += 1
            clock = FixedClock(at)
            message_id = sent_message_id(row["external_id"], files.unmoved(row["at"]))
            _replay(services.cases(actor=row["actor"], clock=clock), *case, row, message_id)
            summary.actions += 1
        for message in waiting:
            _take(services, message)
            summary.messages += 1
    summary.thank_yous = setup_demo_mail(services)
    return summary


SUBJECTS = {
    "promoter": "Obrigado pela sua avaliação!",
    "neutral": "Sobre a sua avaliação",
    "detractor": "Sobre a sua avaliação: queremos resolver",
}


def _replay(
    cases: CaseService, opinion_id: int, subject: str, row: dict[str, str], message_id: str
) -> None:
    """One action of the history file, through the service an analyst would use; an e-mail
    goes out as `message_id`."""
    action, text = row["action"], row["text"] or None
    if action == "contact":
        cases.log_contact(opinion_id, Channel(row["channel"]), ContactOutcome(row["outcome"]), text)
    elif action == "note":
        cases.add_note(opinion_id, text or "")
    elif action == "email":
        cases.record_email_sent(opinion_id, subject, text or "", message_id)
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
    from npsdesk.store import mailbox

    mail = services.mail("npsdesk")
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
        promoters = queries.untreated_promoters(conn)
    if services.settings.thank_you == "off":
        return 0
    return mail.prepare_for(promoters).prepared if services.settings.thank_you == "review" else 0
