"""Campaigns and participants: the SQL behind inclusion, invitations and response rates.

"One survey per campaign per customer" is the UNIQUE (campaign_id, customer_key) constraint;
inclusion runs inside a write transaction, so two schedulers at once cannot both add a
customer, and whatever a killed run wrote is all there or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from npsdesk.store.connection import Connection, Row, locking
from npsdesk.store.db import to_db_time
from npsdesk.store.visibility import hidden

CUSTOMER_KEY = (
    "CASE WHEN r.cnpj IS NOT NULL THEN 'cnpj:' || r.cnpj "
    "WHEN r.email IS NOT NULL THEN 'email:' || lower(r.email) END"
)
EDITABLE = (
    "name",
    "starts_on",
    "ends_on",
    "window_from",
    "window_to",
    "auto_include",
    "verticals",
    "products",
    "link_template",
    "subject",
    "body",
    "active",
)


@dataclass(frozen=True)
class CampaignData:
    name: str
    starts_on: date
    ends_on: date
    window_from: int
    window_to: int
    auto_include: bool
    verticals: str | None
    products: str | None
    link_template: str
    subject: str
    body: str
    active: bool


def insert_campaign(conn: Connection, data: CampaignData, actor: str, now: datetime) -> int:
    stamp = to_db_time(now)
    cursor = conn.execute(
        """INSERT INTO campaign (name, starts_on, ends_on, window_from, window_to, auto_include,
                                 verticals, products, link_template, subject, body, active,
                                 created_at, created_by, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id""",
        (
            data.name,
            data.starts_on.isoformat(),
            data.ends_on.isoformat(),
            data.window_from,
            data.window_to,
            data.auto_include,
            data.verticals,
            data.products,
            data.link_template,
            data.subject,
            data.body,
            data.active,
            stamp,
            actor,
            stamp,
        ),
    )
    return int(cursor.fetchone()[0])


def update_campaign(
    conn: Connection, campaign_id: int, changes: Mapping[str, object], now: datetime
) -> None:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    if not changes:
        return
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in changes.items()}
    sets = ", ".join(f"{name} = :{name}" for name in values)
    conn.execute(
        f"UPDATE campaign SET {sets}, updated_at = :now WHERE id = :id",
        {**values, "now": to_db_time(now), "id": campaign_id},
    )


def campaign_by_name(conn: Connection, name: str, *, lock: bool = False) -> Row | None:
    """The campaign; `lock` (in a write) holds it until the transaction ends, so two runs
    of the same campaign at once include its customers one run after the other."""
    sql = "SELECT * FROM campaign c WHERE name = ?" + (locking(conn, "c") if lock else "")
    row: Row | None = conn.execute(sql, (name,)).fetchone()
    return row


def campaigns_with_figures(conn: Connection) -> list[Row]:
    """Every campaign with participants, invited (sent), responded and the NPS counts."""
    return conn.execute(
        """SELECT c.*,
                  count(p.id) AS participants,
                  count(CASE WHEN b.state = 'sent' THEN 1 END) AS invited,
                  count(p.opinion_id) AS responded,
                  count(CASE WHEN o.nps_class = 'promoter' THEN 1 END) AS promoters,
                  count(CASE WHEN o.nps_class = 'neutral' THEN 1 END) AS neutrals,
                  count(CASE WHEN o.nps_class = 'detractor' THEN 1 END) AS detractors
           FROM campaign c
           LEFT JOIN participant p ON p.campaign_id = c.id
           LEFT JOIN outbox b ON b.id = p.outbox_id
           LEFT JOIN opinion o ON o.id = p.opinion_id
           GROUP BY c.id ORDER BY c.starts_on, c.name"""
    ).fetchall()


def running_on(conn: Connection, day: date) -> list[Row]:
    """Active campaigns with automatic inclusion whose period holds `day`."""
    return conn.execute(
        """SELECT * FROM campaign WHERE active AND auto_include
           AND starts_on <= :day AND ends_on >= :day ORDER BY id""",
        {"day": day.isoformat()},
    ).fetchall()


def next_start_after(conn: Connection, day: date) -> date | None:
    row = conn.execute(
        "SELECT min(starts_on) FROM campaign WHERE active AND auto_include AND starts_on > ?",
        (day.isoformat(),),
    ).fetchone()
    return None if row[0] is None else date.fromisoformat(str(row[0]))


def candidates(conn: Connection, campaign: Row, since: datetime) -> list[Row]:
    """Customers served in the campaign's period, not yet in it, not surveyed by another
    campaign since `since`, and not staff (respondents of internal surveys); one row per
    customer (the contact with an e-mail and the latest service first)."""
    filters = []
    params: dict[str, object] = {
        "campaign": campaign["id"],
        "start": campaign["starts_on"],
        "end": campaign["ends_on"],
        "since": to_db_time(since),
    }
    for column in ("vertical", "product"):
        wanted = campaign[column + "s"]
        if wanted:
            names = [n.strip().casefold() for n in str(wanted).split(";") if n.strip()]
            marks = ",".join(f":{column}{i}" for i in range(len(names)))
            filters.append(f"AND lower(r.{column}) IN ({marks})")
            params.update({f"{column}{i}": n for i, n in enumerate(names)})
    return conn.execute(
        f"""SELECT * FROM (
               SELECT r.id, r.name, r.email, r.cnpj, r.company, r.product, r.last_service_at,
                      {CUSTOMER_KEY} AS customer_key,
                      row_number() OVER (PARTITION BY {CUSTOMER_KEY}
                          ORDER BY r.email IS NULL, r.last_service_at DESC, r.id) AS pick
               FROM respondent r
               WHERE r.last_service_at BETWEEN :start AND :end
                 AND (r.cnpj IS NOT NULL OR r.email IS NOT NULL)
                 {" ".join(filters)}{hidden(conn, "r")}
                 AND NOT EXISTS (SELECT 1 FROM opinion o
                                 WHERE o.respondent_id = r.id AND o.internal)
           ) AS c
           WHERE c.pick = 1
             AND NOT EXISTS (SELECT 1 FROM participant p
                             WHERE p.campaign_id = :campaign
                               AND p.customer_key = c.customer_key)
             AND NOT EXISTS (SELECT 1 FROM participant p
                             WHERE p.campaign_id <> :campaign AND p.included_at >= :since
                               AND ((c.cnpj IS NOT NULL AND p.cnpj = c.cnpj)
                                    OR (c.email IS NOT NULL AND p.email = lower(c.email))))
           ORDER BY c.last_service_at, c.id""",
        params,
    ).fetchall()


def add_participant(
    conn: Connection,
    campaign_id: int,
    respondent: Row,
    token: str,
    now: datetime,
) -> int | None:
    """The new participant's id; None if the customer is already in the campaign."""
    cursor = conn.execute(
        """INSERT INTO participant (campaign_id, respondent_id, customer_key, email, cnpj,
                                    token, included_at)
           VALUES (?, ?, ?, lower(?), ?, ?, ?)
           ON CONFLICT (campaign_id, customer_key) DO NOTHING
           RETURNING id""",
        (
            campaign_id,
            respondent["id"],
            respondent["customer_key"],
            respondent["email"],
            respondent["cnpj"],
            token,
            to_db_time(now),
        ),
    )
    row = cursor.fetchone()
    return None if row is None else int(row[0])


def set_invitation(conn: Connection, participant_id: int, outbox_id: int) -> None:
    conn.execute("UPDATE participant SET outbox_id = ? WHERE id = ?", (outbox_id, participant_id))


def link_responses(conn: Connection, batch_id: int | None) -> int:
    """Tie the batch's opinions to their participants: by token, else e-mail + campaign name."""
    if batch_id is None:
        return 0
    waiting = conn.execute("SELECT 1 FROM participant WHERE opinion_id IS NULL LIMIT 1")
    if waiting.fetchone() is None:  # no invitation awaits an answer: skip the batch's rows
        return 0
    by_token = conn.execute(
        """UPDATE participant SET opinion_id = o.id, responded_at = o.answered_at
           FROM opinion o
           WHERE o.import_batch_id = :batch AND o.survey_token = participant.token
             AND participant.opinion_id IS NULL""",
        {"batch": batch_id},
    ).rowcount
    by_address = conn.execute(
        """UPDATE participant SET opinion_id = m.id, responded_at = m.answered_at
           FROM (SELECT o.id, o.answered_at, c.id AS campaign_id, lower(r.email) AS email
                 FROM opinion o
                 JOIN respondent r ON r.id = o.respondent_id
                 JOIN campaign c ON c.name = o.campaign
                 WHERE o.import_batch_id = :batch AND o.survey_token IS NULL
                   AND r.email IS NOT NULL) AS m
           WHERE participant.campaign_id = m.campaign_id AND participant.email = m.email
             AND participant.opinion_id IS NULL""",
        {"batch": batch_id},
    ).rowcount
    return int(by_token) + int(by_address)
