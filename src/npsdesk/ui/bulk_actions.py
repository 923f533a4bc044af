"""Archiving and bulk changes: archive, unarchive, assign many, undo the last archiving.

A bulk change asks first ("archive 1.204 opinions?"), runs in one transaction in a worker
thread, and says what it skipped and why. Undo restores exactly the cases it changed,
unless one changed since; then it names them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.text import Text

from npsdesk.services.bulk import BulkResult, BulkService
from npsdesk.ui.desk_core import DeskCore
from npsdesk.ui.forms import (
    REFUSALS,
    ChoiceForm,
    ConfirmForm,
)


@dataclass(frozen=True)
class Undo:
    """The last archive or unarchive: the cases it changed, at the versions it left."""

    verb: str
    changed: Mapping[int, int]


class BulkActions(DeskCore):
    undo: Undo | None = None

    def _bulk(self) -> BulkService:
        s = self.ctx.services
        return BulkService(s.db, s.clock, self.ctx.analyst)

    def action_archive(self) -> None:
        unarchive = self.filter.tab == "archived"
        verb = "unarchive" if unarchive else "archive"
        if self.opinions.selected:
            ids = sorted(self.opinions.selected)
            message = Text(
                self.ctx.t(f"desk.confirm_{verb}", n=self.ctx.count(len(ids))), style="bold"
            )
            title = Text(self.ctx.t(f"key.desk.{verb}"), style="bold")
            self._confirm(title, message, lambda: self._run_bulk(verb, ids))
            return
        target = self._target()
        if target is None:
            self.say(self.ctx.t("desk.no_case"), warning=True)
            return
        bulk = self._bulk()
        try:
            result = bulk.unarchive([target]) if unarchive else bulk.archive([target])
        except REFUSALS as error:
            self.fail(error)
            return
        self.pinned = None
        self._bulk_done(result, keep=target, advance_from=target)

    def _bulk_assign(self) -> None:
        ids = sorted(self.opinions.selected)

        def chosen(value: str | None) -> None:
            who = value or self.ctx.t("nobody")
            message = Text(
                self.ctx.t("desk.confirm_assign", n=self.ctx.count(len(ids)), who=who),
                style="bold",
            )
            title = Text(self.ctx.t("key.desk.responsible"), style="bold")
            self.app.call_later(
                self._confirm, title, message, lambda: self._run_bulk("assign", ids, value)
            )

        title = Text(self.ctx.t("desk.bulk_assign_title", n=self.ctx.count(len(ids))))
        self.app.push_screen(ChoiceForm(self.ctx, title, self._analyst_options(), None, chosen))

    def _confirm(self, title: Text, message: Text, run: Callable[[], None]) -> None:
        self._form(ConfirmForm(self.ctx, title, message), run)

    def _run_bulk(self, verb: str, ids: list[int], username: str | None = None) -> None:
        """One transaction in a worker thread; the list shows the result when it is done."""
        bulk = self._bulk()
        db = self.ctx.services.db

        def work() -> None:
            result: BulkResult | None = None
            error: Exception | None = None
            try:
                if verb == "archive":
                    result = bulk.archive(ids)
                elif verb == "unarchive":
                    result = bulk.unarchive(ids)
                else:
                    result = bulk.assign(ids, username)
            except REFUSALS as failure:
                error = failure
            finally:
                db.close()
            self.app.call_from_thread(self._bulk_finished, result, error)

        self.say(self.ctx.t("desk.bulk_running", n=self.ctx.count(len(ids))))
        self.run_worker(work, thread=True, group="bulk", exit_on_error=False)

    def _bulk_finished(self, result: BulkResult | None, error: Exception | None) -> None:
        if error is not None or result is None:
            self.fail(error or RuntimeError("bulk change failed"))
            return
        self.opinions.clear_selection()
        self._bulk_done(result, keep=None)

    def _bulk_done(
        self, result: BulkResult, *, keep: int | None, advance_from: int | None = None
    ) -> None:
        if result.verb in ("archive", "unarchive") and result.changed:
            self.undo = Undo(result.verb, dict(result.changed))
        self.refresh_all(keep, advance_from=advance_from)
        self.say_result(result)

    def say_result(self, result: BulkResult) -> None:
        ctx = self.ctx
        message = ctx.t(f"desk.done_{result.verb}", n=ctx.count(len(result.changed)))
        if result.skipped:
            reasons = "; ".join(
                f"{ctx.t(f'desk.skip.{reason}')} ({ctx.count(len(ids))}: {_some(ids)})"
                for reason, ids in result.skipped.items()
            )
            message += " " + ctx.t("desk.skipped", n=ctx.count(result.skipped_count)) + reasons
        if result.verb in ("archive", "unarchive") and result.changed:
            message += " " + ctx.t("desk.undo_hint")
        self.app.notify(
            message, severity="warning" if result.skipped else "information", markup=False
        )

    def action_undo(self) -> None:
        undo = self.undo
        if undo is None:
            self.say(self.ctx.t("desk.nothing_to_undo"), warning=True)
            return
        bulk = self._bulk()
        try:
            if undo.verb == "archive":
                result = bulk.unarchive(undo.changed, expected=undo.changed)
            else:
                result = bulk.archive(undo.changed, expected=undo.changed)
        except REFUSALS as error:
            self.fail(error)
            return
        self.undo = None
        first = min(result.changed) if result.changed else None
        self.refresh_all(first)
        self.say_result(result)


def _some(ids: tuple[int, ...], shown: int = 5) -> str:
    """A few ids, so the analyst can look them up: `#3, #8, #12 …`."""
    text = ", ".join(f"#{i}" for i in ids[:shown])
    return text + (" …" if len(ids) > shown else "")
