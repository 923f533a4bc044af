"""The desk's main screen: the list, the case and its details, and the keys that treat it.

Single-case actions are quick writes and run on the spot; counting the tabs, bulk changes
and sending e-mail run in worker threads, each with its own store connection.
"""

from __future__ import annotations

from npsdesk.ui import keys
from npsdesk.ui.desk_core import WIDE
from npsdesk.ui.thank_actions import ThankActions

__all__ = ["WIDE", "DeskScreen"]


class DeskScreen(ThankActions):
    def action_responsible(self) -> None:
        """The responsible of the case, or of every selected case."""
        if self.opinions.selected:
            self._bulk_assign()
        else:
            self._assign_one()

    # -- other screens -----------------------------------------------------------------------

    def action_dashboard(self) -> None:
        from npsdesk.ui.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.ctx))

    def action_campaigns(self) -> None:
        from npsdesk.ui.campaigns import CampaignsScreen

        self.app.push_screen(CampaignsScreen(self.ctx))

    def action_settings(self) -> None:
        from npsdesk.ui.settings_screen import SettingsScreen

        self.app.push_screen(SettingsScreen(self.ctx))

    def action_help(self) -> None:
        self.app.push_screen(keys.HelpScreen(self.ctx))

    def action_quit(self) -> None:
        self.app.exit()
