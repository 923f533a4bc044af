"""The desk's main screen: the list, the case and its details, and the keys that treat it.

The screen owns three action objects and sends each key to one of them: `CaseActions` for
the case in the panes, `BulkActions` for the selection (and archiving), `ThankActions` for
promoter thank-yous. Each sees the screen only as a `DeskPort` (`actions.port`).

Every change runs in a worker thread (`saving`), as do counting the tabs and sending
e-mail, each with its own store connection: the screen never waits on the store.
"""

from __future__ import annotations

import time

from npsdesk.tui import bindings as keys
from npsdesk.tui.actions.bulk import BulkActions
from npsdesk.tui.actions.case import CaseActions
from npsdesk.tui.actions.thanks import ThankActions
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.refusals import REFUSALS
from npsdesk.tui.screens.desk_frame import WIDE, DeskFrame

__all__ = ["WIDE", "DeskScreen"]


QUIT_AGAIN_SECONDS = 5.0  # a second q within this quits without the waiting save


class DeskScreen(DeskFrame):
    """A field key acts on the case in the panes, or on every selected case."""

    _quit_warned = -QUIT_AGAIN_SECONDS  # when a q last warned of a save still waiting

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.cases = CaseActions(self)
        self.bulk = BulkActions(self)
        self.thanks = ThankActions(self, self.cases.deliver)

    # -- the case in the panes ---------------------------------------------------------------

    def action_note(self) -> None:
        self.cases.note()

    def action_contact(self) -> None:
        self.cases.contact()

    def action_email(self) -> None:
        self.cases.email()

    def action_toggle_quoted(self) -> None:
        """Show or fold the quoted text and signatures of the case's replies."""
        from npsdesk.tui.widgets.case_pane import CasePane

        if not self.query_one(CasePane).toggle_quoted():
            self.say(self.ctx.t("desk.reply.no_quoted"), warning=True)

    # -- one case, or every selected one -----------------------------------------------------

    def action_responsible(self) -> None:
        self.bulk.assign() if self.opinions.selected else self.cases.assign()

    def action_follow(self) -> None:
        self.bulk.follow() if self.opinions.selected else self.cases.follow()

    def action_category(self) -> None:
        self.bulk.category() if self.opinions.selected else self.cases.category()

    def action_type(self) -> None:
        self.bulk.ticket_type() if self.opinions.selected else self.cases.ticket_type()

    def action_priority(self) -> None:
        self.bulk.priority() if self.opinions.selected else self.cases.priority()

    def action_deadline(self) -> None:
        self.bulk.deadline() if self.opinions.selected else self.cases.deadline()

    def action_close_case(self) -> None:
        self.bulk.close() if self.opinions.selected else self.cases.close()

    def action_archive(self) -> None:
        self.bulk.archive()

    def action_undo(self) -> None:
        self.bulk.undo()

    def action_thank(self) -> None:
        self.thanks.thank()

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
            timeline = self.ctx.reads.customer_timeline(case.opinion.id)
        except REFUSALS as error:
            self.fail(error)
            return
        self.app.push_screen(CustomerScreen(self.ctx, timeline))

    def action_inbox(self) -> None:
        """The customer messages that found no case; `a` there attaches one to the case
        the desk has under its cursor."""
        from npsdesk.tui.screens.inbox import InboxScreen

        case = None
        target = self.target()
        if target is not None:
            case = self.case if self.case is not None and self.case.opinion.id == target else None
            if case is None:
                self._load_case_now()
                case = self.case
        self.app.push_screen(InboxScreen(self.ctx, case), lambda _: self.refresh_staying())

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
