"""The tables of the autopilot: tags on cases, bulk changes kept for undo, and where a rule
has already acted (see `npsdesk.store.tables`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class OpinionTag(SQLModel, table=True):
    """A free label on a case, kept folded to lower case; many per case."""

    __tablename__ = "opinion_tag"
    __table_args__ = (Index("ix_opinion_tag_tag", "tag", "opinion_id"),)

    opinion_id: int = Field(foreign_key="opinion.id", primary_key=True)
    tag: str = Field(primary_key=True)


class ChangeSet(SQLModel, table=True):
    """A bulk change (a rule applied, a macro, a bulk verb) kept so that `npsdesk undo` and
    the desk's `u` can put back what it changed. `payload` is JSON: the cases' values
    before, and the followers and tags it added; `last_event` the history's last id when it
    was made, so a case changed since is left alone."""

    __tablename__ = "change_set"
    __table_args__ = (Index("ix_change_set_actor", "actor", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str
    verb: str
    label: str | None = None
    payload: str
    last_event: int
    undone_at: datetime | None = None
    undone_by: str | None = None


class RuleHit(SQLModel, table=True):
    """A rule has acted on a case on this occasion (`import`, `reply:<message id>`,
    `schedule`): it does not act there again, so a re-run alerts nobody twice."""

    __tablename__ = "rule_hit"
    __table_args__ = (Index("ix_rule_hit_opinion", "opinion_id"),)

    rule: str = Field(primary_key=True)
    opinion_id: int = Field(foreign_key="opinion.id", primary_key=True)
    occasion: str = Field(primary_key=True)
    at: datetime
