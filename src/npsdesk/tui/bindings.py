"""The desk's keys: every binding has an id (the name a keymap uses to move it) and a
description in the desk's language; `?` lists them all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from npsdesk.tui.context import DeskContext

HELP_TWO_COLUMNS = 140  # columns from which `?` shows the keys in two tables
HELP_ONE_TABLE = 20  # keys that read well in one table whatever the width


@dataclass(frozen=True)
class DeskKey:
    """One key of a desk screen: its id (what a `[keys]` section names), the keys that
    press it, the action it runs, whether the footer shows it."""

    id: str
    keys: str
    action: str
    show: bool = False
    priority: bool = False


# Keys of the list itself (the widget binds them; listed here for `?`).
LIST_KEYS: tuple[DeskKey, ...] = (
    DeskKey("list.down", "down,j", "cursor_down"),
    DeskKey("list.up", "up,k", "cursor_up"),
    DeskKey("list.page_down", "pagedown", "page_down"),
    DeskKey("list.page_up", "pageup", "page_up"),
    DeskKey("list.first", "home", "first"),
    DeskKey("list.last", "end", "last"),
    DeskKey("list.open", "enter", "open"),
    DeskKey("list.toggle", "space", "toggle_row"),
    DeskKey("list.extend_down", "shift+down,J", "extend_down"),
    DeskKey("list.extend_up", "shift+up,K", "extend_up"),
)

DESK_KEYS: tuple[DeskKey, ...] = (
    DeskKey("desk.next_pane", "tab", "next_pane"),
    DeskKey("desk.previous_pane", "shift+tab", "previous_pane"),
    DeskKey("desk.down", "j", "cursor(1)"),
    DeskKey("desk.up", "k", "cursor(-1)"),
    DeskKey("desk.tab_untreated", "1", "tab('untreated')"),
    DeskKey("desk.tab_in_treatment", "2", "tab('in_treatment')"),
    DeskKey("desk.tab_all", "3", "tab('all')"),
    DeskKey("desk.tab_archived", "4", "tab('archived')"),
    DeskKey("desk.tab_mine", "5", "tab('mine')"),
    DeskKey("desk.tab_following", "6", "tab('following')"),
    DeskKey("desk.tab_awaiting", "7", "tab('awaiting')"),
    DeskKey("desk.search", "slash", "search", show=True),
    DeskKey("desk.filter", "f", "filter", show=True),
    DeskKey("desk.back", "escape", "back"),
    DeskKey("desk.note", "n", "note", show=True),
    DeskKey("desk.contact", "c", "contact", show=True),
    DeskKey("desk.email", "e", "email", show=True),
    DeskKey("desk.close", "x", "close_case", show=True),
    DeskKey("desk.archive", "a", "archive", show=True),
    DeskKey("desk.thank", "T", "thank"),
    DeskKey("desk.undo", "u", "undo"),
    DeskKey("desk.responsible", "r", "responsible"),
    DeskKey("desk.follow", "w", "follow"),
    DeskKey("desk.priority", "p", "priority"),
    DeskKey("desk.deadline", "d", "deadline"),
    DeskKey("desk.category", "g", "category"),
    DeskKey("desk.type", "t", "type"),
    DeskKey("desk.select_all", "asterisk", "select_all"),
    DeskKey("desk.dashboard", "D", "dashboard"),
    DeskKey("desk.campaigns", "C", "campaigns"),
    DeskKey("desk.customer", "h", "customer"),
    DeskKey("desk.settings", "S", "settings"),
    DeskKey("desk.refresh", "f5", "refresh"),
    DeskKey("desk.help", "question_mark", "help", show=True),
    DeskKey("desk.quit", "q", "quit", show=True),
)

DASHBOARD_KEYS: tuple[DeskKey, ...] = (
    DeskKey("dashboard.close", "escape,D,q", "close", show=True),
    DeskKey("dashboard.month", "1", "preset('month')", show=True),
    DeskKey("dashboard.30days", "2", "preset('30days')", show=True),
    DeskKey("dashboard.quarter", "3", "preset('quarter')", show=True),
    DeskKey("dashboard.all", "4", "preset('all')", show=True),
    DeskKey("dashboard.period", "f", "edit_period"),  # the period's label says [f]
    DeskKey("dashboard.trend", "t", "toggle_grain", show=True),
    DeskKey("dashboard.down", "down,j", "scroll(1)"),
    DeskKey("dashboard.up", "up,k", "scroll(-1)"),
    DeskKey("dashboard.page_down", "pagedown", "page(1)"),
    DeskKey("dashboard.page_up", "pageup", "page(-1)"),
    DeskKey("dashboard.top", "home", "edge(0)"),
    DeskKey("dashboard.bottom", "end", "edge(1)"),
    DeskKey("dashboard.refresh", "f5", "refresh"),
    DeskKey("dashboard.help", "question_mark", "help", show=True),
)

CAMPAIGNS_KEYS: tuple[DeskKey, ...] = (
    DeskKey("campaigns.close", "escape,C,q", "close", show=True),
    DeskKey("campaigns.reload", "f5", "reload", show=True),
)

CUSTOMER_KEYS: tuple[DeskKey, ...] = (DeskKey("customer.close", "escape,h,q", "close", show=True),)


def bindings(keys: tuple[DeskKey, ...], ctx: DeskContext) -> list[Binding]:
    return [
        Binding(
            k.keys,
            k.action,
            ctx.t(f"key.{k.id}"),
            show=k.show,
            priority=k.priority,
            id=k.id,
        )
        for k in keys
    ]


def install(node: DOMNode, keys: tuple[DeskKey, ...], ctx: DeskContext) -> None:
    """Give `node` these bindings, with descriptions in the desk's language, over the ones
    it inherits (a class's BINDINGS are fixed before the language is known)."""
    merged = dict(node._bindings.key_to_bindings)
    for binding in Binding.make_bindings(bindings(keys, ctx)):
        merged[binding.key] = [binding]
    node._bindings = BindingsMap.from_keys(merged)


class HelpScreen(ModalScreen[None]):
    """Every key of a screen (the desk's and its list's unless told), with what it does and
    its id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", show=False, id="help.close")
    ]

    def __init__(self, ctx: DeskContext, keys: tuple[DeskKey, ...] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.keys = (*DESK_KEYS, *LIST_KEYS) if keys is None else keys

    def describe(self, key: DeskKey) -> str:
        """The longer help text where there is one, else the footer's description."""
        longer = f"help.{key.id}"
        text = self.ctx.t(longer)
        return self.ctx.t(f"key.{key.id}") if text == longer else text

    def _table(self, keys: tuple[DeskKey, ...], *, title: bool, palette: bool) -> Table:
        table = Table(
            title=Text(self.ctx.t("desk.help_title"), style="bold") if title else None,
            box=None,
            padding=(0, 2),
            show_header=True,
        )
        table.add_column(Text(self.ctx.t("desk.help_key")), style="bold cyan", no_wrap=True)
        table.add_column(Text(self.ctx.t("desk.help_does")))
        table.add_column(Text("id"), style="dim", no_wrap=True)
        keymap = self.ctx.services.settings.keymap
        for key in keys:
            chosen = keymap.get(key.id, key.keys)  # as the settings file moved it
            shown = ", ".join(self.app.get_key_display(Binding(k, "")) for k in chosen.split(","))
            table.add_row(Text(shown), Text(self.describe(key)), Text(key.id))
        if palette:
            table.add_row(
                Text(self.app.get_key_display(Binding("ctrl+p", ""))),
                Text(self.ctx.t("key.palette")),
                Text(""),
            )
        return table

    def compose(self) -> ComposeResult:
        every = self.keys
        wide = self.app.size.width >= HELP_TWO_COLUMNS and len(every) > HELP_ONE_TABLE
        self.set_class(wide, "-wide")
        with VerticalScroll(id="help-body"):
            if wide:  # two tables side by side: every key fits on one screen
                half = (len(every) + 1) // 2
                with Horizontal(id="help-columns"):
                    yield Static(self._table(every[:half], title=True, palette=False), markup=False)
                    yield Static(self._table(every[half:], title=False, palette=True), markup=False)
            else:
                yield Static(self._table(every, title=True, palette=True), markup=False)
            yield Static(Text(self.ctx.t("desk.help_footer"), style="dim"), markup=False)


def key_in_force(keymap: Mapping[str, str], key_id: str) -> str:
    """The first key a desk binding answers to, as the settings' `[keys]` may have moved it
    (the details pane names the key that edits each field)."""
    default = next(key.keys for key in DESK_KEYS if key.id == key_id)
    return keymap.get(key_id, default).split(",")[0].strip()


def known_ids() -> frozenset[str]:
    """Every binding id a `[keys]` section may name: the key tables and the forms' own."""
    import inspect

    from npsdesk.tui.forms import choices, form, treatment
    from npsdesk.tui.forms import filter as filter_form
    from npsdesk.tui.forms import mail as mail_form
    from npsdesk.tui.screens import campaigns, dashboard, desk
    from npsdesk.tui.settings import section_keys

    ids = {k.id for k in (*LIST_KEYS, *DESK_KEYS, *DASHBOARD_KEYS, *CAMPAIGNS_KEYS, *CUSTOMER_KEYS)}
    ids |= {k.id for k in section_keys.ALL}
    for module in (campaigns, dashboard, desk, filter_form, form, treatment, choices, mail_form):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for binding in getattr(cls, "BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return frozenset(ids)
