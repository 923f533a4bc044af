"""Customer replies from a local Maildir (what fetchmail, getmail or an MTA deliver into).

Messages not yet seen (all of new/, and those in cur/ without the `S` flag) are read as
bytes and handed to `take` in batches. Once a batch is taken, each message is marked seen
as a mail client marks it: moved to cur/ with `S` added to its flags, so the next run does
not read it again (taking it again would add nothing anyway). A file that cannot be read
is reported and skipped; a mark that fails is reported, and the message is simply taken
(harmlessly) again next time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from npsdesk.domain.models import Reason
from npsdesk.mail.imap_source import BATCH, FetchError

INFO = ":2,"  # Maildir's separator before a message's flags


@dataclass
class MaildirRun:
    """What one run did; `notes` are the files skipped or left unmarked, one line each."""

    fetched: int = 0
    batches: int = 0
    notes: list[str] = field(default_factory=list)


def unseen(folder: Path) -> list[Path]:
    """The messages of new/ and the unseen ones of cur/, oldest name first (a Maildir
    name starts with its delivery time)."""
    found: list[Path] = []
    for sub in ("new", "cur"):
        with os.scandir(folder / sub) as entries:
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                    continue
                if sub == "cur" and "S" in _flags(entry.name):
                    continue
                found.append(Path(entry.path))
    return sorted(found, key=lambda path: path.name)


def fetch_maildir(
    folder: Path, take: Callable[[list[bytes]], None], *, batch: int = BATCH
) -> MaildirRun:
    """Take every unseen message of the Maildir at `folder`, `batch` at a time."""
    if not ((folder / "new").is_dir() and (folder / "cur").is_dir()):
        raise FetchError(key="fetch.err.no_maildir", path=str(folder))
    run = MaildirRun()
    pending: list[tuple[Path, bytes]] = []
    for path in unseen(folder):
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # another client took it meanwhile
            continue
        except OSError as exc:
            run.notes.append(Reason("fetch.note.unreadable", name=path.name, reason=_why(exc)))
            continue
        pending.append((path, data))
        if len(pending) >= batch:
            _take(folder, pending, take, run)
            pending = []
    if pending:
        _take(folder, pending, take, run)
    return run


def _take(
    folder: Path,
    pending: list[tuple[Path, bytes]],
    take: Callable[[list[bytes]], None],
    run: MaildirRun,
) -> None:
    take([data for _, data in pending])
    run.fetched += len(pending)
    run.batches += 1
    for path, _ in pending:
        try:
            mark_seen(folder, path)
        except OSError as exc:
            run.notes.append(Reason("fetch.note.not_marked", name=path.name, reason=_why(exc)))


def mark_seen(folder: Path, path: Path) -> Path:
    """Move a message to cur/ with `S` among its flags (kept sorted, as Maildir asks)."""
    base, _, flags = path.name.partition(INFO)
    target = folder / "cur" / f"{base}{INFO}{''.join(sorted({*flags, 'S'}))}"
    if target != path:
        path.rename(target)
    return target


def _flags(name: str) -> str:
    return name.partition(INFO)[2] if INFO in name else ""


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
