"""`store copy` of what customers sent: received messages, their attachments, the IMAP
cursors and the addresses that bounce.

- inbound_message: matched by `key` (the Message-ID, else the digest), so copying again, or
  a message the team store fetched itself, adds nothing; its case is the copied case.
- inbound_attachment: those of the messages copied now.
- inbox_cursor: a folder the team store never fetched takes the personal store's place in
  it; one it fetched keeps its own (taking a message twice is harmless, skipping is not).
- address_flag: carried like the suppression list, hashed again with the team store's
  salt when it has its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from npsdesk.domain.hashing import identifier_hash
from npsdesk.services import store_copy_mail as mail
from npsdesk.store import copying, mailbox
from npsdesk.store.copying import key_text

if TYPE_CHECKING:
    from npsdesk.services.store_copy import Run

OWN_CURSOR, LOST_FLAG = mail.OWN_CURSOR, mail.LOST_FLAG
FLAG_COLUMNS = ("email_hash", "kind", "reason", "outbox_id", "flagged_at", "flagged_by")


def copy_received(run: Run) -> None:
    count = run.table("inbound_message")
    rows = mail._rows(run, "inbound_message")
    held = {
        key_text(r["key"]): int(r["id"])
        for r in copying.existing(run.dst, "inbound_message", "key", [r["key"] for r in rows])
    }
    fresh = []
    for row in rows:
        found = held.get(key_text(row["key"]))
        if found is None:
            fresh.append(row)
        else:
            run.ids["inbound_message"][int(row["id"])] = found
            count.already += 1
    count.copied = len(mail._add(run, "inbound_message", fresh))
    count.found = mail._found(run, "inbound_message", "key", [r["key"] for r in rows])
    files = run.table("inbound_attachment")
    copied = run.new["inbound_message"]
    attachments = mail._rows(run, "inbound_attachment")
    new = [r for r in attachments if int(r["inbound_id"]) in copied]
    files.already = len(attachments) - len(new)
    files.copied = len(mail._add(run, "inbound_attachment", new))


def copy_cursors(run: Run) -> None:
    count = run.table("inbox_cursor")
    rows = copying.rows_of(
        run.src, "inbox_cursor", ("account", "uidvalidity", "last_uid", "updated_at")
    )
    team = {
        key_text(r["account"]): r
        for r in copying.existing(run.dst, "inbox_cursor", "account", [r["account"] for r in rows])
    }
    fresh = []
    for row in rows:
        theirs = team.get(key_text(row["account"]))
        if theirs is None:
            fresh.append(tuple(row))
        elif (int(theirs["uidvalidity"]), int(theirs["last_uid"])) == (
            int(row["uidvalidity"]),
            int(row["last_uid"]),
        ):
            count.already += 1
        else:
            count.skip(OWN_CURSOR)
    columns = ("account", "uidvalidity", "last_uid", "updated_at")
    count.copied = copying.insert(run.dst, "inbox_cursor", columns, fresh)


def copy_address_flags(run: Run) -> None:
    count = run.table("address_flag")
    rows = copying.rows_of(run.src, "address_flag", FLAG_COLUMNS)
    mine = mailbox.get_setting(run.src, mailbox.SALT_KEY)
    theirs = mailbox.get_setting(run.dst, mailbox.SALT_KEY)  # after copy_settings
    carried = {}
    if mine == theirs or mine is None or theirs is None:
        carried = {key_text(r["email_hash"]): r for r in rows}
    else:
        known = mail._identifiers(run, mine)
        for row in rows:
            found = known.get(key_text(row["email_hash"]))
            if found is None:
                count.skip(LOST_FLAG)
            else:
                carried[identifier_hash(theirs, *found)] = row
    held = {
        key_text(r["email_hash"])
        for r in copying.existing(run.dst, "address_flag", "email_hash", list(carried))
    }
    fresh = [
        (
            digest,
            r["kind"],
            r["reason"],
            run.ids["outbox"].get(int(r["outbox_id"])) if r["outbox_id"] is not None else None,
            r["flagged_at"],
            r["flagged_by"],
        )
        for digest, r in carried.items()
        if digest not in held
    ]
    count.copied = copying.insert(run.dst, "address_flag", FLAG_COLUMNS, fresh)
    count.already = len(carried) - count.copied
    count.found = mail._found(run, "address_flag", "email_hash", carried)
