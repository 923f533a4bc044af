"""The settings screen's replies section: what a customer's reply does to a closed case,
and what case e-mails carry so replies find their case (the case's reply address, the
`[#id]` subject tag) and customers can leave (the one-click unsubscribe link)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from npsdesk.tui.forms.form import plain
from npsdesk.tui.settings.section import SettingsPane

ON_OFF = {"on": True, "off": False}


def _label(text: str) -> Static:
    return Static(Text(text), classes="settings-label", markup=False)


class RepliesPane(SettingsPane):
    section = "replies"

    def compose(self) -> ComposeResult:
        t = self.ctx.t
        rows: tuple[tuple[str, str, tuple[str, ...]], ...] = (
            ("closed", "replies-closed", ("reopen", "flag")),
            ("plus", "replies-plus", ("on", "off")),
            ("tag", "replies-tag", ("on", "off")),
        )
        for name, widget_id, choices in rows:
            with Horizontal(classes="settings-row"):
                yield _label(t(f"settings.rep.{name}"))
                yield Select(
                    [(plain(t(f"settings.rep.{name}.{c}")), c) for c in choices],
                    allow_blank=False,
                    id=widget_id,
                    compact=self.small,
                )
        with Horizontal(classes="settings-row"):
            yield _label(t("settings.rep.unsubscribe"))
            yield Input(
                placeholder="https://…?t={token}", id="replies-unsubscribe", compact=self.small
            )
        yield Static(Text(t("settings.rep.hint"), style="dim"), classes="settings-hint")

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        services, actor = self.ctx.services, self.ctx.analyst
        closed = services.team(actor).closed_replies()
        carried = services.mail(actor).reply_settings()
        self.loaded_url = carried.unsubscribe_url or ""
        for widget_id, value in (
            ("#replies-closed", closed),
            ("#replies-plus", "on" if carried.plus_address else "off"),
            ("#replies-tag", "on" if carried.subject_tag else "off"),
        ):
            select = self.query_one(widget_id, Select)
            with select.prevent(Select.Changed):
                select.value = value
        self.query_one("#replies-unsubscribe", Input).value = self.loaded_url

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        value: Any = event.value
        services, actor = self.ctx.services, self.ctx.analyst
        widget = event.select.id
        if widget == "replies-closed" and value in ("reopen", "flag"):
            team = services.team(actor)
            self.write(lambda: team.set_closed_replies(value), self._saved)
        elif widget in ("replies-plus", "replies-tag") and value in ON_OFF:
            mail = services.mail(actor)
            if widget == "replies-plus":
                self.write(lambda: mail.set_reply_settings(plus_address=ON_OFF[value]), self._saved)
            else:
                self.write(lambda: mail.set_reply_settings(subject_tag=ON_OFF[value]), self._saved)

    @on(Input.Submitted)
    def save(self) -> None:
        url = self.query_one("#replies-unsubscribe", Input).value.strip()
        mail = self.ctx.services.mail(self.ctx.analyst)
        self.write(lambda: mail.set_reply_settings(unsubscribe_url=url), self._saved)

    def _saved(self, _: object) -> None:
        self.load()
        self.say(self.ctx.t("settings.rep.saved"))

    def dirty(self) -> bool:
        typed = self.query_one("#replies-unsubscribe", Input).value.strip()
        return typed != self.loaded_url.strip()

    def entry(self) -> Widget | None:
        return self.query_one("#replies-closed", Select)
