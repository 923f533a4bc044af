"""The team settings screen (`S` on the desk): categories, analysts, templates, sender,
bonus, deadlines and replies, one tab each (keys 1-7), all by keyboard.

Changes apply to everyone using the store and each is recorded (`npsdesk settings log`).
Escape leaves; with unsaved edits it first says where they are, and a second escape leaves
without them.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from npsdesk.tui.bindings import install
from npsdesk.tui.context import DeskContext
from npsdesk.tui.settings.mail import SenderPane, TemplatesPane
from npsdesk.tui.settings.policy import BonusPane, DeadlinesPane
from npsdesk.tui.settings.registry import AnalystsPane, CategoriesPane
from npsdesk.tui.settings.replies import RepliesPane
from npsdesk.tui.settings.section import SettingsPane
from npsdesk.tui.settings.section_keys import SECTIONS, SETTINGS_KEYS

PANES: tuple[type[SettingsPane], ...] = (
    CategoriesPane,
    AnalystsPane,
    TemplatesPane,
    SenderPane,
    BonusPane,
    DeadlinesPane,
    RepliesPane,
)


class SettingsScreen(Screen[None]):
    AUTO_FOCUS = ""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        install(self, SETTINGS_KEYS, ctx)
        self.warned = False  # unsaved edits were pointed out: the next escape leaves

    def compose(self) -> ComposeResult:
        small = self.app.size.width < 100 or self.app.size.height < 36
        self.set_class(small, "-small")
        title = Text(self.ctx.t("settings.title"), style="bold")
        title.append("  " + self.ctx.t("settings.subtitle"), style="dim")
        yield Static(title, id="settings-title", markup=False)
        with TabbedContent(id="settings-tabs"):
            for pane in PANES:
                with TabPane(self.ctx.t(f"settings.tab.{pane.section}"), id=f"tab-{pane.section}"):
                    yield pane(self.ctx, small=small)
        yield Static(Text(""), id="settings-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._enter)

    @property
    def pane(self) -> SettingsPane:
        """The section shown now."""
        active = self.query_one(TabbedContent).active_pane
        assert active is not None
        return active.query_one(SettingsPane)

    def _enter(self) -> None:
        target = self.pane.entry()
        if target is not None:
            target.focus()

    def action_section(self, name: str) -> None:
        self.set_focus(None)  # the field left behind is hidden: it must not keep the keys
        self.query_one(TabbedContent).active = f"tab-{name}"
        self.call_after_refresh(self._enter)

    def action_step(self, step: int) -> None:
        current = SECTIONS.index(self.pane.section)
        self.action_section(SECTIONS[(current + step) % len(SECTIONS)])

    @on(TabbedContent.TabActivated)
    def _switched(self) -> None:
        self.query_one("#settings-message", Static).update(Text(""))

    def action_save(self) -> None:
        self.warned = False
        self.pane.save()

    def action_close(self) -> None:
        unsaved = [p for p in self.query(SettingsPane) if p.dirty()]
        if unsaved and not self.warned:
            self.warned = True
            names = ", ".join(self.ctx.t(f"key.settings.{p.section}") for p in unsaved)
            self.query_one("#settings-message", Static).update(
                Text(self.ctx.t("settings.unsaved", sections=names), style="bold yellow")
            )
            return
        self.dismiss(None)
