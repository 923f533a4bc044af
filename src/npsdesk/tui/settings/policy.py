"""The settings screen's policy sections: the bonus for neutrals (and the coupon pools) and
the deadlines per class. Each says which value is in force: the team's, kept in the store,
or each analyst's settings file."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from npsdesk.services.team import CLASSES, TEAM, Setting, TeamSettings
from npsdesk.tui.context import safe
from npsdesk.tui.forms.form import plain
from npsdesk.tui.settings.section import SettingsPane

BONUS_CHOICES = {"file": None, "on": True, "off": False}


def _label(text: str) -> Static:
    return Static(Text(text), classes="settings-label", markup=False)


class PolicyPane(SettingsPane):
    @property
    def team(self) -> TeamSettings:
        return self.ctx.services.team(self.ctx.analyst)

    def yes_no(self, value: object) -> str:
        return self.ctx.t("desk.yes" if value else "desk.no")

    def winner(self, setting: Setting) -> str:
        return self.ctx.t(
            "settings.source.team" if setting.source == TEAM else "settings.source.personal"
        )


class BonusPane(PolicyPane):
    section = "bonus"

    def compose(self) -> ComposeResult:
        t = self.ctx.t
        personal = self.yes_no(self.ctx.services.settings.bonus_neutrals)
        with Horizontal(classes="settings-row"):
            yield _label(t("settings.bonus.neutrals"))
            yield Select(
                [
                    (plain(t("settings.bonus.file", value=personal)), "file"),
                    (plain(t("settings.bonus.on")), "on"),
                    (plain(t("settings.bonus.off")), "off"),
                ],
                allow_blank=False,
                id="bonus-neutrals",
                compact=self.small,
            )
        yield Static(Text(""), id="bonus-in-force", markup=False)
        yield Static(Text(t("settings.bonus.pools"), style="bold"), classes="settings-heading")
        yield Static(Text(""), id="bonus-pools", markup=False)
        hint = Text(t("settings.bonus.pool_hint"), style="dim")
        yield Static(hint, classes="settings-hint", markup=False)

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        team = self.team
        setting = team.bonus_neutrals()
        chosen = "file" if setting.team is None else ("on" if setting.team else "off")
        select = self.query_one("#bonus-neutrals", Select)
        with select.prevent(Select.Changed):
            select.value = chosen
        in_force = self.ctx.t(
            "settings.bonus.in_force",
            value=self.yes_no(setting.effective),
            source=self.winner(setting),
        )
        self.query_one("#bonus-in-force", Static).update(Text(in_force))
        self.query_one("#bonus-pools", Static).update(self.pools(team))

    def pools(self, team: TeamSettings) -> Text | Table:
        found = team.pools()
        if not found:
            return Text(self.ctx.t("settings.bonus.no_pools"), style="dim")
        table = Table(box=None, padding=(0, 1), show_header=True, header_style="bold")
        table.add_column(Text(self.ctx.t("settings.pool.active")), no_wrap=True)
        table.add_column(Text(self.ctx.t("settings.pool.name")), overflow="fold")
        for key in ("total", "given", "free"):
            table.add_column(Text(self.ctx.t(f"settings.pool.{key}")), justify="right")
        for pool in found:
            table.add_row(
                Text("*" if pool.active else "", style="bold green"),
                safe(pool.campaign),
                Text(self.ctx.count(pool.total)),
                Text(self.ctx.count(pool.given)),
                Text(self.ctx.count(pool.free), style="bold" if pool.active else ""),
            )
        return table

    @on(Select.Changed, "#bonus-neutrals")
    def _chosen(self, event: Select.Changed) -> None:
        value: Any = event.value
        if value not in BONUS_CHOICES:
            return
        team, chosen = self.team, BONUS_CHOICES[value]

        def saved(changed: object) -> None:
            if changed:
                self.load()
                effective = self.yes_no(team.bonus_neutrals().effective)
                self.say(self.ctx.t("settings.bonus.saved", value=effective))

        self.write(lambda: team.set_bonus_neutrals(chosen), saved)

    def entry(self) -> Widget | None:
        return self.query_one("#bonus-neutrals", Select)


class DeadlinesPane(PolicyPane):
    section = "deadlines"

    def compose(self) -> ComposeResult:
        t = self.ctx.t
        yield Static(Text(t("settings.dl.intro")), classes="settings-intro", markup=False)
        for nps_class in CLASSES:
            with Horizontal(classes="settings-row"):
                yield _label(t(f"classes.{nps_class}").capitalize())
                yield Input(id=f"deadline-{nps_class}", compact=self.small, classes="settings-days")
                yield Static(
                    Text(""), id=f"deadline-{nps_class}-info", classes="settings-info", markup=False
                )
        yield Static(
            Text(t("settings.dl.hint"), style="dim"), classes="settings-hint", markup=False
        )

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        self.loaded: dict[str, str] = {}
        for setting in self.team.deadlines():
            nps_class = setting.key.split(".")[1]
            value = "" if setting.team is None else str(setting.team)
            self.loaded[nps_class] = value
            self.query_one(f"#deadline-{nps_class}", Input).value = value
            source = setting.personal_source
            if source == "default":
                source = self.ctx.t("settings.source.default")
            info = self.ctx.t(
                "settings.dl.row",
                file=setting.personal,
                source=source,
                effective=setting.effective,
                winner=self.winner(setting),
            )
            style = "bold" if setting.source == TEAM else ""
            self.query_one(f"#deadline-{nps_class}-info", Static).update(Text(info, style=style))

    def typed(self) -> dict[str, str]:
        return {c: self.query_one(f"#deadline-{c}", Input).value.strip() for c in CLASSES}

    @on(Input.Submitted)
    def save(self) -> None:
        typed = self.typed()
        team = self.team

        def saved(changed: list[str]) -> None:
            self.load()
            if changed:
                names = ", ".join(self.ctx.t(f"classes.{c}") for c in changed)
                self.say(self.ctx.t("settings.dl.saved", classes=names))
            else:
                self.say(self.ctx.t("settings.nothing_changed"))

        self.write(lambda: team.set_deadlines(typed), saved)

    def dirty(self) -> bool:
        return self.typed() != self.loaded

    def entry(self) -> Widget | None:
        return self.query_one("#deadline-detractor", Input)
