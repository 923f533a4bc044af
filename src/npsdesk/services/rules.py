"""The team's rules, kept in the store as one team setting (`rules`: the rule tables in the
order they run, as JSON), each change recorded in the settings log under the rule's name.

A rule set is saved only whole and checked: its form (`domain.rules`) and the names it uses
(active analysts, categories, templates), so no rule in the store can fail at run time for
a name that was never there.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from npsdesk.domain.rules import CaseFacts, Rule, RuleError, read_rule, read_rules
from npsdesk.domain.rules_toml import dump_rules
from npsdesk.errors import NotFound
from npsdesk.store import case_reads, mailbox, rule_reads, team
from npsdesk.store.connection import Connection, Row

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

RULES_KEY = "rules"
Table = dict[str, Any]


class RuleBook:
    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.db = services.db
        self.clock = services.clock
        self.actor = actor or services.settings.analyst

    # -- reading -----------------------------------------------------------------------

    def tables(self) -> list[Table]:
        with self.db.read() as conn:
            return _stored(conn)

    def rules(self) -> list[Rule]:
        return read_rules({"rule": self.tables()})

    def rule(self, name: str) -> tuple[int, Rule, Table]:
        """(position from 1, the rule, its table) of the rule named `name`, case aside."""
        for position, table in enumerate(self.tables(), start=1):
            if str(table.get("name", "")).casefold() == name.strip().casefold():
                return position, read_rule(table, position), table
        raise NotFound(f"there is no rule named {name!r}")

    def export_text(self) -> str:
        return dump_rules(self.tables())

    def test(
        self, name: str, since: datetime | None = None, until: datetime | None = None
    ) -> list[Touch]:
        """The cases answered in [since, until) that the rule matches, and what it would
        change on each; nothing is written. A disabled rule is tested as if enabled."""
        _, found, _ = self.rule(name)
        rule = replace(found, enabled=True)
        touched = []
        with self.db.read() as conn:
            for rows in rule_reads.cases_answered(conn, since, until):
                for row in rows:
                    if rule.applies(facts_of(row)):
                        touched.append(Touch(int(row["id"]), changes_of(rule, row)))
        return touched

    # -- changing ----------------------------------------------------------------------

    def import_text(self, text: str, *, replace: bool = False) -> tuple[int, int]:
        """Rules from a TOML file: added after the others, or replacing one of the same
        name in its place; with `replace`, the file's rules are the whole set. (added,
        replaced); nothing saved when any rule is wrong."""
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise RuleError(f"not TOML: {error}") from None
        read_rules(document)  # the file's own form, before anything is compared
        incoming: list[Table] = list(document.get("rule", []))
        with self.db.write() as conn:
            current = [] if replace else _stored(conn)
            names = [str(t["name"]).casefold() for t in current]
            added = replaced = 0
            for table in incoming:
                key = str(table["name"]).strip().casefold()
                if key in names:
                    current[names.index(key)] = table
                    replaced += 1
                else:
                    current.append(table)
                    names.append(key)
                    added += 1
            self._save(conn, current)
        return added, replaced

    def set_enabled(self, name: str, enabled: bool) -> bool:
        return self._edit(name, lambda tables, i: tables[i].__setitem__("enabled", enabled))

    def remove(self, name: str) -> bool:
        return self._edit(name, lambda tables, i: tables.pop(i))

    def move(self, name: str, position: int) -> bool:
        """Put the rule at `position` (from 1) in the order rules run."""

        def moved(tables: list[Table], i: int) -> None:
            table = tables.pop(i)
            tables.insert(max(0, min(position - 1, len(tables))), table)

        return self._edit(name, moved)

    def _edit(self, name: str, change: Any) -> bool:
        with self.db.write() as conn:
            tables = _stored(conn)
            wanted = name.strip().casefold()
            found = [i for i, t in enumerate(tables) if str(t["name"]).casefold() == wanted]
            if not found:
                raise NotFound(f"there is no rule named {name!r}")
            before = json.dumps(tables, ensure_ascii=False)
            change(tables, found[0])
            if json.dumps(tables, ensure_ascii=False) == before:
                return False
            self._save(conn, tables)
            return True

    def _save(self, conn: Connection, tables: list[Table]) -> None:
        rules = read_rules({"rule": tables})
        _check_names(conn, rules)
        old = {str(t["name"]).casefold(): t for t in _stored(conn)}
        new = {str(t["name"]).casefold(): t for t in tables}
        now = self.clock.now()
        text = json.dumps(tables, ensure_ascii=False) if tables else None
        if not team.put(conn, RULES_KEY, text, self.actor, now):
            return
        # the log says which rules changed and how, besides the whole set's new value
        for key in sorted(set(old) | set(new)):
            before, after = old.get(key), new.get(key)
            if before != after:
                team.record_change(
                    conn,
                    at=now,
                    actor=self.actor,
                    setting="rule",
                    item=str((after or before or {}).get("name")),
                    old=None if before is None else dump_rules([before]).strip(),
                    new=None if after is None else dump_rules([after]).strip(),
                )


@dataclass(frozen=True)
class Touch:
    """A case a rule matches, and what it would change there (field, now, then)."""

    opinion_id: int
    changes: tuple[tuple[str, str | None, str], ...]


PRIORITY_OF = {"high": 1, "medium": 2, "low": 3}
PRIORITY_NAME = {1: "high", 2: "medium", 3: "low"}


def facts_of(row: Row) -> CaseFacts:
    return CaseFacts(
        nps_class=str(row["nps_class"]),
        score=int(row["score"]),
        comment=row["comment"],
        vertical=row["vertical"],
        product=row["product"],
        campaign=row["campaign"],
        state=row["state"],
        source=row["source"],
        internal=bool(row["internal"]),
        replied=not int(row["lane"]),
    )


def changes_of(rule: Rule, row: Row) -> tuple[tuple[str, str | None, str], ...]:
    """What the rule's field actions would change on the case: a field an analyst already
    filled keeps its value unless the rule says `overwrite`. Round robin and least loaded
    name the group (who gets it is decided when the rule runs)."""
    then = rule.then
    wanted: list[tuple[str, str | None, str | None]] = [
        ("category", row["category"], then.category),
        ("type", row["type"], then.type),
        ("priority", PRIORITY_NAME.get(int(row["priority"])), then.priority),
    ]
    if then.responsible is not None:
        group = then.responsible.analysts
        chosen = group[0] if then.responsible.how == "fixed" else "/".join(group)
        wanted.append(("responsible", row["responsible"], chosen))
    out = []
    for field_name, now, new in wanted:
        if new is None or now == new:
            continue
        if now is not None and field_name != "priority" and not then.overwrite:
            continue  # set by hand (or by the import): kept
        out.append((field_name, now, new))
    if then.tags:
        out.append(("tags", None, ", ".join(then.tags)))
    if then.followers:
        out.append(("followers", None, ", ".join(then.followers)))
    if then.archive and not row["archived"]:
        out.append(("archived", "no", "yes"))
    return tuple(out)


def _stored(conn: Connection) -> list[Table]:
    value = mailbox.get_setting(conn, RULES_KEY)
    return [] if not value else list(json.loads(value))


def _check_names(conn: Connection, rules: list[Rule]) -> None:
    analysts = {name.casefold() for name in case_reads.analyst_usernames(conn)}
    categories = {name.casefold() for name in case_reads.category_names(conn)}
    templates = {str(row["name"]) for row in mailbox.list_templates(conn)}
    for rule in rules:
        then = rule.then
        people = [*(then.responsible.analysts if then.responsible else ()), *then.followers]
        people += [a for a in then.alert if "@" not in a]  # an alert may name an address
        for username in people:
            if username.casefold() not in analysts:
                raise RuleError(f"rule {rule.name!r}: no active analyst {username!r}")
        if then.category is not None and then.category.casefold() not in categories:
            raise RuleError(f"rule {rule.name!r}: no category {then.category!r}")
        if then.email is not None and then.email[0] not in templates:
            raise RuleError(f"rule {rule.name!r}: no template {then.email[0]!r}")


def as_json(position: int, rule: Rule, table: Mapping[str, Any]) -> dict[str, object]:
    return {
        "position": position,
        "name": rule.name,
        "enabled": rule.enabled,
        "stop": rule.stop,
        "when": table.get("when", {}),
        "then": table.get("then", {}),
    }
