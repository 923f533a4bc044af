"""Changes to the selected cases: the same keys as for one case, applied to a selection.

With rows selected, `a` archives (or unarchives), `r` assigns, `w` adds a follower, `g`, `t`,
`p`, `d` set category, type, priority, deadline, and `x` closes. Each asks for the value,
then shows what it will do ("Archive 1.204 opinions?"), runs in one transaction in a worker
thread, and says what it skipped and why. `u` undoes the last one, restoring exactly the
previous values, unless a case changed since; then it names those.

`BulkActions` is owned by the desk screen and reaches it only through its `DeskPort`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text

from npsdesk.domain.models import Priority, TicketType
from npsdesk.services.bulk import SKIP_MISSING, BulkResult, BulkService
from npsdesk.tui.actions.port import DeskPort, Options, analyst_options
from npsdesk.tui.forms.choices import ChoiceForm, ConfirmForm, DeadlineForm
from npsdesk.tui.forms.treatment import CloseForm

# what a verb's notification says when it is done
_DONE = {
    "archive": "desk.done_archive",
    "unarchive": "desk.done_unarchive",
    "assign": "desk.done_assign",
    "follow": "bulk.done_follow",
    "category": "bulk.done_field",
    "type": "bulk.done_field",
    "priority": "bulk.done_field",
    "deadline": "bulk.done_field",
    "close": "bulk.done_close",
    "undo": "bulk.done_undo",
}
Run = Callable[[BulkService, list[int]], BulkResult]


class BulkActions:
    """The keys that act on the selected cases (and `a` on the one case too); `last` is
    the change `u` undoes."""

    def __init__(self, desk: DeskPort) -> None:
        self.desk = desk
        self.ctx = desk.ctx
        self.last: BulkResult | None = None

    def _bulk(self) -> BulkService:
        s = self.ctx.services
        return s.bulk(self.ctx.analyst)

    # -- archiving (also of the one case under the cursor) -----------------------------------

    def archive(self) -> None:
        unarchive = self.desk.filter.tab == "archived"
        verb = "unarchive" if unarchive else "archive"
        ids = self.desk.selection()
        if ids:
            message = self.ctx.t_n(f"desk.confirm_{verb}", len(ids))
            run: Run = (lambda b, i: b.unarchive(i)) if unarchive else (lambda b, i: b.archive(i))
            self._ask(self.ctx.t(f"key.desk.{verb}"), message, ids, run)
            return
        target = self.desk.target()
        if target is None:
            self.desk.say(self.ctx.t("desk.no_case"), warning=True)
            return
        bulk = self._bulk()

        def archived(result: BulkResult) -> None:
            self._bulk_done(result, keep=target, advance_from=target)

        self.desk.write(
            ("archive", target),
            lambda: bulk.unarchive([target]) if unarchive else bulk.archive([target]),
            archived,
        )

    # -- the other verbs: choose the value, then confirm ---------------------------------------

    def assign(self) -> None:
        ids = self.desk.selection()

        def chosen(value: str | None) -> None:
            who = value or self.ctx.t("nobody")
            message = self.ctx.t_n("desk.confirm_assign", len(ids), who=who)
            self._ask_later(
                self.ctx.t("key.desk.responsible"), message, ids, lambda b, i: b.assign(i, value)
            )

        title = Text(self.ctx.t_n("desk.bulk_assign_title", len(ids)))
        options = analyst_options(self.ctx)
        self.desk.push(ChoiceForm(self.ctx, title, options, None, chosen, writes=False))

    def follow(self) -> None:
        ids = self.desk.selection()
        me = self.ctx.analyst
        known = [o for o in analyst_options(self.ctx) if o[0] is not None]
        # following is mostly "me too": the analyst at the desk comes first
        options = [o for o in known if o[0] == me] or [(me, me)]
        options += [o for o in known if o[0] != me]

        def chosen(value: str | None) -> None:
            if value is None:
                return
            message = self.ctx.t_n("bulk.confirm_follow", len(ids), who=value)
            self._ask_later(
                self.ctx.t("key.desk.follow"), message, ids, lambda b, i: b.follow(i, value)
            )

        title = self._bulk_title("bulk.follow_title", ids)
        self.desk.push(ChoiceForm(self.ctx, title, options, me, chosen, writes=False))

    def category(self) -> None:
        ids = self.desk.selection()
        names = self.ctx.reads.categories()
        options: Options = [(None, self.ctx.t("desk.none"))]
        options += [(name, name) for name in names]

        def chosen(value: str | None) -> None:
            shown = value or self.ctx.t("desk.none")
            self._ask_field("category", ids, shown, lambda b, i: b.set_category(i, value))

        title = self._bulk_title("desk.category_title", ids)
        self.desk.push(ChoiceForm(self.ctx, title, options, None, chosen, writes=False))

    def ticket_type(self) -> None:
        ids = self.desk.selection()
        options: Options = [(None, self.ctx.t("desk.none"))]
        options += [(t.value, self.ctx.t(f"type.{t.value}")) for t in TicketType]

        def chosen(value: str | None) -> None:
            chosen_type = None if value is None else TicketType(value)
            shown = self.ctx.t(f"type.{value}") if value else self.ctx.t("desk.none")
            self._ask_field("type", ids, shown, lambda b, i: b.set_type(i, chosen_type))

        title = self._bulk_title("desk.type_title", ids)
        self.desk.push(ChoiceForm(self.ctx, title, options, None, chosen, writes=False))

    def priority(self) -> None:
        ids = self.desk.selection()
        options: list[tuple[str | None, str]] = [
            (str(int(p)), self.ctx.t(f"priority.{int(p)}")) for p in Priority
        ]

        def chosen(value: str | None) -> None:
            priority = Priority(int(value or Priority.MEDIUM))
            shown = self.ctx.t(f"priority.{int(priority)}")
            self._ask_field("priority", ids, shown, lambda b, i: b.set_priority(i, priority))

        title = self._bulk_title("desk.priority_title", ids)
        self.desk.push(ChoiceForm(self.ctx, title, options, None, chosen, writes=False))

    def deadline(self) -> None:
        ids = self.desk.selection()

        def chosen(value: date) -> None:
            shown = self.ctx.date(value)
            self._ask_field("deadline", ids, shown, lambda b, i: b.set_deadline(i, value))

        title = self._bulk_title("desk.deadline_title", ids)
        form = DeadlineForm(self.ctx, title, self.ctx.today(), chosen, writes=False)
        self.desk.push(form)

    def close(self) -> None:
        ids = self.desk.selection()
        choices = self.ctx.reads.closing_choices()

        def chosen(ticket_type: TicketType | None, category: str | None, who: str | None) -> None:
            message = self.ctx.t_n("bulk.confirm_close", len(ids))

            def run(bulk: BulkService, chosen_ids: list[int]) -> BulkResult:
                return bulk.close(
                    chosen_ids, ticket_type=ticket_type, category=category, responsible=who
                )

            self._ask_later(self.ctx.t("key.desk.close"), message, ids, run)

        form = CloseForm(
            self.ctx,
            self._bulk_title("desk.close_title", ids),
            ticket_type=None,
            category=None,
            responsible=None,
            categories=choices.categories,
            analysts=choices.analysts,
            save=chosen,
            hint=self.ctx.t("bulk.close_hint"),
            writes=False,
        )
        self.desk.push(form)

    def _bulk_title(self, key: str, ids: list[int]) -> Text:
        return Text(
            self.ctx.t_n("bulk.title", len(ids), what=self.ctx.t(key)),
            style="bold",
        )

    def _ask_field(self, field: str, ids: list[int], shown: str, run: Run) -> None:
        message = self.ctx.t(
            "bulk.confirm_field",
            field=self.ctx.t(f"field.{field}"),
            value=shown,
            n=self.ctx.count(len(ids)),
        )
        self._ask_later(self.ctx.t(f"field.{field}").capitalize(), message, ids, run)

    def _ask_later(self, title: str, message: str, ids: list[int], run: Run) -> None:
        """Confirm once the form that chose the value has closed."""
        self.desk.later(self._ask, title, message, ids, run)

    def _ask(self, title: str, message: str, ids: list[int], run: Run) -> None:
        bold = Text(title, style="bold"), Text(message, style="bold")
        self._confirm(*bold, lambda: self._run_bulk(ids, run))

    def _confirm(self, title: Text, message: Text, run: Callable[[], None]) -> None:
        self.desk.open_form(ConfirmForm(self.ctx, title, message), run)

    # -- running and reporting -----------------------------------------------------------------

    def _run_bulk(self, ids: list[int], run: Run) -> None:
        """One transaction in a worker thread; the list shows the result when it is done."""
        bulk = self._bulk()
        self.desk.say(self.ctx.t_n("desk.bulk_running", len(ids)))
        self.desk.write(
            ("bulk", tuple(ids)), lambda: run(bulk, ids), self._bulk_finished, long=True
        )

    def _bulk_finished(self, result: BulkResult) -> None:
        self.desk.unselect_all()
        restored = result.verb == "undo" and result.changed
        self._bulk_done(result, keep=min(result.changed) if restored else None)

    def _bulk_done(
        self, result: BulkResult, *, keep: int | None, advance_from: int | None = None
    ) -> None:
        if result.undoable:
            self.last = result
        self.desk.refresh_all(keep, advance_from=advance_from)
        self.say_result(result)

    def say_result(self, result: BulkResult) -> None:
        ctx = self.ctx
        message = ctx.t_n(_DONE[result.verb], len(result.changed))
        if result.skipped:
            reasons = "; ".join(
                f"{self._reason(reason)} ({ctx.count(len(ids))}: {_some(ids)})"
                for reason, ids in result.skipped.items()
            )
            message += " " + ctx.t_n("desk.skipped", result.skipped_count) + reasons
        if result.undoable:
            message += " " + ctx.t("desk.undo_hint")
        self.desk.tell(message, severity="warning" if result.skipped else "information")

    def _reason(self, reason: str) -> str:
        """ "missing_type+category" reads "missing type, category"."""
        if reason.startswith(SKIP_MISSING):
            fields = reason.removeprefix(SKIP_MISSING).split("+")
            named = ", ".join(self.ctx.t(f"field.{f}") for f in fields)
            return self.ctx.t("desk.skip.missing", fields=named)
        return self.ctx.t(f"desk.skip.{reason}")

    def undo(self) -> None:
        undo = self.last
        if undo is None:
            self.desk.say(self.ctx.t("desk.nothing_to_undo"), warning=True)
            return
        self.last = None
        self._run_bulk(sorted(undo.changed), lambda bulk, _: bulk.undo(undo))


def _some(ids: tuple[int, ...], shown: int = 5) -> str:
    """A few ids, so the analyst can look them up: `#3, #8, #12 …`."""
    text = ", ".join(f"#{i}" for i in ids[:shown])
    return text + (" …" if len(ids) > shown else "")
