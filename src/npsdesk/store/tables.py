"""The schema, declared once in SQLModel.

Alembic compares migrations against this metadata (a test keeps them in step). At run time
the store issues hand-written SQL through `npsdesk.store.db`: importing SQLModel costs half a
second, which a look-up over SSH cannot afford, and bulk paths need `executemany` speed.

Times are stored as UTC text `YYYY-MM-DD HH:MM:SS` and dates as `YYYY-MM-DD`, so they compare
as strings and index well.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

STATUSES = "('untreated', 'in_treatment', 'closed')"
TYPES = "('praise', 'complaint', 'suggestion', 'none')"
CLASS_OF_SCORE = (
    "nps_class = CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'neutral' "
    "ELSE 'detractor' END"
)


class Analyst(SQLModel, table=True):
    __tablename__ = "analyst"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    name: str
    email: str | None = None
    role: str | None = None
    active: bool = Field(default=True, sa_column_kwargs={"server_default": text("1")})
    created_at: datetime


class Category(SQLModel, table=True):
    __tablename__ = "category"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": text("1")})


class ImportBatch(SQLModel, table=True):
    """One import run. Until `finished_at` is set its rows are written but shown nowhere:
    an import commits in steps (so others can write meanwhile) and lands all at once."""

    __tablename__ = "import_batch"
    __table_args__ = (
        Index(
            "ix_import_batch_open",
            "id",
            sqlite_where=text("finished_at IS NULL"),
            postgresql_where=text("finished_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # responses | customers | demo
    source: str
    file_name: str
    sha256: str
    analyst: str
    started_at: datetime
    finished_at: datetime | None = None
    new_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    rejected_count: int = 0
    duplicate_count: int = 0


class Respondent(SQLModel, table=True):
    __tablename__ = "respondent"
    __table_args__ = (
        Index("ix_respondent_cnpj_email", "cnpj", "email"),
        Index("ix_respondent_email", "email"),
        Index("ix_respondent_phone", "phone"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str | None = None
    email: str | None = None  # lower case
    phone: str | None = None  # E.164
    cnpj: str | None = None  # 14 characters, no punctuation
    company: str | None = None  # razão social
    product: str | None = None
    vertical: str | None = None
    state: str | None = None  # UF
    last_service_at: date | None = None
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    created_at: datetime
    updated_at: datetime


class Opinion(SQLModel, table=True):
    __tablename__ = "opinion"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_opinion_source_external_id"),
        CheckConstraint("score BETWEEN 0 AND 10", name="ck_opinion_score"),
        CheckConstraint(CLASS_OF_SCORE, name="ck_opinion_class"),
        CheckConstraint(f"status IN {STATUSES}", name="ck_opinion_status"),
        CheckConstraint(f"type IS NULL OR type IN {TYPES}", name="ck_opinion_type"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="ck_opinion_priority"),
        # The list: one tab (archived, status) in priority order, read as keyset pages.
        # `lane` 0 (the customer's reply awaits us) comes first within a priority.
        Index(
            "ix_opinion_queue",
            "archived",
            "status",
            "priority",
            "lane",
            "deadline",
            "answered_at",
            "id",
        ),
        Index(
            "ix_opinion_awaiting",
            "id",
            sqlite_where=text("lane = 0"),
            postgresql_where=text("lane = 0"),
        ),
        # NPS of a period without touching the table.
        Index("ix_opinion_answered", "answered_at", "score"),
        Index("ix_opinion_respondent", "respondent_id"),
        Index("ix_opinion_responsible", "responsible_id"),
        Index("ix_opinion_closed", "closed_at"),
        # An import's own opinions: its history, campaign links, thank-yous, its removal.
        Index("ix_opinion_batch", "import_batch_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str
    external_id: str
    respondent_id: int = Field(foreign_key="respondent.id")
    score: int
    nps_class: str
    comment: str | None = None
    sent_at: datetime | None = None
    answered_at: datetime
    campaign: str | None = None
    internal: bool = False
    status: str = "untreated"
    archived: bool = False
    deadline: date
    priority: int
    category_id: int | None = Field(default=None, foreign_key="category.id")
    type: str | None = None
    responsible_id: int | None = Field(default=None, foreign_key="analyst.id")
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    survey_token: str | None = None  # the campaign participant's token, when the export has it
    first_action_at: datetime | None = None
    closed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    version: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})
    replied_at: datetime | None = None  # the customer's latest reply
    lane: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})


class OpinionFollower(SQLModel, table=True):
    __tablename__ = "opinion_follower"

    opinion_id: int = Field(foreign_key="opinion.id", primary_key=True)
    analyst_id: int = Field(foreign_key="analyst.id", primary_key=True)


class Event(SQLModel, table=True):
    """One entry of a case's history. Append-only: triggers refuse UPDATE and DELETE."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_opinion", "opinion_id", "id"),
        Index("ix_event_respondent", "respondent_id", "id"),
        Index("ix_event_actor", "actor"),
        # a customer's reply finds the e-mail it answers (few events carry one)
        Index(
            "ix_event_message_id",
            "message_id",
            sqlite_where=text("message_id IS NOT NULL"),
            postgresql_where=text("message_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    opinion_id: int | None = Field(default=None, foreign_key="opinion.id")
    respondent_id: int | None = Field(default=None, foreign_key="respondent.id")
    at: datetime
    actor: str
    kind: str
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    channel: str | None = None
    outcome: str | None = None
    subject: str | None = None  # e-mails
    body: str | None = None
    message_id: str | None = None  # e-mails: the Message-ID that went out
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class ImportChange(SQLModel, table=True):
    """A change an import under way will make to a row that is already shown (a re-imported
    opinion's survey fields, a known customer's details): applied when the batch lands."""

    __tablename__ = "import_change"
    __table_args__ = (
        CheckConstraint("target IN ('opinion', 'respondent')", name="ck_import_change_target"),
        Index("ix_import_change_batch", "batch_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id")
    target: str
    target_id: int
    payload: str  # JSON: the incoming values, compared again when applied


OUTBOX_STATES = (
    "('draft', 'queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled', 'bounced')"
)


class StoreSetting(SQLModel, table=True):
    """Team-wide settings kept with the data: sender name, reply-to, signature, salts."""

    __tablename__ = "store_setting"

    key: str = Field(primary_key=True)
    value: str
    updated_at: datetime
    updated_by: str


class MailTemplateRow(SQLModel, table=True):
    __tablename__ = "mail_template"

    name: str = Field(primary_key=True)
    subject: str
    body: str
    updated_at: datetime
    updated_by: str


class Outbox(SQLModel, table=True):
    """A message to a customer, from the moment it is decided until the server has it.

    draft -> queued -> sending -> sent | failed (retryable) | unknown (may have arrived);
    queued, failed and unknown can be cancelled. The Message-ID is fixed when queued. A sent
    message whose delivery report comes back is `bounced`. An answer to a customer's reply
    carries the reply's Message-ID (`in_reply_to`) and the thread (`refs`, space-separated).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"state IN {OUTBOX_STATES}", name="ck_outbox_state"),
        Index("ix_outbox_state", "state", "id"),
        Index("ix_outbox_opinion", "opinion_id"),
        Index(
            "ux_outbox_thank_you",
            "opinion_id",
            unique=True,
            sqlite_where=text("kind = 'thank_you' AND state <> 'cancelled'"),
            postgresql_where=text("kind = 'thank_you' AND state <> 'cancelled'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # case | thank_you
    state: str
    opinion_id: int | None = Field(default=None, foreign_key="opinion.id")
    respondent_id: int | None = Field(default=None, foreign_key="respondent.id")
    template: str | None = None
    message_id: str | None = Field(default=None, unique=True)
    to_address: str | None = None
    to_name: str | None = None
    subject: str | None = None
    body: str | None = None
    close_on_send: bool = False
    reason: str | None = None
    retryable: bool = Field(default=True, sa_column_kwargs={"server_default": text("1")})
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    created_at: datetime
    created_by: str
    updated_at: datetime
    sent_at: datetime | None = None
    in_reply_to: str | None = None
    refs: str | None = None


class Coupon(SQLModel, table=True):
    """A bonus code from a pool; given to at most one customer, with the message that has it."""

    __tablename__ = "coupon"
    __table_args__ = (Index("ix_coupon_free", "campaign", "outbox_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign: str
    code: str = Field(unique=True)
    imported_at: datetime
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id", unique=True)
    respondent_id: int | None = Field(default=None, foreign_key="respondent.id")
    assigned_at: datetime | None = None


class Suppression(SQLModel, table=True):
    """Addresses that asked for no contact, kept only as a salted hash."""

    __tablename__ = "suppression"

    id: int | None = Field(default=None, primary_key=True)
    email_hash: str = Field(unique=True)
    reason: str | None = None
    created_at: datetime
    created_by: str


metadata = SQLModel.metadata


class Campaign(SQLModel, table=True):
    """A survey campaign: a period, a daily window, automatic inclusion, an invitation."""

    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ck_campaign_period"),
        CheckConstraint(
            "window_from >= 0 AND window_from < window_to AND window_to <= 24",
            name="ck_campaign_window",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    starts_on: date
    ends_on: date
    window_from: int = 8
    window_to: int = 18
    auto_include: bool = True
    verticals: str | None = None  # "Food;Farma": only these (empty: all)
    products: str | None = None
    link_template: str
    subject: str
    body: str
    active: bool = True
    created_at: datetime
    created_by: str
    updated_at: datetime


class Participant(SQLModel, table=True):
    """A customer included in a campaign: at most one per campaign (a constraint)."""

    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("campaign_id", "customer_key", name="uq_participant_customer"),
        Index("ix_participant_email", "email", "included_at"),
        Index("ix_participant_cnpj", "cnpj", "included_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id")
    respondent_id: int = Field(foreign_key="respondent.id")
    customer_key: str
    email: str | None = None
    cnpj: str | None = None
    token: str = Field(unique=True)
    included_at: datetime
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id")
    opinion_id: int | None = Field(default=None, foreign_key="opinion.id")
    responded_at: datetime | None = None


class ProcessingLog(SQLModel, table=True):
    """The record of processing (LGPD Art. 37): exports and erasures, without personal data.

    `subject` is the salted hash of the identifier asked for, never the identifier itself.
    """

    __tablename__ = "processing_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str
    action: str  # subject_export | subject_erase | bulk_export
    subject: str | None = None
    records: int = 0
    detail: str | None = None


class SettingChange(SQLModel, table=True):
    """A change to the team's settings or registry: who, when, what, old -> new.

    `setting` names what changed (`category`, `analyst.email`, `template.body`,
    `deadlines.neutral`, `sender.name`...); `item` which entry (the category, the analyst's
    username, the template), when the setting has several.
    """

    __tablename__ = "setting_change"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str
    setting: str
    item: str | None = None
    old_value: str | None = None
    new_value: str | None = None


# the tables of later features, declared in their own modules on the same metadata
from npsdesk.store import tables_autopilot as tables_autopilot  # noqa: E402
from npsdesk.store import tables_replies as tables_replies  # noqa: E402
