"""Opening a store at the program's schema: create, upgrade in place, or refuse.

The check costs one query through sqlite3; Alembic (and SQLAlchemy, ~0.7 s to import) is
loaded only when a store has to be created or upgraded.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from npsdesk.errors import StoreTooNew, StoreUnreadable
from npsdesk.store.db import Database

if TYPE_CHECKING:
    from npsdesk.store.connection import Store
    from npsdesk.store.pg import PgDatabase

# Every revision in order; the last one is the schema this program writes.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011")
HEAD = REVISIONS[-1]
MIGRATIONS = Path(__file__).parent / "migrations"


def current_revision(db: Store) -> str | None:
    """The store's revision, or None for a new, empty store."""
    if db.dialect == "postgresql":
        return _pg_revision(db)  # type: ignore[arg-type]
    conn = db.connection()
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        if tables[0]:
            raise StoreUnreadable(f"{db.path} is an SQLite file but not an npsdesk store") from None
        return None
    except sqlite3.DatabaseError as error:
        raise StoreUnreadable(f"{db.path} is not a readable npsdesk store ({error})") from error
    return None if row is None else str(row[0])


def _pg_revision(db: PgDatabase) -> str | None:
    conn = db.connection()
    present = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name IN ('alembic_version', 'opinion')"
    ).fetchone()[0]
    if not present:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()[0]
        if tables:
            raise StoreUnreadable(f"{db.label} holds tables but is not an npsdesk store")
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def ensure_schema(db: Store) -> Path | None:
    """Bring the store to HEAD. Returns the backup made before an upgrade, if any."""
    revision = current_revision(db)
    if revision == HEAD:
        return None
    if revision is not None and revision not in REVISIONS:
        raise StoreTooNew(
            f"store {_label(db)} has schema {revision}, newer than this npsdesk knows "
            f"(up to {HEAD}): upgrade npsdesk to open it"
        )
    if db.dialect == "postgresql":  # one transaction: DDL rolls back with the rest
        upgrade_team_store(db, HEAD)  # type: ignore[arg-type]
        return None
    assert isinstance(db, Database)
    backup = backup_store(db) if revision is not None else None
    upgrade(db.path, HEAD)
    return backup


def _label(db: Store) -> str:
    return db.label


def backup_store(db: Database) -> Path:
    """Copy the store (consistently, WAL included) next to it with a timestamp."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = db.path.with_name(f"{db.path.name}.{stamp}.bak")
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))  # the copy is as private
    with sqlite3.connect(target) as copy:
        db.connection().backup(copy)
    copy.close()
    return target


def upgrade(path: Path, revision: str) -> None:
    """Run Alembic migrations on the file up to `revision`."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


# Taken for the length of an upgrade, so two analysts opening a new release at once run
# the migrations one after the other (the second finds nothing left to do).
UPGRADE_LOCK = 0x6E7073  # "nps"


def upgrade_team_store(db: PgDatabase, revision: str) -> None:
    """Run the migrations on the team store in one transaction, as the database's owner
    role when the analyst belongs to it, so every member can use what they create."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: db.connect(plain=True), poolclass=NullPool
    )
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
            owner = connection.execute(
                text(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database "
                    "WHERE datname = current_database()"
                )
            ).scalar_one()
            member = connection.execute(
                text("SELECT pg_has_role(session_user, :owner, 'MEMBER')"), {"owner": owner}
            ).scalar_one()
            if member:
                quoted = str(owner).replace('"', '""')
                connection.execute(text(f'SET LOCAL ROLE "{quoted}"'))
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
