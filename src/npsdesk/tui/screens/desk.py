"""The desk's main screen: the list, the case and its details, and the keys that treat it.

Every change runs in a worker thread (`saving`), as do counting the tabs and sending
e-mail, each with its own store connection: the screen never waits on the store.
"""

from __future__ import annotations

import time

from npsdesk.tui import bindings as keys
from npsdesk.tui.actions.thanks import ThankActions
from npsdesk.tui.forms.case_forms import REFUSALS
from npsdesk.tui.screens.desk_frame import WIDE

__all__ = ["WIDE", "DeskScreen"]


QUIT_AGAIN_SECONDS = 5.0  # a second q within this quits without the waiting save


class DeskScreen(ThankActions):
    """A field key acts on the case in the panes, or on every selected case."""

    _quit_warned = -QUIT_AGAIN_SECONDS  # when a q last warned of a save still waiting

    def action_responsible(self) -> None:
        self._bulk_assign() if self.opinions.selected else self._assign_one()

    def action_follow(self) -> None:
        self._bulk_follow() if self.opinions.selected else self._follow_one()

    def action_category(self) -> None:
        self._bulk_category() if self.opinions.selected else self._category_one()

    def action_type(self) -> None:
        self._bulk_type() if self.opinions.selected else self._type_one()

    def action_priority(self) -> None:
        self._bulk_priority() if self.opinions.selected else self._priority_one()

    def action_deadline(self) -> None:
        self._bulk_deadline() if self.opinions.selected else self._deadline_one()

    def action_close_case(self) -> None:
        self._bulk_close() if self.opinions.selected else self._close_case_one()

    # -- other screens -----------------------------------------------------------------------

    def action_dashboard(self) -> None:
        from npsdesk.tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.ctx))

    def action_campaigns(self) -> None:
        from npsdesk.tui.screens.campaigns import CampaignsScreen

        self.app.push_screen(CampaignsScreen(self.ctx))

    def action_customer(self) -> None:
        """The whole timeline of the customer of the case in the panes."""
        from npsdesk.tui.screens.customer import CustomerScreen

        case = self.current_case()
        if case is None:
            return
        try:
            timeline = self.ctx.services.lookup.customer_timeline(case.opinion.id)
        except REFUSALS as error:
            self.fail(error)
            return
        self.app.push_screen(CustomerScreen(self.ctx, timeline))

    def action_settings(self) -> None:
        from npsdesk.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(self.ctx))

    def action_help(self) -> None:
        self.app.push_screen(keys.HelpScreen(self.ctx))

    def action_quit(self) -> None:
        """Quit; while a save still waits for the store, the first q says so."""
        now = time.monotonic()
        if self.ctx.writes.running and now - self._quit_warned > QUIT_AGAIN_SECONDS:
            self._quit_warned = now
            self.notify(self.ctx.t("desk.quit_saving"), severity="warning", markup=False)
            return
        self.app.exit()
