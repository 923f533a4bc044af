"""Data subjects' rights (LGPD Art. 18) and the record of processing (Art. 37).

`export` writes everything held about one person, the messages they sent us included (with
their attachments, base64 in the JSON); `erase` anonymises them everywhere the program keeps
data (store, search index, outbox, received messages and their attachments, quarantined
copies naming them, bouncing flags, .eml copies, reject files), keeps the
figures, adds them to the suppression list as salted hashes so a later import or campaign
does not bring them back silently, and then rewrites the database file so the old bytes are
gone (secure_delete, search-index merge, WAL checkpoint, VACUUM). Every export and erasure is
logged with who, when, what and how many, never with the personal data itself.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npsdesk.domain.cnpj import normalize_cnpj
from npsdesk.domain.hashing import identifier_hash
from npsdesk.domain.models import DomainError
from npsdesk.domain.phones import normalize_phone
from npsdesk.errors import StoreLocked
from npsdesk.store import mailbox
from npsdesk.store import privacy as store
from npsdesk.store.visibility import open_batches

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services


@dataclass(frozen=True)
class Subject:
    """Who is asked for: the normalised identifiers and the salted hash logged for them."""

    email: str | None = None
    cnpj: str | None = None
    phone: str | None = None

    @property
    def kind(self) -> str:
        return "email" if self.email else "cnpj" if self.cnpj else "phone"

    @property
    def value(self) -> str:
        return str(self.email or self.cnpj or self.phone)


@dataclass
class Erasure:
    respondents: int = 0
    changed: dict[str, int] = field(default_factory=dict)
    mail_files: list[Path] = field(default_factory=list)
    reject_rows: int = 0
    backups: list[Path] = field(default_factory=list)  # older copies that still hold data
    dry_run: bool = False
    compacted: bool = False  # the database file was rewritten without the old bytes


def subject(email: str | None = None, cnpj: str | None = None, phone: str | None = None) -> Subject:
    """One identifier, normalised; DomainError for none, several, or a malformed one."""
    given = [v for v in (email, cnpj, phone) if v]
    if len(given) != 1:
        raise DomainError(key="refusal.privacy.one_identifier")
    if email:
        cleaned = email.strip().casefold()
        if "@" not in cleaned:
            raise DomainError(key="refusal.privacy.email_bad", text=email)
        return Subject(email=cleaned)
    if cnpj:
        return Subject(cnpj=normalize_cnpj(cnpj))
    found = normalize_phone(phone or "")
    if found is None:
        raise DomainError(key="refusal.privacy.phone_bad", text=phone)
    return Subject(phone=found)


class PrivacyService:
    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.actor = actor or services.settings.analyst

    def _salt(self, conn: Any) -> str:
        return mailbox.salt(conn, self.clock.now())

    # -- access ------------------------------------------------------------------------

    def export(self, who: Subject, out: Path) -> int:
        """Write everything held about `who` to `out` (JSON, readable by the owner only)."""
        with self.db.write() as conn:
            ids = store.respondents_of(conn, email=who.email, cnpj=who.cnpj, phone=who.phone)
            tables = store.gather(conn, ids)
            received = store.gather_received(conn, ids, sorted(_emails(tables, who)))
            if received:
                tables["received_messages"] = [_exported(m) for m in received]
            records = sum(len(rows) for rows in tables.values())
            store.log(
                conn,
                at=self.clock.now(),
                actor=self.actor,
                action="subject_export",
                subject=identifier_hash(self._salt(conn), who.kind, who.value),
                records=records,
                detail=f"by {who.kind}; {len(ids)} respondent record(s)",
            )
            document = {
                "subject": {who.kind: who.value},
                "exported_at": self.clock.now().isoformat(),
                "exported_by": self.actor,
                "tables": tables,
            }
            write_private(out, json.dumps(document, ensure_ascii=False, indent=2, default=_json))
        return records

    def log_bulk_export(self, records: int, detail: str) -> None:
        with self.db.write() as conn:
            store.log(
                conn,
                at=self.clock.now(),
                actor=self.actor,
                action="bulk_export",
                subject=None,
                records=records,
                detail=detail,
            )

    def processing_log(self) -> list[dict[str, object]]:
        with self.db.read() as conn:
            return [dict(row) for row in store.processing_log(conn)]

    # -- erasure -----------------------------------------------------------------------

    def erase(self, who: Subject, *, dry_run: bool = False) -> Erasure:
        if who.phone:
            raise DomainError(key="refusal.privacy.erase_by")
        result = Erasure(dry_run=dry_run, backups=self._backups())
        if self.db.dialect == "sqlite":  # freed pages are zeroed, not left behind
            store.zero_freed_pages(self.db.connection())
        with self.db.write() as conn:
            if open_batches(conn):  # it may be bringing this person's rows: erase after it
                raise StoreLocked(
                    f"an import into {self.db.label} is under way: erase when it has ended, "
                    "so that nothing it brings is left behind"
                )
            ids = store.respondents_of(conn, email=who.email, cnpj=who.cnpj)
            result.respondents = len(ids)
            held = store.gather(conn, ids)
            emails = _emails(held, who)
            received = store.received_ids(conn, ids, sorted(emails))
            if received:
                held["received_messages"] = [{"id": i} for i in received]
            cnpjs = {str(r["cnpj"]) for r in held.get("respondents", []) if r["cnpj"]}
            if who.cnpj:
                cnpjs.add(who.cnpj)
            if dry_run:
                result.changed = {table: len(rows) for table, rows in held.items() if rows}
                return result
            result.changed, message_ids = store.erase(conn, ids, self.clock.now(), sorted(emails))
            salt = self._salt(conn)
            hashes = [identifier_hash(salt, "email", e) for e in sorted(emails)]
            gone = store.erase_received(conn, received, hashes)
            if gone:
                result.changed["received_messages"] = gone
            for kind, values in (("email", emails), ("cnpj", cnpjs)):
                for value in values:
                    mailbox.suppress(
                        conn,
                        identifier_hash(salt, kind, value),
                        "erased at the person's request",
                        self.actor,
                        self.clock.now(),
                    )
            store.log(
                conn,
                at=self.clock.now(),
                actor=self.actor,
                action="subject_erase",
                subject=identifier_hash(salt, who.kind, who.value),
                records=sum(result.changed.values()),
                detail=f"by {who.kind}; {len(ids)} respondent record(s)",
            )
        result.mail_files = self._remove_mail_copies(message_ids, emails)
        result.reject_rows = self._scrub_rejects(emails | cnpjs | _cnpj_shapes(cnpjs))
        result.compacted = self._compact()
        return result

    def _compact(self) -> bool:
        """Rewrite the file without the old bytes: merge the search index, VACUUM, and empty
        the WAL. False if another program holds the store open and the WAL could not be
        emptied (run it again when the desk is closed)."""
        with self.db.write() as conn:
            store.purge_search_index(conn)
        # On the team store the server reuses the freed space; its WAL archive and backups
        # are kept by whoever runs the server, and the erasure log says when to purge them.
        return store.compact(self.db.connection())

    def _backups(self) -> list[Path]:
        if self.db.dialect != "sqlite":
            return []  # the team store's backups are the server's
        path = self.db.path
        return sorted(path.parent.glob(f"{path.name}.*.bak"))

    def _mail_folders(self) -> list[Path]:
        mail = self.services.mail(self.actor)
        folders = {mail.default_folder()}
        if self.services.settings.mail_folder:
            folders.add(Path(self.services.settings.mail_folder).expanduser())
        return [folder for folder in folders if folder.is_dir()]

    def _remove_mail_copies(self, message_ids: list[str], emails: set[str]) -> list[Path]:
        """The .eml copies of the file transport that belong to the person."""
        wanted_ids = {m.strip("<>").encode() for m in message_ids}
        addresses = {e.encode() for e in emails}
        removed = []
        for folder in self._mail_folders():
            for path in sorted(folder.glob("*.eml")):
                data = path.read_bytes()
                lowered = data.lower()
                if any(m in data for m in wanted_ids) or any(a in lowered for a in addresses):
                    path.unlink()
                    removed.append(path)
        return removed

    def _scrub_rejects(self, needles: set[str]) -> int:
        """Reject files keep raw rows: drop the rows that name the person."""
        folder = self.db.path.parent / "rejects"
        if not needles or not folder.is_dir():
            return 0
        lowered = {n.casefold() for n in needles if n}
        dropped = 0
        for path in sorted(folder.glob("*.csv")):
            text = path.read_text(encoding="utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=";"))
            kept = [r for r in rows if not any(n in ";".join(r).casefold() for n in lowered)]
            if len(kept) != len(rows):
                dropped += len(rows) - len(kept)
                out = io.StringIO()
                csv.writer(out, delimiter=";").writerows(kept)
                write_private(path, out.getvalue(), encoding="utf-8-sig")
        return dropped


def _emails(tables: dict[str, list[dict[str, object]]], who: Subject) -> set[str]:
    """The person's addresses: the one asked for and their records' (case-folded)."""
    found = {str(r["email"]).casefold() for r in tables.get("respondents", []) if r["email"]}
    return found | ({who.email} if who.email else set())


def _exported(message: dict[str, object]) -> dict[str, object]:
    """A received message as the export writes it: its bytes (a quarantined copy's, the
    attachments') base64, so they come back byte for byte."""
    shown = {key: value for key, value in message.items() if key != "raw"}
    raw = message.get("raw")
    if isinstance(raw, bytes | bytearray | memoryview):
        shown["raw_base64"] = base64.b64encode(bytes(raw)).decode("ascii")
    attachments = message.get("attachments")
    shown["attachments"] = [
        {
            **{key: value for key, value in item.items() if key != "data"},
            "data_base64": None
            if item.get("data") is None
            else base64.b64encode(bytes(item["data"])).decode("ascii"),
        }
        for item in (attachments if isinstance(attachments, list) else [])
    ]
    return shown


def _cnpj_shapes(cnpjs: set[str]) -> set[str]:
    """A CNPJ as reject files may hold it: with its punctuation too."""
    from npsdesk.domain.cnpj import format_cnpj

    return {format_cnpj(c) for c in cnpjs}


def write_private(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write `text` atomically into a file only its owner can read (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _json(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"cannot export {type(value).__name__}")
