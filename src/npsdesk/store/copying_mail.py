"""The SQL `npsdesk store copy` runs on the mail tables: what the team store holds already
(thank-yous, given codes, campaign participants, settings, templates, its processing log),
the rows it completes, and what the personal store holds to re-hash its suppression list.

The team store's queries bind id lists as one array (PostgreSQL's `= ANY`).
"""

from __future__ import annotations

from collections.abc import Sequence

from npsdesk.store.connection import Connection, Row


def thank_yous(conn: Connection, opinion_ids: Sequence[int]) -> list[Row]:
    """(opinion_id, id, state) of the team store's thank-yous, not cancelled, of these cases."""
    return conn.execute(
        "SELECT opinion_id, id, state FROM outbox WHERE kind = 'thank_you' "
        "AND state <> 'cancelled' AND opinion_id = ANY(?::integer[])",
        (list(opinion_ids),),
    ).fetchall()


def messages_with_codes(conn: Connection, outbox_ids: Sequence[int]) -> set[int]:
    """Which of these team messages carry a coupon code."""
    return {
        int(r[0])
        for r in conn.execute(
            "SELECT outbox_id FROM coupon WHERE outbox_id = ANY(?::integer[])",
            (list(outbox_ids),),
        )
    }


def give_code(
    conn: Connection,
    coupon_id: int,
    outbox_id: int,
    respondent_id: int | None,
    assigned_at: object,
) -> None:
    """A free team code is marked given with this message (it went out elsewhere)."""
    conn.execute(
        "UPDATE coupon SET outbox_id = ?, respondent_id = ?, assigned_at = ? "
        "WHERE id = ? AND outbox_id IS NULL",
        (outbox_id, respondent_id, assigned_at, coupon_id),
    )


def campaign_customers(conn: Connection, campaign_ids: Sequence[int]) -> list[Row]:
    """(campaign_id, customer_key) of every participant of these campaigns."""
    return conn.execute(
        "SELECT campaign_id, customer_key FROM participant WHERE campaign_id = ANY(?::integer[])",
        (list(campaign_ids),),
    ).fetchall()


def complete_participant(
    conn: Connection,
    participant_id: int,
    outbox_id: int | None,
    opinion_id: int | None,
    responded_at: object,
) -> None:
    """Fill in what a participant lacks: its invitation, its answer and when it came."""
    conn.execute(
        """UPDATE participant SET outbox_id = coalesce(outbox_id, ?),
               opinion_id = coalesce(opinion_id, ?),
               responded_at = coalesce(responded_at, ?)
           WHERE id = ?""",
        (outbox_id, opinion_id, responded_at, participant_id),
    )


def settings(conn: Connection, *, ordered: bool = False) -> list[Row]:
    """Every row of store_setting (by key when `ordered`)."""
    sql = "SELECT * FROM store_setting ORDER BY key" if ordered else "SELECT * FROM store_setting"
    return conn.execute(sql).fetchall()


def templates(conn: Connection) -> list[Row]:
    return conn.execute("SELECT * FROM mail_template").fetchall()


def processing_log(conn: Connection) -> list[Row]:
    return conn.execute("SELECT * FROM processing_log").fetchall()


IDENTIFIERS = (
    (
        "email",
        "SELECT email FROM respondent UNION SELECT email FROM participant "
        "UNION SELECT to_address FROM outbox",
    ),
    ("cnpj", "SELECT cnpj FROM respondent UNION SELECT cnpj FROM participant"),
)


def identifiers(conn: Connection) -> list[tuple[str, str]]:
    """(kind, value) of every e-mail address and CNPJ the store holds, each once per kind."""
    return [
        (kind, str(value)) for kind, sql in IDENTIFIERS for (value,) in conn.execute(sql) if value
    ]
