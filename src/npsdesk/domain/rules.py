"""Autopilot rules: when a case is like this, do that. Plain data, read from the TOML a team
keeps in version control, checked when read, and matched against a case's facts.

```toml
[[rule]]
name = "Instabilidade Farma e Retail"
when.class = ["detractor"]                 # any of
when.vertical = ["Farma", "Retail"]        # any of
when.comment_has = ["cair", "fora do ar"]  # any of; stems and phrases
when.not.campaign = ["Piloto"]             # any condition, negated
then.category = "Instabilidade"
then.responsible = { round_robin = ["ana", "bruno"] }  # or "ana", or { least_loaded = [...] }
then.followers = ["carla"]
then.tags = ["instabilidade"]
then.alert = ["supervisao@empresa.example"]
```

All conditions must hold. Whether the names a rule uses exist (analysts, categories,
templates) is the store's to check when the rule is saved; this module checks its shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from npsdesk.domain.comment_terms import CommentTerms
from npsdesk.domain.models import DomainError

CLASSES = ("detractor", "neutral", "promoter")
TYPES = ("praise", "complaint", "suggestion", "none")
PRIORITIES = ("high", "medium", "low")
# conditions on one text field of the case: any of the listed values, case aside
TEXT_FIELDS = ("vertical", "product", "campaign", "state", "source")
FLAG_FIELDS = ("internal", "replied")
WHEN_KEYS = frozenset({"class", "score", "comment_has", *TEXT_FIELDS, *FLAG_FIELDS, "not"})
THEN_KEYS = frozenset(
    {
        "category",
        "type",
        "priority",
        "deadline_days",
        "responsible",
        "followers",
        "tags",
        "alert",
        "email",
        "archive",
        "overwrite",
    }
)
RULE_KEYS = frozenset({"name", "enabled", "stop", "when", "then"})


class RuleError(DomainError):
    """A rule that cannot be used as written; the message names the rule and what is wrong."""


@dataclass(frozen=True)
class CaseFacts:
    """What a rule may look at in a case."""

    nps_class: str
    score: int
    comment: str | None = None
    vertical: str | None = None
    product: str | None = None
    campaign: str | None = None
    state: str | None = None
    source: str | None = None
    internal: bool = False
    replied: bool = False


@dataclass(frozen=True)
class Conditions:
    classes: frozenset[str] = frozenset()
    score: tuple[int, int] | None = None
    comment: CommentTerms | None = None
    texts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    flags: Mapping[str, bool] = field(default_factory=dict)

    def hold(self, case: CaseFacts) -> bool:
        """Every condition given holds (none given: always)."""
        if self.classes and case.nps_class not in self.classes:
            return False
        if self.score is not None and not self.score[0] <= case.score <= self.score[1]:
            return False
        if self.comment is not None and not self.comment.matches(case.comment):
            return False
        for name, wanted in self.texts.items():
            value = getattr(case, name)
            if value is None or value.casefold() not in wanted:
                return False
        return all(bool(getattr(case, name)) == wanted for name, wanted in self.flags.items())

    def any_hold(self, case: CaseFacts) -> bool:
        """Some condition given holds: what a negated block refuses."""
        parts = [
            Conditions(classes=self.classes) if self.classes else None,
            Conditions(score=self.score) if self.score else None,
            Conditions(comment=self.comment) if self.comment else None,
            *(Conditions(texts={k: v}) for k, v in self.texts.items()),
            *(Conditions(flags={k: v}) for k, v in self.flags.items()),
        ]
        return any(part.hold(case) for part in parts if part is not None)


@dataclass(frozen=True)
class Responsible:
    """A fixed analyst, or one of a group: in turn, or the one with fewest open cases."""

    how: str  # fixed | round_robin | least_loaded
    analysts: tuple[str, ...]


@dataclass(frozen=True)
class Actions:
    category: str | None = None
    type: str | None = None
    priority: str | None = None
    deadline_days: int | None = None
    responsible: Responsible | None = None
    followers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    alert: tuple[str, ...] = ()
    email: tuple[str, str] | None = None  # (template, draft | queue | send_close)
    archive: bool = False
    overwrite: bool = False  # set fields an analyst set by hand too


@dataclass(frozen=True)
class Rule:
    name: str
    when: Conditions
    unless: Conditions | None
    then: Actions
    enabled: bool = True
    stop: bool = False  # no later rule runs on a case this one matched

    def applies(self, case: CaseFacts) -> bool:
        if not self.enabled or not self.when.hold(case):
            return False
        return self.unless is None or not self.unless.any_hold(case)


def read_rules(document: Mapping[str, Any]) -> list[Rule]:
    """The `[[rule]]` tables of a parsed TOML document, in order; `RuleError` naming the
    first rule (by name or position) that is wrong and how."""
    tables = document.get("rule", [])
    if not isinstance(tables, list):
        raise RuleError("rules are written as [[rule]] tables")
    unknown = set(document) - {"rule"}
    if unknown:
        raise RuleError(f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    rules = [read_rule(table, position) for position, table in enumerate(tables, start=1)]
    names = [rule.name.casefold() for rule in rules]
    twice = sorted({rule.name for rule in rules if names.count(rule.name.casefold()) > 1})
    if twice:
        raise RuleError(f"two rules are named {twice[0]!r}")
    return rules


def read_rule(table: Any, position: int = 1) -> Rule:
    if not isinstance(table, Mapping):
        raise RuleError(f"rule {position} is not a table")
    name = table.get("name")
    label = f"rule {name!r}" if isinstance(name, str) and name.strip() else f"rule {position}"
    try:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("needs a name")
        _unknown(table, RULE_KEYS, "")
        when = table.get("when", {})
        _table(when, "when")
        conditions = _conditions(when, "when.")
        negated = when.get("not")
        unless = None
        if negated is not None:
            _table(negated, "when.not")
            if "not" in negated:
                raise ValueError("when.not cannot hold another not")
            unless = _conditions(negated, "when.not.")
        then = table.get("then")
        if then is None:
            raise ValueError("needs at least one then.* action")
        _table(then, "then")
        actions = _actions(then)
        if actions == Actions(overwrite=actions.overwrite):
            raise ValueError("needs at least one then.* action")
        return Rule(
            name=name.strip(),
            when=conditions,
            unless=unless,
            then=actions,
            enabled=_flag(table, "enabled", True, ""),
            stop=_flag(table, "stop", False, ""),
        )
    except ValueError as error:
        raise RuleError(f"{label}: {error}") from None


def _table(value: Any, where: str) -> None:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a table")


def _unknown(table: Mapping[str, Any], known: frozenset[str], prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"unknown key {prefix}{unknown[0]}")


def _flag(table: Mapping[str, Any], key: str, default: bool, prefix: str) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{prefix}{key} must be true or false")
    return value


def _names(value: Any, where: str) -> tuple[str, ...]:
    """A name or a list of names (non-empty strings), kept in order, without repeats."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where} must be a name or a list of names")
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise ValueError(f"{where} must list non-empty names")
    return tuple(dict.fromkeys(item.strip() for item in items))


def _conditions(table: Mapping[str, Any], prefix: str) -> Conditions:
    _unknown(table, WHEN_KEYS, prefix)
    classes: frozenset[str] = frozenset()
    if "class" in table:
        classes = frozenset(name.casefold() for name in _names(table["class"], prefix + "class"))
        wrong = sorted(classes - set(CLASSES))
        if wrong:
            raise ValueError(f"{prefix}class {wrong[0]!r} is not one of {', '.join(CLASSES)}")
    score = None
    if "score" in table:
        score = _score(table["score"], prefix + "score")
    comment = None
    if "comment_has" in table:
        comment = CommentTerms.of(_names(table["comment_has"], prefix + "comment_has"))
    texts = {
        name: frozenset(v.casefold() for v in _names(table[name], prefix + name))
        for name in TEXT_FIELDS
        if name in table
    }
    flags = {name: _flag(table, name, True, prefix) for name in FLAG_FIELDS if name in table}
    return Conditions(classes, score, comment, texts, flags)


def _score(value: Any, where: str) -> tuple[int, int]:
    """`6` (that score), `[0, 6]` (a range, both ends included)."""
    if isinstance(value, int) and not isinstance(value, bool):
        low = high = value
    elif (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        low, high = value
    else:
        raise ValueError(f"{where} must be a score or [lowest, highest]")
    if not 0 <= low <= high <= 10:
        raise ValueError(f"{where} must lie within 0-10, lowest first")
    return low, high


def _actions(table: Mapping[str, Any]) -> Actions:
    _unknown(table, THEN_KEYS, "then.")
    category = _one(table, "category")
    kind = _choice(table, "type", TYPES)
    priority = _choice(table, "priority", PRIORITIES)
    days = table.get("deadline_days")
    if days is not None and (
        not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 90
    ):
        raise ValueError("then.deadline_days must be 0-90 business days")
    lists = {
        key: _names(table[key], f"then.{key}") if key in table else ()
        for key in ("followers", "tags", "alert")
    }
    return Actions(
        category=category,
        type=kind,
        priority=priority,
        deadline_days=days,
        responsible=_responsible(table.get("responsible")),
        followers=lists["followers"],
        tags=tuple(tag.casefold() for tag in lists["tags"]),
        alert=lists["alert"],
        email=_email(table.get("email")),
        archive=_flag(table, "archive", False, "then."),
        overwrite=_flag(table, "overwrite", False, "then."),
    )


def _one(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"then.{key} must be a name")
    return value.strip()


def _choice(table: Mapping[str, Any], key: str, choices: Sequence[str]) -> str | None:
    value = _one(table, key)
    if value is not None and value not in choices:
        raise ValueError(f"then.{key} {value!r} is not one of {', '.join(choices)}")
    return value


def _responsible(value: Any) -> Responsible | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return Responsible("fixed", (value.strip(),))
    if isinstance(value, Mapping) and len(value) == 1:
        ((how, analysts),) = value.items()
        if how in ("round_robin", "least_loaded"):
            return Responsible(how, _names(analysts, f"then.responsible.{how}"))
    raise ValueError(
        'then.responsible must be "username", { round_robin = [...] } or { least_loaded = [...] }'
    )


EMAIL_MODES = ("draft", "queue", "send_close")


def _email(value: Any) -> tuple[str, str] | None:
    """`"detractor"` (a draft of that template) or `{ template = "...", mode = "queue" }`."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip(), "draft"
    if isinstance(value, Mapping) and set(value) <= {"template", "mode"}:
        template, mode = value.get("template"), value.get("mode", "draft")
        if isinstance(template, str) and template.strip() and mode in EMAIL_MODES:
            return template.strip(), mode
    raise ValueError(
        'then.email must be "template" or { template = "...", mode = "draft|queue|send_close" }'
    )
