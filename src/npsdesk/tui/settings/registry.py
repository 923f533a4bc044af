"""The settings screen's registry sections: categories and analysts.

Removing takes an entry out of the desk's choices; the cases and the history that name it
keep it, and `r` (or adding the same name) brings it back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from npsdesk.services import registry as r
from npsdesk.services.registry import Analyst, Category, Registry, RegistryChange
from npsdesk.tui.bindings import DeskKey
from npsdesk.tui.context import safe
from npsdesk.tui.settings.section import SettingsPane
from npsdesk.tui.settings.section_keys import ANALYST_KEYS, CATEGORY_KEYS

SAID = {  # what an add or remove did -> the text that says it (after "settings.cat.")
    r.ADDED: "added",
    r.REACTIVATED: "back",
    r.UPDATED: "updated",
    r.DEACTIVATED: "deactivated",
    r.DELETED: "deleted",
}


class EntryTable(DataTable[Text]):
    """The list of entries: home and end go to the first and last row, j and k move, as on
    the desk's list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
    ]


def _table(widget_id: str) -> EntryTable:
    return EntryTable(id=widget_id, cursor_type="row", zebra_stripes=True)


def _label(text: str) -> Static:
    return Static(Text(text), classes="settings-label -short", markup=False)


class RegistryPane(SettingsPane):
    """A table of entries with add, remove and restore keys."""

    prefix: ClassVar[str] = ""  # texts: settings.cat.* or settings.an.*

    @property
    def registry(self) -> Registry:
        return self.ctx.services.registry(self.ctx.analyst)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def entry(self) -> Widget | None:
        return self.table

    def _state(self, active: bool) -> Text:
        if active:
            return Text(self.ctx.t(self.active_key), style="green")
        return Text(self.ctx.t(self.removed_key), style="dim")

    active_key: ClassVar[str] = "settings.active"
    removed_key: ClassVar[str] = "settings.removed"

    def _move_to(self, key: str | None) -> None:
        if key is None:
            return
        try:
            self.table.move_cursor(row=self.table.get_row_index(key))
        except RowDoesNotExist:  # it left the table (deleted): the cursor stays
            return

    def current(self) -> str | None:
        """The key (category name or username) of the row under the cursor."""
        table = self.table
        if not table.row_count:
            self.say(self.ctx.t("settings.no_row"), error=True)
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)

    def load(self, keep: str | None = None) -> None:
        """Read the entries again; the cursor stays on `keep`."""

    def reloaded(self, keep: str, outcome: RegistryChange) -> None:
        """After a change went through: the table read again, and what it did said."""
        self.load(keep=keep)
        self.said(outcome)

    def said(self, outcome: RegistryChange) -> None:
        key = f"{self.prefix}.{SAID.get(outcome.what, 'updated')}"
        if outcome.what == r.UNCHANGED:
            key = "settings.nothing_changed"
        self.say(self.ctx.t_n(key, outcome.cases, name=f"'{outcome.name}'"))
        if outcome.note:
            self.app.notify(outcome.note, severity="warning", markup=False, timeout=12)


class CategoriesPane(RegistryPane):
    KEYS: ClassVar[tuple[DeskKey, ...]] = CATEGORY_KEYS
    section = "categories"
    prefix = "settings.cat"

    def compose(self) -> ComposeResult:
        yield Static(
            Text(self.ctx.t("settings.cat.hint"), style="dim"),
            classes="settings-hint",
            markup=False,
        )
        yield Input(
            placeholder=self.ctx.t("settings.cat.new"), id="category-name", compact=self.small
        )
        yield _table("category-table")

    def on_mount(self) -> None:
        t = self.ctx.t
        for label in ("settings.col.name", "settings.col.cases", "settings.col.state"):
            self.table.add_column(Text(t(label)))
        self.load()

    def load(self, keep: str | None = None) -> None:
        self.rows: list[Category] = self.registry.categories()
        table = self.table
        table.clear()
        for c in self.rows:
            cases = Text(self.ctx.count(c.cases), justify="right")
            table.add_row(safe(c.name), cases, self._state(c.active), key=c.name)
        self._move_to(keep)

    @on(Input.Submitted, "#category-name")
    def save(self) -> None:
        field = self.query_one("#category-name", Input)
        if not field.value.strip() and not field.has_focus:
            return  # ctrl+s on the table with nothing typed
        registry, name = self.registry, field.value

        def added(outcome: RegistryChange) -> None:
            if field.value == name:  # typed on while it saved: that stays
                field.value = ""
            self.load(keep=outcome.name)
            self.said(outcome)

        self.write(lambda: registry.add_category(name), added)

    def dirty(self) -> bool:
        return bool(self.query_one("#category-name", Input).value.strip())

    def action_add(self) -> None:
        self.query_one("#category-name", Input).focus()

    def action_remove(self) -> None:
        name = self.current()
        if name is None:
            return
        registry = self.registry
        self.write(lambda: registry.remove_category(name), lambda o: self.reloaded(name, o))

    def action_restore(self) -> None:
        name = self.current()
        if name is None:
            return
        if next(c for c in self.rows if c.name == name).active:
            self.say(self.ctx.t("settings.cat.is_active", name=f"'{name}'"))
            return
        registry = self.registry
        self.write(lambda: registry.add_category(name), lambda o: self.reloaded(o.name, o))


FIELDS = ("username", "name", "email", "role")


class AnalystsPane(RegistryPane):
    KEYS: ClassVar[tuple[DeskKey, ...]] = ANALYST_KEYS
    section = "analysts"
    prefix = "settings.an"
    active_key = "settings.an.active"
    removed_key = "settings.an.removed"

    def compose(self) -> ComposeResult:
        t = self.ctx.t
        yield Static(
            Text(t("settings.an.hint"), style="dim"), classes="settings-hint", markup=False
        )
        yield _table("analyst-table")
        for pair in (FIELDS[:2], FIELDS[2:]):
            with Horizontal(classes="settings-row"):
                for name in pair:
                    yield _label(t(f"settings.an.{name}"))
                    yield Input(id=f"analyst-{name}", compact=self.small)

    def on_mount(self) -> None:
        for label in ("an.username", "an.name", "col.cases", "col.state", "an.role", "an.email"):
            self.table.add_column(Text(self.ctx.t(f"settings.{label}")))
        self.loaded = ("", "", "", "")
        self.load()

    def load(self, keep: str | None = None) -> None:
        self.rows: list[Analyst] = self.registry.analysts()
        table = self.table
        table.clear()
        for a in self.rows:
            table.add_row(
                Text(a.username),
                safe(a.name),
                Text(self.ctx.count(a.cases), justify="right"),
                self._state(a.active),
                safe(a.role),
                safe(a.email),
                key=a.username,
            )
        self._move_to(keep)

    def _field(self, name: str) -> Input:
        return self.query_one(f"#analyst-{name}", Input)

    def form(self) -> tuple[str, ...]:
        return tuple(self._field(name).value for name in FIELDS)

    def fill(self, analyst: Analyst | None) -> None:
        values = ("", "", "", "")
        if analyst is not None:
            values = (analyst.username, analyst.name, analyst.email or "", analyst.role or "")
        for name, value in zip(FIELDS, values, strict=True):
            self._field(name).value = value
        self.loaded = values

    @on(DataTable.RowSelected, "#analyst-table")
    def _edit(self, event: DataTable.RowSelected) -> None:
        username = event.row_key.value
        self.fill(next(a for a in self.rows if a.username == username))
        self._field("name").focus()

    @on(Input.Submitted)
    def save(self) -> None:
        username, name, email, role = self.form()
        if not any(value.strip() for value in self.form()):
            return
        registry = self.registry

        def added(outcome: RegistryChange) -> None:
            self.load(keep=outcome.name)
            self.fill(next(a for a in self.rows if a.username == outcome.name))
            self.said(outcome)

        self.write(
            lambda: registry.add_analyst(username, name=name or None, email=email, role=role),
            added,
        )

    def dirty(self) -> bool:
        return self.form() != self.loaded and any(v.strip() for v in self.form())

    def action_add(self) -> None:
        self.fill(None)
        self._field("username").focus()

    def action_remove(self) -> None:
        username = self.current()
        if username is None:
            return
        registry = self.registry
        self.write(lambda: registry.remove_analyst(username), lambda o: self.reloaded(username, o))

    def action_restore(self) -> None:
        username = self.current()
        if username is None:
            return
        if next(a for a in self.rows if a.username == username).active:
            self.say(self.ctx.t("settings.an.is_active", name=f"'{username}'"))
            return
        registry = self.registry
        self.write(lambda: registry.add_analyst(username), lambda o: self.reloaded(username, o))
