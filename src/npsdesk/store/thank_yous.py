"""The SQL behind promoters' thank-yous: which opinions get one, their drafts in the outbox.

A case has at most one thank-you that is not cancelled: a draft waiting for review, or the
message queued or sent from it.
"""

from __future__ import annotations

from collections.abc import Sequence

from npsdesk.store.connection import Connection, Row


def batch_opinions(conn: Connection, batch_id: int, classes: Sequence[str]) -> list[int]:
    """The batch's opinions of these classes, internal ones left out, in id order."""
    return [
        int(row[0])
        for row in conn.execute(
            f"""SELECT id FROM opinion WHERE import_batch_id = ? AND NOT internal
                AND nps_class IN ({",".join("?" * len(classes))}) ORDER BY id""",
            (batch_id, *classes),
        )
    ]


def candidates(conn: Connection, opinion_ids: Sequence[int]) -> list[Row]:
    """(id, internal, email, has) per opinion: `has` says it has a thank-you already."""
    marks = ",".join("?" * len(opinion_ids))
    return conn.execute(
        f"""SELECT o.id, o.internal, r.email,
                   EXISTS (SELECT 1 FROM outbox b WHERE b.kind = 'thank_you'
                           AND b.opinion_id = o.id AND b.state <> 'cancelled') AS has
            FROM opinion o JOIN respondent r ON r.id = o.respondent_id
            WHERE o.id IN ({marks}) ORDER BY o.id""",
        list(opinion_ids),
    ).fetchall()


def current(conn: Connection, opinion_id: int) -> Row | None:
    """(id, state) of the case's thank-you that is not cancelled, if any."""
    row: Row | None = conn.execute(
        "SELECT id, state FROM outbox WHERE kind = 'thank_you' AND "
        "opinion_id = ? AND state <> 'cancelled'",
        (opinion_id,),
    ).fetchone()
    return row


def address_to(conn: Connection, outbox_id: int, respondent_id: int) -> None:
    """The message goes to this respondent; a reason noted on its draft is cleared."""
    conn.execute(
        "UPDATE outbox SET respondent_id = ?, reason = NULL WHERE id = ?",
        (respondent_id, outbox_id),
    )


def note_draft(conn: Connection, opinion_id: int, reason: str) -> None:
    """Why the case's thank-you draft could not be sent, shown with the draft."""
    conn.execute(
        "UPDATE outbox SET reason = ? WHERE kind = 'thank_you' AND opinion_id = ? "
        "AND state = 'draft'",
        (reason, opinion_id),
    )


def drafted(conn: Connection) -> list[int]:
    """Opinions with a draft in the outbox, oldest draft first."""
    return [
        int(row[0])
        for row in conn.execute("SELECT opinion_id FROM outbox WHERE state = 'draft' ORDER BY id")
    ]
