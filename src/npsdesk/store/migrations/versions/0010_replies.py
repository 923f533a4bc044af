"""Customer replies come back: received messages, their attachments, where a fetch stopped,
addresses that bounce, and cases whose customer awaits us.

`inbound_message` holds every message taken in, matched to a case or not (the unmatched
inbox), discarded by an analyst or quarantined with its reason; `key` (the Message-ID, else
a digest of the bytes) makes taking the same message twice a no-op. `inbox_cursor` keeps an
IMAP folder's UIDVALIDITY and the last UID taken. `address_flag` marks addresses that bounce,
by the salted hash the suppression list uses. An opinion's `lane` is 0 while the customer's
reply awaits an answer, and sorts such cases first within their priority. Respondents are
found by (CNPJ, e-mail) in one index, and the e-mails in the history by their Message-ID.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_OUTBOX_STATES = "('draft', 'queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled')"
OUTBOX_STATES = (
    "('draft', 'queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled', 'bounced')"
)
INBOUND_KINDS = "('reply', 'auto_reply', 'bounce', 'unsubscribe')"
INBOUND_STATES = "('matched', 'unmatched', 'discarded', 'quarantined')"
MATCHED_BY = "('thread', 'token', 'subject', 'sender', 'hand')"
NOTIFIED = ("inbound_message", "outbox")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # an import matches a company's contact by (CNPJ, e-mail): one seek, however many
    # contacts the company has (by CNPJ alone it read them all, for every row)
    op.create_index("ix_respondent_cnpj_email", "respondent", ["cnpj", "email"])
    op.drop_index("ix_respondent_cnpj", "respondent")
    op.execute("ALTER TABLE opinion ADD COLUMN replied_at TIMESTAMP")
    op.execute("ALTER TABLE opinion ADD COLUMN lane INTEGER NOT NULL DEFAULT 1")
    op.drop_index("ix_opinion_queue", "opinion")
    op.create_index(
        "ix_opinion_queue",
        "opinion",
        ["archived", "status", "priority", "lane", "deadline", "answered_at", "id"],
    )
    op.create_index(
        "ix_opinion_awaiting",
        "opinion",
        ["id"],
        sqlite_where=sa.text("lane = 0"),
        postgresql_where=sa.text("lane = 0"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_state", type_="check")
        batch.add_column(sa.Column("in_reply_to", sa.String(), nullable=True))
        batch.add_column(sa.Column("refs", sa.String(), nullable=True))
        batch.create_check_constraint("ck_outbox_state", f"state IN {OUTBOX_STATES}")
    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(), nullable=False, unique=True),
        sa.Column("message_id", sa.String(), nullable=True),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("from_address", sa.String(), nullable=True),
        sa.Column("from_name", sa.String(), nullable=True),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinion.id"), nullable=True),
        sa.Column("matched_by", sa.String(), nullable=True),
        sa.Column("in_reply_to", sa.String(), nullable=True),
        sa.Column("body", sa.String(), nullable=True),
        sa.Column("quoted", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.CheckConstraint(f"kind IN {INBOUND_KINDS}", name="ck_inbound_kind"),
        sa.CheckConstraint(f"state IN {INBOUND_STATES}", name="ck_inbound_state"),
        sa.CheckConstraint(
            f"matched_by IS NULL OR matched_by IN {MATCHED_BY}", name="ck_inbound_matched_by"
        ),
    )
    op.create_index(
        "ix_event_message_id",
        "event",
        ["message_id"],
        sqlite_where=sa.text("message_id IS NOT NULL"),
        postgresql_where=sa.text("message_id IS NOT NULL"),
    )
    op.create_index("ix_inbound_state", "inbound_message", ["state", "id"])
    op.create_index("ix_inbound_opinion", "inbound_message", ["opinion_id", "id"])
    op.create_index("ix_inbound_from", "inbound_message", ["from_address"])
    op.create_table(
        "inbound_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("inbound_id", sa.Integer(), sa.ForeignKey("inbound_message.id"), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("content_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_inbound_attachment_message", "inbound_attachment", ["inbound_id"])
    op.create_table(
        "inbox_cursor",
        sa.Column("account", sa.String(), primary_key=True),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "address_flag",
        sa.Column("email_hash", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=True),
        sa.Column("flagged_at", sa.DateTime(), nullable=False),
        sa.Column("flagged_by", sa.String(), nullable=False),
    )
    if postgres:
        for table in NOTIFIED:
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION npsdesk_notify()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFIED:
            op.execute(f"DROP TRIGGER {table}_notify ON {table}")
    op.create_index("ix_respondent_cnpj", "respondent", ["cnpj"])
    op.drop_index("ix_respondent_cnpj_email", "respondent")
    for table in ("address_flag", "inbox_cursor", "inbound_attachment", "inbound_message"):
        op.drop_table(table)
    op.drop_index("ix_event_message_id", "event")
    op.execute("DELETE FROM outbox WHERE state = 'bounced'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_state", type_="check")
        batch.drop_column("refs")
        batch.drop_column("in_reply_to")
        batch.create_check_constraint("ck_outbox_state", f"state IN {OLD_OUTBOX_STATES}")
    op.drop_index("ix_opinion_awaiting", "opinion")
    op.drop_index("ix_opinion_queue", "opinion")
    op.create_index(
        "ix_opinion_queue",
        "opinion",
        ["archived", "status", "priority", "deadline", "answered_at", "id"],
    )
    with op.batch_alter_table("opinion") as batch:
        batch.drop_column("lane")
        batch.drop_column("replied_at")
