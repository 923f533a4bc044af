"""The settings screen's mail sections: the loop templates per class and the sender.

A template that saving refuses (an unknown placeholder, a construct not allowed) stays in
the editor as typed, with the reason on the message line; switching to another template
keeps the edits of the one left, unsaved, until they are saved or the screen closes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from npsdesk.mail.templates import NAMES, PLACEHOLDERS
from npsdesk.services.mail import MailService
from npsdesk.tui.bindings import DeskKey
from npsdesk.tui.forms.form import plain
from npsdesk.tui.settings.section import SettingsPane
from npsdesk.tui.settings.section_keys import TEMPLATE_KEYS

Parts = tuple[str, str]  # (subject, body)


def _label(text: str) -> Static:
    return Static(Text(text), classes="settings-label", markup=False)


class TemplatesPane(SettingsPane):
    KEYS: ClassVar[tuple[DeskKey, ...]] = TEMPLATE_KEYS
    section = "templates"

    def compose(self) -> ComposeResult:
        t = self.ctx.t
        with Horizontal(classes="settings-row"):
            yield _label(t("settings.tpl.which"))
            yield Select(
                [(plain(t(f"settings.tpl.{name}")), name) for name in NAMES],
                value=NAMES[0],
                allow_blank=False,
                id="template-which",
                compact=self.small,
            )
        with Horizontal(classes="settings-row"):
            yield _label(t("settings.tpl.subject"))
            yield Input(id="template-subject", compact=self.small)
        yield TextArea(id="template-body", soft_wrap=True, tab_behavior="focus", compact=self.small)
        names = " ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS if p not in ("link", "campanha"))
        hint = Text(t("settings.tpl.hint", names=names), style="dim")
        yield Static(hint, classes="settings-hint", markup=False)

    def on_mount(self) -> None:
        self.current = NAMES[0]
        self.drafts: dict[str, Parts] = {}
        self.load()

    @property
    def mail(self) -> MailService:
        return self.ctx.services.mail(self.ctx.analyst)

    def load(self) -> None:
        mail = self.mail
        self.saved: dict[str, Parts] = {}
        for name in NAMES:
            template = mail.template(name)
            self.saved[name] = (template.subject, template.body)
        self.show(self.current)

    def typed(self) -> Parts:
        subject = self.query_one("#template-subject", Input).value
        return subject, self.query_one("#template-body", TextArea).text

    def show(self, name: str) -> None:
        subject, body = self.drafts.get(name, self.saved[name])
        self.query_one("#template-subject", Input).value = subject
        self.query_one("#template-body", TextArea).load_text(body)

    def _keep_typed(self) -> None:
        typed = self.typed()
        if typed != self.saved[self.current]:
            self.drafts[self.current] = typed
        else:
            self.drafts.pop(self.current, None)

    @on(Select.Changed, "#template-which")
    def _chosen(self, event: Select.Changed) -> None:
        name: Any = event.value
        if name == self.current or name not in NAMES:
            return
        self._keep_typed()
        self.current = str(name)
        self.show(self.current)
        if self.current in self.drafts:
            label = self.ctx.t(f"settings.tpl.{self.current}")
            self.say(self.ctx.t("settings.tpl.unsaved", name=label))

    def save(self) -> None:
        subject, body = self.typed()
        name, mail = self.current, self.mail

        def saved(_: object) -> None:
            self.saved[name] = (subject.strip(), body)
            self.drafts.pop(name, None)
            if self.current == name and self.typed() == (subject, body):
                self.query_one("#template-subject", Input).value = subject.strip()
            self.say(self.ctx.t("settings.tpl.saved", name=self.ctx.t(f"settings.tpl.{name}")))

        self.write(lambda: mail.save_template(name, subject, body), saved)

    def action_preview(self) -> None:
        from npsdesk.services.mail_preview import preview_template
        from npsdesk.tui.forms.mail import PreviewScreen

        subject, body = self.typed()
        services, actor, name = self.ctx.services, self.ctx.analyst, self.current
        ok, shown = self.attempt(lambda: preview_template(services, actor, name, subject, body))
        if ok and shown is not None:
            self.app.push_screen(PreviewScreen(self.ctx, shown))

    def dirty(self) -> bool:
        self._keep_typed()
        return bool(self.drafts)

    def entry(self) -> Widget | None:
        return self.query_one("#template-body", TextArea)


SENDER_FIELDS = ("sender.name", "sender.reply_to")


class SenderPane(SettingsPane):
    section = "sender"

    def compose(self) -> ComposeResult:
        t = self.ctx.t
        address = self.ctx.services.settings.mail_from or t("settings.snd.no_address")
        yield Static(
            Text(t("settings.snd.address", address=address)), id="sender-address", markup=False
        )
        for key in SENDER_FIELDS:
            with Horizontal(classes="settings-row"):
                yield _label(t(f"settings.snd.{key.split('.')[1]}"))
                yield Input(id=f"sender-{key.split('.')[1]}", compact=self.small)
        yield _label(t("settings.snd.signature"))
        yield TextArea(
            id="sender-signature", soft_wrap=True, tab_behavior="focus", compact=self.small
        )
        yield Static(
            Text(t("settings.snd.hint"), style="dim"), classes="settings-hint", markup=False
        )

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        stored = self.ctx.services.team(self.ctx.analyst).sender()
        self.loaded = (stored["sender.name"], stored["sender.reply_to"], stored["sender.signature"])
        self.query_one("#sender-name", Input).value = self.loaded[0]
        self.query_one("#sender-reply_to", Input).value = self.loaded[1]
        self.query_one("#sender-signature", TextArea).load_text(self.loaded[2])

    def typed(self) -> tuple[str, str, str]:
        return (
            self.query_one("#sender-name", Input).value,
            self.query_one("#sender-reply_to", Input).value,
            self.query_one("#sender-signature", TextArea).text,
        )

    @on(Input.Submitted)
    def save(self) -> None:
        name, reply_to, signature = self.typed()
        mail = self.ctx.services.mail(self.ctx.analyst)

        def saved(_: object) -> None:
            self.load()
            self.say(self.ctx.t("settings.snd.saved"))

        self.write(
            lambda: mail.set_sender(name=name, reply_to=reply_to, signature=signature), saved
        )

    def dirty(self) -> bool:
        return tuple(v.strip() for v in self.typed()) != tuple(v.strip() for v in self.loaded)

    def entry(self) -> Widget | None:
        return self.query_one("#sender-name", Input)
