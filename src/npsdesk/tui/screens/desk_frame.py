"""The desk screen's frame: panes, list, tabs and search, the case under the cursor,
refreshing after changes (ours or another program's) and telling the analyst what happened.
It reads the store only through the desk-reads service (`ctx.reads`).

Wide terminals (120 columns and more) show the three panes side by side; narrower ones show
one at a time (enter opens the case, tab moves on, escape comes back to the list).
The keys that change cases are the action objects' (`tui/actions/`); this frame is what
they may ask of the screen (`actions.port.DeskPort`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input

from npsdesk.services.desk_reads import CaseFile, ChangeWatch, ListFilter, Narrow
from npsdesk.tui import bindings as keys
from npsdesk.tui.context import DeskContext
from npsdesk.tui.forms.form import Form
from npsdesk.tui.forms.refusals import REFUSALS, describe_error
from npsdesk.tui.inbox_fetch import InboxFetcher
from npsdesk.tui.widgets.case_pane import CasePane
from npsdesk.tui.widgets.details_pane import DetailsPane
from npsdesk.tui.widgets.opinion_list import OpinionList
from npsdesk.tui.widgets.tab_bar import ListStatus, TabBar

T = TypeVar("T")

WIDE = 120  # columns from which the three panes stand side by side
PANES = ("list", "case", "details")
FOLLOW_DELAY = 0.08  # seconds the cursor rests before the case under it is read
POLL_SECONDS = 2.0  # how often the desk looks for changes made by other programs


class DeskFrame(Screen[None]):
    """The panes, the list, the case under the cursor, refreshing and messages."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        keys.install(self, keys.DESK_KEYS, ctx)
        self.case: CaseFile | None = None
        self.counts: dict[str, int] = {}
        self.unmatched = 0  # customer messages that found no case (the status line says so)
        self.pane = "list"
        self._follow: Timer | None = None
        self._counting = 0
        self._changes: ChangeWatch | None = None
        self.case_stale = False  # the store changed: read the case again even if it is shown
        self.offline = False  # the change watch cannot reach the team store
        # A case the analyst is working on stays in the panes when an action moves it out
        # of the tab (a first contact takes it out of "untreated"), until the cursor moves.
        self.pinned: int | None = None

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield TabBar(id="tabs", markup=False)
                yield ListStatus(id="list-status", markup=False)
                yield Input(placeholder=self.ctx.t("desk.search_placeholder"), id="search")
                yield OpinionList(
                    self.ctx, ListFilter("untreated", me=self.ctx.analyst), id="opinions"
                )
            yield CasePane(id="case-pane")
            yield DetailsPane(id="details-pane")
        yield Footer()

    @property
    def opinions(self) -> OpinionList:
        return self.query_one("#opinions", OpinionList)

    @property
    def filter(self) -> ListFilter:
        return self.opinions.filter

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one(TabBar).show(self.ctx, self.filter.tab, {})
        self._status()
        self.opinions.load()
        self.opinions.focus()
        self.call_after_refresh(self._first_frame_shown)
        self._changes = self.ctx.reads.watch()
        self.set_interval(POLL_SECONDS, self._poll)
        self.fetcher = InboxFetcher(self.ctx, self)
        self.fetcher.start()  # when an inbox is set: the first fetch after the first frame

    async def _first_frame_shown(self) -> None:
        """What the first frame went without: the tab counts (six counts over the whole
        store, in a thread) and the deadline countdown. Its holiday tables load here once
        the counting thread is under way (SQLite counts without holding the interpreter; a
        thread importing the tables would fight this one for it)."""
        self._count()
        await asyncio.sleep(0)  # the worker's task starts its thread
        self.opinions.count_days()

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        narrow = self.size.width < WIDE
        self.set_class(narrow, "-narrow")
        for pane in PANES:
            self.set_class(pane == self.pane, f"-show-{pane}")

    def _show_pane(self, pane: str) -> None:
        self.pane = pane
        self._layout()
        target: Widget = {
            "list": self.opinions,
            "case": self.query_one("#history"),
            "details": self.query_one(DetailsPane),
        }[pane]
        target.focus()
        if pane != "list":
            self._load_case_now()

    def _focused_pane(self) -> str:
        focused = self.focused
        for pane, selector in (("case", "#case-pane"), ("details", "#details-pane")):
            if focused is not None and self.query_one(selector) in focused.ancestors_with_self:
                return pane
        return "list"

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def _cycle(self, step: int) -> None:
        current = self.pane if self.has_class("-narrow") else self._focused_pane()
        self._show_pane(PANES[(PANES.index(current) + step) % len(PANES)])

    # -- the list ----------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        if step > 0:
            self.opinions.action_cursor_down()
        else:
            self.opinions.action_cursor_up()

    def action_tab(self, tab: str) -> None:
        self.pinned = None
        self.opinions.clear_selection()
        self.opinions.load(replace(self.filter, tab=tab))
        self.query_one(TabBar).show(self.ctx, tab, self.counts)
        self._count()
        if self.has_class("-narrow"):
            self._show_pane("list")

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = self.filter.search
        search.display = True
        search.focus()

    @on(Input.Submitted, "#search")
    def _searched(self, event: Input.Submitted) -> None:
        self._set_search(event.value.strip())

    def _set_search(self, text: str) -> None:
        search = self.query_one("#search", Input)
        search.display = False
        self.pinned = None
        self.opinions.clear_selection()
        self.opinions.load(replace(self.filter, search=text))
        self._status()
        self._count()
        self._show_pane("list")

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.display and self.focused is search:
            search.display = False
            self.opinions.focus()
        elif self.pane != "list" or self._focused_pane() != "list":
            self._show_pane("list")
        elif self.opinions.selected:
            self.opinions.clear_selection()
        elif self.filter.search:
            self._set_search("")
        elif self.filter.narrow:
            self.set_narrow(Narrow())

    def action_filter(self) -> None:
        from npsdesk.tui.forms.filter import FilterForm

        choices = self.ctx.reads.filter_choices()
        form = FilterForm(
            self.ctx, self.filter.narrow, choices.values, choices.analysts, self.set_narrow
        )
        self.app.push_screen(form)

    def set_narrow(self, narrow: Narrow) -> None:
        """Narrow every tab (list, counts, select-all) to `narrow`; empty clears it."""
        self.pinned = None
        self.opinions.clear_selection()
        self.opinions.load(replace(self.filter, narrow=narrow))
        self._status()
        self._count()
        self._show_pane("list")

    @on(OpinionList.Highlighted)
    def _highlighted(self, event: OpinionList.Highlighted) -> None:
        if event.by_user:
            self.pinned = None
        if self.pinned is not None:
            return
        if self._follow is not None:
            self._follow.stop()
        self._follow = self.set_timer(FOLLOW_DELAY, self._load_case_now)

    @on(OpinionList.Opened)
    def _opened(self, event: OpinionList.Opened) -> None:
        self._show_pane("case")

    @on(OpinionList.SelectionChanged)
    def _selection_changed(self) -> None:
        self._status()

    def _status(self) -> None:
        self.query_one(ListStatus).show(
            self.ctx,
            self.filter,
            len(self.opinions.selected),
            offline=self.offline,
            unmatched=self.unmatched,
        )

    def action_select_all(self) -> None:
        ids = self.ctx.reads.all_ids(self.filter)
        self.opinions.select(ids)
        self.say(self.ctx.t_n("desk.selected_all", len(ids)))

    # -- the case under the cursor ------------------------------------------------------------

    def target(self) -> int | None:
        """The case the keys act on: the one pinned in the panes, else the cursor's."""
        if self.pinned is not None:
            return self.pinned
        row = self.opinions.current()
        return None if row is None else row.id

    def _load_case_now(self) -> None:
        if self._follow is not None:
            self._follow.stop()
            self._follow = None
        target = self.target()
        if target is None:
            self.case = None
        elif self.case is None or self.case.opinion.id != target or self.case_stale:
            try:
                self.case = self.ctx.reads.case_file(target)
            except REFUSALS as error:
                self.fail(error)
                self.case = None
        self.case_stale = False
        thank_you = None
        if self.case is not None:
            thank_you = self.ctx.reads.thank_you_state(self.case.opinion.id)
        self.query_one(CasePane).show(self.case, self.ctx)
        self.query_one(DetailsPane).show(self.case, self.ctx, thank_you)

    def current_case(self) -> CaseFile | None:
        """The case the keys act on, read now if the panes are still catching up."""
        target = self.target()
        if target is None:
            self.say(self.ctx.t("desk.no_case"), warning=True)
            return None
        if self.case is None or self.case.opinion.id != target:
            self._load_case_now()
        return self.case

    # -- refreshing -------------------------------------------------------------------------

    def refresh_all(
        self, keep: int | None = None, *, advance_from: int | None = None, pin: bool = False
    ) -> None:
        """Read the list, counts and case again after a change. The cursor stays on `keep`
        (default: the case it was on) while it is listed. With `advance_from`, a case that
        is still listed after it was resolved gives way to the next one; with `pin`, a case
        that left the tab stays in the panes."""
        if keep is None:
            keep = self.target()
        self.opinions.load(keep=keep)
        current = self.opinions.current()
        if advance_from is not None and current is not None and current.id == advance_from:
            self.opinions.move_to(self.opinions.cursor + 1)
        listed = current is not None and current.id == keep
        self.pinned = keep if pin and keep is not None and not listed else None
        if self.pinned is not None:
            self.opinions.gap = True
            self.opinions.refresh()
        self.case_stale = True
        self._load_case_now()
        self._status()
        self._count()

    def _poll(self) -> None:
        """Another program or analyst (an import, the outbox, a colleague on the team
        store) committed: show its changes."""
        if self._changes is None:
            return
        offline = self._changes.offline
        if offline != self.offline:  # the status line says so for as long as it lasts
            self.offline = offline
            self._status()
            key = "desk.offline" if offline else "desk.online"
            self.say(self.ctx.t(key), warning=offline)
        if not offline and self._changes.changed():  # back online, it reads everything again
            self.refresh_staying()

    def on_unmount(self) -> None:
        if self._changes is not None:
            self._changes.close()

    def action_refresh(self) -> None:
        if self.offline:  # nothing to read until the watch is back (it reads everything then)
            self.say(self.ctx.t("desk.offline"), warning=True)
            return
        self.refresh_all()

    def _count(self) -> None:
        self._counting += 1
        number, list_filter, reads = self._counting, self.filter, self.ctx.reads

        def count() -> None:
            try:
                counts = reads.tab_counts(list_filter)
            finally:
                reads.end_thread()
            self.app.call_from_thread(self._counted, number, counts)

        self.run_worker(count, thread=True, group="counts", exit_on_error=False)

    def _counted(self, number: int, counts: dict[str, int]) -> None:
        if number != self._counting:
            return
        self.counts = counts
        self.query_one(TabBar).show(self.ctx, self.filter.tab, counts)
        self.opinions.set_total(counts[self.filter.tab])
        self._count_unmatched()

    def _count_unmatched(self) -> None:
        """The unmatched inbox's count, after the tabs' (its service loads the mail parser,
        which the first frame does not wait for)."""
        services, actor, reads = self.ctx.services, self.ctx.analyst, self.ctx.reads

        def count() -> None:
            try:
                unmatched = services.replies(actor).unmatched_count()
            finally:
                reads.end_thread()
            self.app.call_from_thread(self._unmatched_counted, unmatched)

        self.run_worker(count, thread=True, group="unmatched", exclusive=True, exit_on_error=False)

    def _unmatched_counted(self, unmatched: int) -> None:
        if unmatched != self.unmatched:
            self.unmatched = unmatched
            self._status()

    def replies_arrived(self) -> None:
        """The fetcher took new messages: the counts now (the list follows the change
        watch, as for anyone's writes)."""
        self._count()

    def refresh_staying(self) -> None:
        """Read everything again, a case pinned in the panes staying there."""
        self.refresh_all(pin=self.pinned is not None)

    # -- what the action objects ask of the screen (`actions.port.DeskPort`) ------------------

    def selection(self) -> list[int]:
        return sorted(self.opinions.selected)

    def unselect_all(self) -> None:
        self.opinions.clear_selection()

    def say(self, message: str, *, warning: bool = False) -> None:
        self.app.notify(message, severity="warning" if warning else "information", markup=False)

    def tell(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        self.app.notify(message, severity=severity, timeout=timeout, markup=False)

    def fail(self, error: Exception) -> None:
        self.app.notify(describe_error(error, self.ctx), severity="error", markup=False)

    def open_form(self, form: Form, done: Callable[[], None]) -> None:
        """Open `form`; `done` once its change went through (even if the analyst put the
        form away while it was saving)."""
        form.then = lambda _: done()
        self.app.push_screen(form)

    def push(self, screen: Screen[Any]) -> None:
        self.app.push_screen(screen)

    def later(self, callback: Callable[..., object], *args: Any) -> None:
        """Run `callback` once the screen is idle (a form that chose a value has closed)."""
        self.app.call_later(callback, *args)

    def in_thread(self, work: Callable[[], None], group: str) -> None:
        """Run `work` in a worker thread; it ends by handing its outcome to `from_thread`."""
        self.run_worker(work, thread=True, group=group, exit_on_error=False)

    def from_thread(self, callback: Callable[..., object], *args: Any) -> None:
        self.app.call_from_thread(callback, *args)

    def write(
        self,
        key: object,
        call: Callable[[], T],
        done: Callable[[T], object],
        *,
        long: bool = False,
    ) -> None:
        """A change made by a key without a form (follow, archive, thank-you, a bulk
        change): in a worker thread (`saving.Writes`), a slow answer and a refusal told in
        notifications. A `long` change (many cases) is slow by itself: no busy notice."""
        ctx = self.ctx

        def waiting() -> None:
            self.say(ctx.t("desk.waiting_store"), warning=True)

        started = ctx.writes.write(self.app, key, call, done, self.fail, None if long else waiting)
        if not started:
            self.say(ctx.t("desk.still_saving"), warning=True)
