"""What `store copy` does with mail, campaigns, coupons, settings and the privacy tables.

- outbox: sent messages are copied (matched by Message-ID): the case history and the
  coupons refer to them. A thank-you draft the team store holds for a case thanked from
  the personal store is cancelled (the customer would be thanked twice); a thank-you the
  team store queued or sent already wins over the personal one. Messages not sent yet
  (draft, queued, sending, failed, unknown) are skipped: from the team store they would
  reach the customer a second time; send or cancel them in the personal store, then copy
  again. Cancelled ones never reached anyone.
- coupon: matched by code. A code given in the personal store is given in the team store
  too (a free team code is marked given), so it is never handed out twice; a code held for
  a message not sent yet is skipped until that message is sent.
- campaign by name (the team's definition wins); participant by token, skipped when the
  team store already has the customer in that campaign (one survey per campaign).
- store_setting, mail_template: the team's settings and templates stay as the team set
  them; the `demo` mark (mail to files only) is never copied. The suppression list's salt
  comes along when the team store has none yet.
- setting_change: the log of the personal store's settings, which are not copied.
- suppression: every entry is carried, re-hashed with the team store's salt when it has
  its own; an entry that names no one the personal store still holds cannot be re-hashed
  and is reported.
- processing_log: copied (the record of processing moves with the data), and the copy
  itself is recorded in the team store's log.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from npsdesk.domain.hashing import identifier_hash
from npsdesk.services.mail_core import DEMO_KEY
from npsdesk.store import copying, copying_mail, mailbox
from npsdesk.store import privacy as privacy_store
from npsdesk.store.connection import Row, Store
from npsdesk.store.copying import key_text

if TYPE_CHECKING:
    from npsdesk.services.store_copy import Run

UNFINISHED = ("draft", "queued", "sending", "failed", "unknown")
NOT_SENT = (
    "not sent yet: the team store would send it again; send or cancel it in the personal "
    "store, then copy again"
)
CANCELLED = "cancelled: it never reached the customer"
OWN_THANKS = "the team store has its own thank-you for the case"
THANKED = "the customer was thanked from a personal store (npsdesk store copy)"
HELD_CODE = "held for a message that is not copied"
CODE_TAKEN = "its message already carries another code in the team store"
IN_CAMPAIGN = "the team store already has the customer in that campaign"
OWN_SALT = "the team store has its own salt (the suppression list is re-hashed to it)"
DEMO = "marks a demo store (mail to files only)"
TEAM_SETTING = "the team's settings stay as the team set them"
TEAM_TEMPLATE = "the team's templates stay as the team set them"
SETTINGS_LOG = "the log of the personal store's settings, which are not copied"
LOST_SALT = (
    "salted for the personal store and names no one it still holds, so it cannot be "
    "re-hashed for the team store"
)

# A skipped row's reason (the report's data, in English) -> its catalogue key's last part.
# `store_copy_replies`'s reasons, here with the others the report words
OWN_CURSOR = "the team store fetches this folder itself"
LOST_FLAG = "the address is no longer in the personal store: it cannot be re-hashed"

REASON_KEYS = {
    NOT_SENT: "not_sent",
    CANCELLED: "cancelled",
    OWN_THANKS: "own_thanks",
    HELD_CODE: "held_code",
    CODE_TAKEN: "code_taken",
    IN_CAMPAIGN: "in_campaign",
    OWN_SALT: "own_salt",
    DEMO: "demo",
    TEAM_SETTING: "team_setting",
    TEAM_TEMPLATE: "team_template",
    SETTINGS_LOG: "settings_log",
    LOST_SALT: "lost_salt",
    OWN_CURSOR: "own_cursor",
    LOST_FLAG: "lost_flag",
}


def _rows(run: Run, table: str) -> list[Row]:
    """Every row of a table of the personal store, as (id, *columns)."""
    columns = copying.columns_of(run.src, table)
    return [row for batch in copying.source_rows(run.src, table, columns) for row in batch]


def _add(run: Run, table: str, rows: list[Row]) -> list[int]:
    """Insert rows under the team store's ids and remember the mapping."""
    columns = copying.columns_of(run.src, table)
    ids = copying.insert_new(
        run.dst, table, columns, [copying.values(table, r, columns, run.ids) for r in rows]
    )
    for row, new_id in zip(rows, ids, strict=True):
        run.ids[table][int(row["id"])] = new_id
        run.new[table].add(int(row["id"]))
    return ids


def _found(run: Run, table: str, key: str, values: Iterable[object]) -> int:
    wanted = sorted({str(v) for v in values})
    return len({key_text(row[key]) for row in copying.existing(run.dst, table, key, wanted)})


def copy_outbox(run: Run) -> None:
    count = run.table("outbox")
    sent = []
    for row in _rows(run, "outbox"):
        if row["state"] in UNFINISHED:
            count.skip(NOT_SENT)
        elif row["state"] not in ("sent", "bounced") or not row["message_id"]:
            count.skip(CANCELLED)
        else:
            sent.append(row)
    team = {
        key_text(r["message_id"]): int(r["id"])
        for r in copying.existing(run.dst, "outbox", "message_id", [r["message_id"] for r in sent])
    }
    cases = [run.ids["opinion"][int(r["opinion_id"])] for r in sent if r["opinion_id"]]
    thanks = {  # the team store's own thank-you per case: (message, state)
        int(r[0]): (int(r[1]), key_text(r[2])) for r in copying_mail.thank_yous(run.dst, cases)
    }
    fresh = []
    for row in sent:
        held = team.get(key_text(row["message_id"]))
        case = run.ids["opinion"].get(int(row["opinion_id"] or 0))
        if held is not None:
            run.ids["outbox"][int(row["id"])] = held
            count.already += 1
            continue
        if row["kind"] == "thank_you" and case is not None:
            own = thanks.get(case)
            if own is not None and own[1] != "draft":
                count.skip(OWN_THANKS)
                continue
            if own is not None:  # the customer was thanked already: no second thank-you
                mailbox.set_state(run.dst, own[0], "cancelled", ("draft",), run.now, THANKED)
                count.updated += 1
            thanks[case] = (0, "sent")
        fresh.append(row)
    count.copied = len(_add(run, "outbox", fresh))
    kept = [r["message_id"] for r in sent if int(r["id"]) in run.ids["outbox"]]
    count.found = _found(run, "outbox", "message_id", kept)


def copy_coupons(run: Run) -> None:
    count = run.table("coupon")
    rows = _rows(run, "coupon")
    team = {
        key_text(r["code"]): r for r in copying.existing(run.dst, "coupon", "code", _codes(rows))
    }
    messages = run.ids["outbox"]
    taken = copying_mail.messages_with_codes(run.dst, sorted(set(messages.values())))
    fresh, kept, loose = [], [], 0
    for row in rows:
        given = row["outbox_id"] is not None
        message = messages.get(int(row["outbox_id"])) if given else None
        held = team.get(key_text(row["code"]))
        if given and message is None:  # its message stayed behind (not sent yet...)
            count.skip(HELD_CODE)
            loose += held is not None and held["outbox_id"] is None
            continue
        if held is None and message is not None and message in taken:
            count.skip(CODE_TAKEN)
            continue
        kept.append(row["code"])
        if held is None:
            fresh.append(row)
            taken.update([message] if message else [])
            continue
        count.already += 1
        if message is not None and held["outbox_id"] is None and message not in taken:
            copying_mail.give_code(  # sent from the personal store: never to be given again
                run.dst,
                held["id"],
                message,
                run.ids["respondent"].get(int(row["respondent_id"] or 0)),
                row["assigned_at"],
            )
            taken.add(message)
            count.updated += 1
    if loose:
        run.report.notes.append(("store.copy.warn.loose_codes", loose))
    count.copied = len(_add(run, "coupon", fresh))
    count.found = _found(run, "coupon", "code", kept)


def _codes(rows: list[Row]) -> list[str]:
    return [key_text(r["code"]) for r in rows]


def copy_participants(run: Run) -> None:
    count = run.table("participant")
    rows = _rows(run, "participant")
    tokens = [key_text(r["token"]) for r in rows]
    team = {
        key_text(r["token"]): r for r in copying.existing(run.dst, "participant", "token", tokens)
    }
    campaigns = run.ids["campaign"]
    included = {
        (int(r[0]), key_text(r[1]))
        for r in copying_mail.campaign_customers(run.dst, sorted(set(campaigns.values())))
    }
    fresh, kept = [], []
    for row in rows:
        held = team.get(key_text(row["token"]))
        message = run.ids["outbox"].get(int(row["outbox_id"] or 0))
        opinion = run.ids["opinion"].get(int(row["opinion_id"] or 0))
        if held is not None:
            count.already += 1
            kept.append(row["token"])
            if (held["outbox_id"] is None and message) or (held["opinion_id"] is None and opinion):
                copying_mail.complete_participant(  # invited, or answered, since the last copy
                    run.dst,
                    held["id"],
                    message,
                    opinion,
                    row["responded_at"] if opinion else None,
                )
                count.updated += 1
            continue
        customer = (campaigns[int(row["campaign_id"])], key_text(row["customer_key"]))
        if customer in included:
            count.skip(IN_CAMPAIGN)
            continue
        included.add(customer)
        kept.append(row["token"])
        fresh.append(row)
    count.copied = len(_add(run, "participant", fresh))
    count.found = _found(run, "participant", "token", kept)


def copy_settings(run: Run) -> None:
    """Only the suppression list's salt, when the team store has none yet."""
    settings = run.table("store_setting")
    team = {key_text(r["key"]): key_text(r["value"]) for r in copying_mail.settings(run.dst)}
    for row in copying_mail.settings(run.src, ordered=True):
        key, value = key_text(row["key"]), key_text(row["value"])
        if team.get(key) == value:
            settings.already += 1
        elif key == mailbox.SALT_KEY and key not in team:
            copying.insert(run.dst, "store_setting", row.keys(), [tuple(row)])
            settings.copied += 1
        elif key == mailbox.SALT_KEY:
            settings.skip(OWN_SALT)
        elif key == DEMO_KEY:
            settings.skip(DEMO)
        else:
            settings.skip(TEAM_SETTING)
    templates = run.table("mail_template")
    team = {key_text(r["name"]): _template(r) for r in copying_mail.templates(run.dst)}
    for row in copying_mail.templates(run.src):
        if team.get(key_text(row["name"])) == _template(row):
            templates.already += 1
        else:
            templates.skip(TEAM_TEMPLATE)
    log = run.table("setting_change")
    log.skip(SETTINGS_LOG, log.personal)


def _template(row: Row) -> str:
    return key_text(row["subject"]) + "\n" + key_text(row["body"])


def copy_suppression(run: Run) -> None:
    count = run.table("suppression")
    rows = _rows(run, "suppression")
    mine = mailbox.get_setting(run.src, mailbox.SALT_KEY)
    theirs = mailbox.get_setting(run.dst, mailbox.SALT_KEY)  # after copy_settings
    carried: dict[str, Row] = {}
    if mine == theirs or mine is None or theirs is None:
        carried = {key_text(r["email_hash"]): r for r in rows}
    else:
        known = _identifiers(run, mine)
        for row in rows:
            found = known.get(key_text(row["email_hash"]))
            if found is None:
                count.skip(LOST_SALT)
            else:
                carried[identifier_hash(theirs, *found)] = row
        if count.skipped:
            run.report.notes.append(("store.copy.warn.lost_suppression", count.skipped_rows))
    held = {
        key_text(r["email_hash"])
        for r in copying.existing(run.dst, "suppression", "email_hash", list(carried))
    }
    fresh = [
        (h, r["reason"], r["created_at"], r["created_by"])
        for h, r in carried.items()
        if h not in held
    ]
    columns = ("email_hash", "reason", "created_at", "created_by")
    count.copied = copying.insert(run.dst, "suppression", columns, fresh)
    count.already = len(carried) - count.copied
    count.found = _found(run, "suppression", "email_hash", carried)


def _identifiers(run: Run, salt: str) -> dict[str, tuple[str, str]]:
    """{hash under the personal store's salt: (kind, value)} for every e-mail and CNPJ it
    holds, so an entry of its suppression list can be hashed again with another salt."""
    return {
        identifier_hash(salt, kind, value): (kind, value)
        for kind, value in copying_mail.identifiers(run.src)
    }


def _entry(row: Row) -> tuple[str, ...]:
    return tuple(
        key_text(row[c])[:19] if c == "at" else key_text(row[c])
        for c in ("at", "actor", "action", "subject", "records", "detail")
    )


def copy_processing_log(run: Run) -> None:
    count = run.table("processing_log")
    rows = _rows(run, "processing_log")
    team = {_entry(r) for r in copying_mail.processing_log(run.dst)}
    fresh = [r for r in rows if _entry(r) not in team]
    count.copied = len(_add(run, "processing_log", fresh))
    count.already = len(rows) - count.copied
    after = {_entry(r) for r in copying_mail.processing_log(run.dst)}
    count.found = sum(1 for r in rows if _entry(r) in after)


def log_copy(run: Run, target: Store) -> None:
    """The copy in the team store's record of processing (personal data moved into it)."""
    tables = run.report.tables
    privacy_store.log(
        run.dst,
        at=run.now,
        actor=str(getattr(target, "user", "npsdesk")),
        action="store_copy",
        subject=None,
        records=run.report.written,
        detail=(
            f"from the personal store {Path(run.report.source).name}: "
            f"{tables['opinion'].copied} opinions, {tables['respondent'].copied} respondents, "
            f"{tables['event'].copied} history entries"
        ),
    )
