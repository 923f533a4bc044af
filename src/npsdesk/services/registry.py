"""The team's registry: the categories cases are filed under and the analysts who treat them.

Adding validates and refuses duplicates (category names ignoring case); removing takes the
entry out of the desk's choices but keeps it on the cases and in the history that name it;
adding it again brings it back. Every change is recorded in the settings log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from npsdesk.domain import registry as rules
from npsdesk.domain.registry import RegistryError
from npsdesk.errors import NotFound
from npsdesk.store import registry, team
from npsdesk.store.connection import Connection, Row

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

# What an add or a remove did.
ADDED = "added"
REACTIVATED = "reactivated"
UPDATED = "updated"
UNCHANGED = "unchanged"
DEACTIVATED = "deactivated"  # removed from the choices, kept on the cases that have it
DELETED = "deleted"  # nothing referred to it


@dataclass(frozen=True)
class Category:
    name: str
    active: bool
    cases: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "active": self.active, "cases": self.cases}


@dataclass(frozen=True)
class Analyst:
    username: str
    name: str
    email: str | None
    role: str | None
    active: bool
    cases: int  # responsible for

    def to_json(self) -> dict[str, object]:
        return {
            "username": self.username,
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "active": self.active,
            "cases": self.cases,
        }


@dataclass(frozen=True)
class RegistryChange:
    """What happened to `name`; `cases` are those that keep a deactivated entry."""

    what: str
    name: str
    cases: int = 0
    note: str | None = None  # a consequence worth saying (the thank-you category removed)


class Registry:
    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.actor = actor or services.settings.analyst

    def _record(
        self,
        conn: Connection,
        setting: str,
        item: str,
        old: str | None,
        new: str | None,
    ) -> None:
        team.record_change(
            conn,
            at=self.clock.now(),
            actor=self.actor,
            setting=setting,
            item=item,
            old=old,
            new=new,
        )

    # -- categories ------------------------------------------------------------------------

    def categories(self, *, include_removed: bool = True) -> list[Category]:
        with self.db.read() as conn:
            rows = registry.categories(conn)
        found = [Category(str(r["name"]), bool(r["active"]), int(r["cases"])) for r in rows]
        return found if include_removed else [c for c in found if c.active]

    def add_category(self, name: str) -> RegistryChange:
        """A new category, or a removed one (same name ignoring case) back in the choices."""
        wanted = rules.check_category(name)
        with self.db.write() as conn:
            same = [r for r in registry.categories(conn) if rules.same_name(r["name"], wanted)]
            active = [r for r in same if r["active"]]
            if active:
                raise RegistryError(
                    f"category {active[0]['name']!r} already exists",
                    "category.exists",
                    name=active[0]["name"],
                )
            if same:
                row = same[0]
                registry.set_category_active(conn, int(row["id"]), True)
                self._record(conn, "category", str(row["name"]), "removed", "active")
                return RegistryChange(REACTIVATED, str(row["name"]), int(row["cases"]))
            registry.add_category(conn, wanted)
            self._record(conn, "category", wanted, None, "active")
            return RegistryChange(ADDED, wanted)

    def remove_category(self, name: str) -> RegistryChange:
        with self.db.write() as conn:
            row = self._category(conn, name)
            stored = str(row["name"])
            if not row["active"]:
                raise RegistryError(
                    f"category {stored!r} was already removed", "category.removed", name=stored
                )
            cases = int(row["cases"])
            if cases:
                registry.set_category_active(conn, int(row["id"]), False)
                self._record(conn, "category", stored, "active", "removed")
            else:
                registry.delete_category(conn, int(row["id"]))
                self._record(conn, "category", stored, "active", "deleted")
        note = None
        wanted = self.services.settings.thank_you_category
        if wanted and rules.same_name(wanted, stored):
            note = (
                f"thank-yous close with the category {stored!r} (promoters.close_category): "
                "they will be sent but not closed until it is added again"
            )
        return RegistryChange(DEACTIVATED if cases else DELETED, stored, cases, note)

    @staticmethod
    def _category(conn: Connection, name: str) -> Row:
        rows = registry.categories(conn)
        for row in rows:
            if row["name"] == name.strip():
                return row
        for row in rows:
            if rules.same_name(row["name"], name):
                return row
        known = ", ".join(str(r["name"]) for r in rows if r["active"])
        key = "refusal.registry.no_category" + ("" if known else "_yet")
        raise NotFound(key=key, name=name.strip(), known=known)

    # -- analysts ----------------------------------------------------------------------------

    def analysts(self, *, include_removed: bool = True) -> list[Analyst]:
        with self.db.read() as conn:
            rows = registry.analysts(conn)
        found = [
            Analyst(
                username=str(r["username"]),
                name=str(r["name"] or r["username"]),
                email=r["email"],
                role=r["role"],
                active=bool(r["active"]),
                cases=int(r["cases"]),
            )
            for r in rows
        ]
        return found if include_removed else [a for a in found if a.active]

    def add_analyst(
        self,
        username: str,
        *,
        name: str | None = None,
        email: str | None = None,
        role: str | None = None,
    ) -> RegistryChange:
        """A new analyst; for one already known (created on their first action, or removed),
        the details given replace the stored ones and a removed analyst comes back.
        An empty e-mail or role clears it; None leaves it as it is."""
        user = rules.check_username(username)
        given_name = None if name is None else rules.check_display_name(name)
        given_email = None if email is None else (rules.check_email(email) or "")
        given_role = None if role is None else (rules.check_role(role) or "")
        with self.db.write() as conn:
            row = registry.analyst(conn, user)
            if row is None:
                registry.add_analyst(
                    conn,
                    user,
                    given_name or user,
                    given_email or None,
                    given_role or None,
                    self.clock.now(),
                )
                self._record(conn, "analyst", user, None, "active")
                for column, value in (("email", given_email), ("role", given_role)):
                    if value:
                        self._record(conn, f"analyst.{column}", user, None, value)
                if given_name and given_name != user:
                    self._record(conn, "analyst.name", user, None, given_name)
                return RegistryChange(ADDED, user)
            changes: dict[str, object] = {}
            wanted = {"name": given_name, "email": given_email, "role": given_role}
            for column, value in wanted.items():
                if value is None:
                    continue
                new = value or None
                if new != row[column]:
                    changes[column] = new
                    self._record(conn, f"analyst.{column}", user, row[column], new)
            if not row["active"]:
                changes["active"] = True
                self._record(conn, "analyst", user, "removed", "active")
            registry.update_analyst(conn, int(row["id"]), changes)
            if not row["active"]:
                return RegistryChange(
                    REACTIVATED, user, registry.analyst_cases(conn, int(row["id"]))
                )
        return RegistryChange(UPDATED if changes else UNCHANGED, user)

    def remove_analyst(self, username: str) -> RegistryChange:
        user = username.strip()
        with self.db.write() as conn:
            row = registry.analyst(conn, user)
            if row is None:
                known = ", ".join(a["username"] for a in registry.analysts(conn) if a["active"])
                key = "refusal.registry.no_analyst" + ("" if known else "_yet")
                raise NotFound(key=key, name=user, known=known)
            if not row["active"]:
                raise RegistryError(
                    f"analyst {user!r} was already removed", "analyst.removed", name=user
                )
            analyst_id = int(row["id"])
            if registry.analyst_references(conn, analyst_id, user):
                registry.update_analyst(conn, analyst_id, {"active": False})
                self._record(conn, "analyst", user, "active", "removed")
                return RegistryChange(DEACTIVATED, user, registry.analyst_cases(conn, analyst_id))
            registry.delete_analyst(conn, analyst_id)
            self._record(conn, "analyst", user, "active", "deleted")
            return RegistryChange(DELETED, user)
