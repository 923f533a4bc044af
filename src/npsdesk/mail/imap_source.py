"""Customer replies from an IMAP folder (stdlib imaplib), taken in batches with a cursor.

A run logs in, selects the folder and reads its UIDVALIDITY; it fetches the UIDs above the
cursor's last one, `BATCH` messages per `UID FETCH` round trip. For each batch it hands the
bytes to `take`, then saves the cursor at the batch's highest UID, then marks the batch
seen or moves it (`mail.inbox.after`). A connection lost half-way raises `FetchError`
after the batches already taken were saved, so the next run takes the rest: nothing is
lost and nothing is taken twice (taking is idempotent anyway, which makes a changed
UIDVALIDITY harmless: the folder is read again from UID 1). A batch cut off after its
cursor was saved but before it was moved is moved by the next run; one left unmarked stays
unseen on the server (it is not taken again).

Certificates are always verified (`ssl.create_default_context()` unless a context is
given); errors are one line naming the server, never the password.
"""

from __future__ import annotations

import base64
import imaplib
import re
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

from npsdesk.domain.models import Reason, Refusal

Security = Literal["tls", "starttls"]
After = Literal["seen", "move"]
BATCH = 50  # messages per UID FETCH round trip

_UID = re.compile(rb"\bUID (\d+)")


class FetchError(Refusal):
    """A fetch that could not go on: one line for the user (no traceback, no password)."""


class Cursor(Protocol):
    """Where a folder was read up to (the reply service keeps it in the store)."""

    def cursor(self, account: str) -> tuple[int, int] | None: ...

    def save_cursor(self, account: str, uidvalidity: int, last_uid: int) -> None: ...


@dataclass(frozen=True)
class ImapAccount:
    host: str
    username: str
    port: int = 993
    security: Security = "tls"
    folder: str = "INBOX"
    after: After = "seen"
    move_to: str = "npsdesk"
    timeout: float = 30.0

    @property
    def key(self) -> str:
        """The cursor's name: one per login and folder (not per port or security)."""
        return f"imap:{self.username}@{self.host}/{self.folder}"

    @property
    def where(self) -> str:
        return f"{self.username}@{self.host}/{self.folder}"


@dataclass
class ImapRun:
    """What one run did."""

    uidvalidity: int = 0
    fetched: int = 0  # messages handed to `take`
    batches: int = 0
    last_uid: int = 0
    moved_behind: int = 0  # taken by an interrupted run but not moved then; moved now
    notes: list[str] = field(default_factory=list)


class ImapSource:
    """One IMAP account's folder. `password` is called once, when logging in."""

    # Replaced by a subclass to watch or cut the conversation (the tests do).
    plain_class: ClassVar[type[imaplib.IMAP4]] = imaplib.IMAP4
    tls_class: ClassVar[type[imaplib.IMAP4_SSL]] = imaplib.IMAP4_SSL

    def __init__(
        self,
        account: ImapAccount,
        password: Callable[[], str],
        *,
        context: ssl.SSLContext | None = None,
        batch: int = BATCH,
    ) -> None:
        if account.security not in ("tls", "starttls"):
            raise ValueError(f"unknown IMAP security {account.security!r}")
        self.account = account
        self._password = password
        self._context = context if context is not None else ssl.create_default_context()
        self.batch = max(1, batch)
        self._capabilities: set[str] = set()
        self._target_ready = False

    # -- the run -----------------------------------------------------------------------

    def fetch(self, cursor: Cursor, take: Callable[[list[bytes]], None]) -> ImapRun:
        """Take every message above the cursor, batch by batch (see the module's doc)."""
        run = ImapRun()
        with self._session() as client:
            try:
                self._run(client, cursor, take, run)
            except (imaplib.IMAP4.abort, OSError) as exc:
                raise FetchError(
                    key="fetch.err.lost", host=self.account.host, n=run.fetched, reason=_why(exc)
                ) from None
        return run

    def _run(
        self,
        client: imaplib.IMAP4,
        cursor: Cursor,
        take: Callable[[list[bytes]], None],
        run: ImapRun,
    ) -> None:
        a = self.account
        run.uidvalidity = self._select(client)
        saved = cursor.cursor(a.key)
        last = 0
        if saved is not None and saved[0] == run.uidvalidity:
            last = saved[1]
        elif saved is not None:
            run.notes.append(Reason("fetch.note.restarted", folder=a.folder))
        if saved is None or last == 0:  # a first run (or a new UIDVALIDITY) is remembered
            cursor.save_cursor(a.key, run.uidvalidity, 0)
        run.last_uid = last
        if a.after == "move" and last:
            behind = [uid for uid in self._search(client, f"1:{last}") if uid <= last]
            for start in range(0, len(behind), self.batch):
                self._move(client, behind[start : start + self.batch])
            run.moved_behind = len(behind)
            if behind:
                run.notes.append(Reason("fetch.note.moved_behind", n=len(behind)))
        uids = [uid for uid in self._search(client, f"{last + 1}:*") if uid > last]
        for start in range(0, len(uids), self.batch):
            chunk = uids[start : start + self.batch]
            messages = self._fetch_batch(client, chunk)
            if messages:
                take(messages)
            cursor.save_cursor(a.key, run.uidvalidity, chunk[-1])
            run.fetched += len(messages)
            run.batches += 1
            run.last_uid = chunk[-1]
            if a.after == "move":
                self._move(client, chunk)
            else:
                self._ok(client.uid("STORE", _set(chunk), "+FLAGS.SILENT", r"(\Seen)"), "STORE")

    # -- connecting --------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[imaplib.IMAP4]:
        client = self._connect()
        try:
            self._login(client)
            yield client
        finally:
            _close(client)

    def _connect(self) -> imaplib.IMAP4:
        a = self.account
        client: imaplib.IMAP4 | None = None
        try:
            if a.security == "tls":
                client = self.tls_class(
                    a.host, a.port, ssl_context=self._context, timeout=a.timeout
                )
            else:
                client = self.plain_class(a.host, a.port, timeout=a.timeout)
                if "STARTTLS" not in client.capabilities:
                    raise FetchError(key="fetch.err.no_starttls", host=a.host)
                client.starttls(ssl_context=self._context)
            return client
        except FetchError:
            _close(client)
            raise
        except ssl.SSLCertVerificationError as exc:
            _close(client)
            reason = exc.verify_message or _why(exc)
            raise FetchError(key="fetch.err.untrusted", host=a.host, reason=reason) from None
        except ssl.SSLError as exc:
            _close(client)
            raise FetchError(key="fetch.err.tls", host=a.host, reason=_why(exc)) from None
        except (OSError, imaplib.IMAP4.error) as exc:
            _close(client)
            raise FetchError(
                key="fetch.err.unreachable", host=a.host, port=a.port, reason=_why(exc)
            ) from None

    def _login(self, client: imaplib.IMAP4) -> None:
        a = self.account
        secret = self._password()
        try:
            if "AUTH=PLAIN" in client.capabilities:  # UTF-8 safe, unlike LOGIN's quoting
                token = f"\0{a.username}\0{secret}".encode()
                client.authenticate("PLAIN", lambda _challenge: token)
            else:
                client.login(a.username, secret)
        except imaplib.IMAP4.abort as exc:
            raise FetchError(
                key="fetch.err.unreachable", host=a.host, port=a.port, reason=_why(exc)
            ) from None
        except (imaplib.IMAP4.error, UnicodeError) as exc:
            reason = _why(exc).replace(secret, "***") if secret else _why(exc)
            raise FetchError(
                key="fetch.err.login", host=a.host, user=a.username, reason=reason
            ) from None
        except OSError as exc:
            raise FetchError(
                key="fetch.err.unreachable", host=a.host, port=a.port, reason=_why(exc)
            ) from None
        status, data = client.capability()  # after login a server says more (MOVE, UIDPLUS)
        if status == "OK" and data and isinstance(data[0], bytes):
            self._capabilities = set(data[0].decode("ascii", "replace").upper().split())
        else:
            self._capabilities = {str(c).upper() for c in client.capabilities}

    # -- the folder --------------------------------------------------------------------

    def _select(self, client: imaplib.IMAP4) -> int:
        a = self.account
        status, _ = client.select(mailbox_name(a.folder))  # read-write: flags are set
        if status != "OK":
            raise FetchError(key="fetch.err.no_folder", folder=a.folder, host=a.host)
        _, data = client.response("UIDVALIDITY")
        try:
            return int(data[0])
        except (TypeError, ValueError, IndexError):
            raise FetchError(
                key="fetch.err.refused", host=a.host, command="SELECT", reason="no UIDVALIDITY"
            ) from None

    def _search(self, client: imaplib.IMAP4, uid_range: str) -> list[int]:
        """UIDs in `uid_range`, ascending. `n:*` always includes the highest UID, even when
        it is below n: callers filter."""
        data = self._ok(client.uid("SEARCH", f"UID {uid_range}"), "SEARCH")
        found: set[int] = set()
        for line in data:
            if isinstance(line, bytes):
                found.update(int(word) for word in line.split() if word.isdigit())
        return sorted(found)

    def _fetch_batch(self, client: imaplib.IMAP4, uids: list[int]) -> list[bytes]:
        """The whole messages of `uids` in one round trip, in UID order (ones expunged
        meanwhile are simply absent). BODY.PEEK leaves \\Seen to `after`."""
        data = self._ok(client.uid("FETCH", _set(uids), "(UID BODY.PEEK[])"), "FETCH")
        wanted = set(uids)
        found: dict[int, bytes] = {}
        pending: bytes | None = None  # a literal whose UID comes after it
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                head, body = item
                match = _UID.search(head)
                if match is None:
                    pending = body
                    continue
                pending = None
                uid = int(match.group(1))
                if uid in wanted and isinstance(body, bytes):
                    found[uid] = body
            elif isinstance(item, bytes) and pending is not None:
                match = _UID.search(item)
                if match is not None and int(match.group(1)) in wanted:
                    found[int(match.group(1))] = pending
                pending = None
        return [found[uid] for uid in sorted(found)]

    def _move(self, client: imaplib.IMAP4, uids: list[int]) -> None:
        target = mailbox_name(self.account.move_to)
        if not self._target_ready:
            status, listed = client.list('""', target)
            if status != "OK" or not listed or listed[0] is None:
                self._ok(client.create(target), "CREATE")
            self._target_ready = True
        uid_set = _set(uids)
        if "MOVE" in self._capabilities:
            self._ok(client.uid("MOVE", uid_set, target), "MOVE")
            return
        self._ok(client.uid("COPY", uid_set, target), "COPY")
        self._ok(client.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        if "UIDPLUS" in self._capabilities:
            self._ok(client.uid("EXPUNGE", uid_set), "EXPUNGE")
        else:
            self._ok(client.expunge(), "EXPUNGE")

    def _ok(self, answer: tuple[str, list[Any]], command: str) -> list[Any]:
        status, data = answer
        if status != "OK":
            reason = _why(data[0] if data else status)
            raise FetchError(
                key="fetch.err.refused", host=self.account.host, command=command, reason=reason
            )
        return data


def mailbox_name(name: str) -> str:
    """A folder name as an IMAP command argument: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    out: list[str] = []
    wide: list[str] = []

    def flush() -> None:
        if wide:
            packed = base64.b64encode("".join(wide).encode("utf-16-be")).decode("ascii")
            out.append("&" + packed.rstrip("=").replace("/", ",") + "-")
            wide.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            wide.append(char)
    flush()
    encoded = "".join(out)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _set(uids: list[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def _why(exc: object) -> str:
    """One short line for an error or a server's answer (bytes decoded, no repr)."""
    text: object = exc
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    elif isinstance(exc, BaseException):
        first = exc.args[0] if exc.args else None
        text = first if isinstance(first, str | bytes) else str(exc) or type(exc).__name__
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())[:200] or "no reason given"


def _close(client: imaplib.IMAP4 | None) -> None:
    """Log out politely when the connection still works; else just drop it."""
    if client is None:
        return
    try:
        client.logout()
    except Exception:
        with suppress(Exception):
            client.shutdown()
