"""The opinion list: one line per opinion, drawn only for the rows on screen.

A Line API widget over `PageCache`: the store is read a page at a time as the cursor or
the scrollbar reaches it, so a list of a million opinions costs what a list of fifty does.
The first line is the column header and stays put while the rows scroll under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from npsdesk.present.lookups import CLASS_STYLE
from npsdesk.services.desk_reads import ListFilter, ListRow
from npsdesk.tui.context import DeskContext
from npsdesk.tui.widgets.list_pages import PageCache
from npsdesk.untrusted.text import clean_line

CLASS_LETTER = {"detractor": "D", "neutral": "N", "promoter": "P"}
SELECTED_MARK = "●"
AWAITING_MARK = "↩"  # the customer replied and awaits us (`?` says so)
PENDING = "…"  # a countdown not worked out yet


@dataclass(frozen=True)
class Columns:
    """Cell widths for a list this wide; narrow lists drop vertical, then responsible."""

    customer: int
    vertical: int
    responsible: int

    AGE = 5
    DEADLINE = 6

    @classmethod
    def for_width(cls, width: int) -> Columns:
        vertical, responsible = 10, 8
        if width < 62:
            vertical = 0
        if width < 50:
            responsible = 0
        fixed = 2 + 1 + 4 + 1 + 1 + cls.AGE + 1 + cls.DEADLINE
        fixed += (vertical + 1 if vertical else 0) + (responsible + 1 if responsible else 0)
        return cls(max(8, width - fixed), vertical, responsible)


def _cell(text: Text, width: int, justify: str = "left") -> Text:
    text.no_wrap = True
    text.overflow = "ellipsis"
    text.truncate(width, overflow="ellipsis")
    if justify == "right":
        text.pad_left(width - text.cell_len)
    else:
        text.pad_right(width - text.cell_len)
    return text


def _join(cells: list[Text]) -> Text:
    return Text(" ").join(cells)


def age_text(row: ListRow, ctx: DeskContext) -> str:
    seconds = max(0, int((ctx.now() - row.answered_at).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def deadline_text(row: ListRow, ctx: DeskContext, *, counted: bool = True) -> Text:
    """The countdown in business days; overdue is marked, closed cases have none. Until
    the holiday tables are loaded (`counted` False) an open case shows a dim ellipsis."""
    if row.status == "closed":
        return Text("✓", style="green")
    if not counted:
        return Text(PENDING, style="dim")
    left = ctx.days_left(row.deadline)
    if left < 0:
        return Text(f"{left}d!", style="bold red")
    if left == 0:
        return Text(ctx.t("desk.today"), style="bold yellow")
    return Text(f"{left}d")


def row_text(
    row: ListRow, ctx: DeskContext, width: int, *, selected: bool, counted: bool = True
) -> Text:
    cols = Columns.for_width(width)
    mark = Text(SELECTED_MARK if selected else " ", style="bold magenta")
    mark.append(AWAITING_MARK if row.awaiting_us else " ", style="bold cyan")
    score = Text(CLASS_LETTER.get(row.nps_class, "?"), style=f"bold {CLASS_STYLE[row.nps_class]}")
    score.append(f" {row.score:>2}", style=CLASS_STYLE[row.nps_class])
    customer = Text(clean_line(row.name or row.company or "-"))
    if row.name and row.company:
        customer.append(" · " + clean_line(row.company), style="dim")
    cells = [mark, _cell(score, 4), _cell(customer, cols.customer)]
    if cols.vertical:
        cells.append(_cell(Text(clean_line(row.vertical or "-"), style="cyan"), cols.vertical))
    cells.append(_cell(Text(age_text(row, ctx), style="dim"), Columns.AGE, "right"))
    cells.append(_cell(deadline_text(row, ctx, counted=counted), Columns.DEADLINE, "right"))
    if cols.responsible:
        who = Text(clean_line(row.responsible or "-"), style="" if row.responsible else "dim")
        cells.append(_cell(who, cols.responsible))
    return _join(cells)


def header_text(ctx: DeskContext, width: int) -> Text:
    cols = Columns.for_width(width)
    cells = [
        Text("  "),
        _cell(Text(ctx.t("desk.col.score")), 4),
        _cell(Text(ctx.t("desk.col.customer")), cols.customer),
    ]
    if cols.vertical:
        cells.append(_cell(Text(ctx.t("vertical").capitalize()), cols.vertical))
    cells.append(_cell(Text(ctx.t("desk.col.age")), Columns.AGE, "right"))
    cells.append(_cell(Text(ctx.t("desk.col.deadline")), Columns.DEADLINE, "right"))
    if cols.responsible:
        cells.append(_cell(Text(ctx.t("desk.col.responsible")), cols.responsible))
    return _join(cells)


class OpinionList(ScrollView, can_focus=True):
    """The opinions of the current tab and search, in priority order."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "opinion-list--header",
        "opinion-list--cursor",
        "opinion-list--cursor-blurred",
    }
    DEFAULT_CSS = """
    OpinionList {
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    OpinionList > .opinion-list--header { text-style: bold; background: $boost; }
    OpinionList > .opinion-list--cursor { background: $accent 50%; }
    OpinionList > .opinion-list--cursor-blurred { background: $accent 20%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "up", show=False, id="list.up"),
        Binding("pagedown", "page_down", "page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "page up", show=False, id="list.page_up"),
        Binding("home", "first", "first", show=False, id="list.first"),
        Binding("end", "last", "last", show=False, id="list.last"),
        Binding("enter", "open", "open", show=False, id="list.open"),
        Binding("space", "toggle_row", "select", show=False, id="list.toggle"),
        Binding("shift+down,J", "extend_down", "extend", show=False, id="list.extend_down"),
        Binding("shift+up,K", "extend_up", "extend", show=False, id="list.extend_up"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(Message):
        """The cursor rests on another opinion (None: the list is empty); `by_user` when
        the analyst moved it, not a reload of the list."""

        def __init__(self, opinion_id: int | None, by_user: bool) -> None:
            super().__init__()
            self.opinion_id = opinion_id
            self.by_user = by_user

    class Opened(Message):
        """Enter or a double click on a row."""

        def __init__(self, opinion_id: int) -> None:
            super().__init__()
            self.opinion_id = opinion_id

    class SelectionChanged(Message):
        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, ctx: DeskContext, list_filter: ListFilter, *, id: str | None = None):
        super().__init__(id=id)
        self.ctx = ctx
        self.cache = PageCache(ctx.reads, list_filter)
        self.selected: set[int] = set()
        self._highlighted: int | None = -1
        self._by_user = False
        # The case under the cursor left the list (the desk still shows it) and the next
        # one took its row: moving down lands on that row rather than skipping it.
        self.gap = False
        # drawn lines, by what makes them look the way they do; a reload starts afresh
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._generation = 0
        self._frame: tuple[int, Style] = (0, Style())
        # Counting business days needs the holiday tables, whose first load (~0.3 s) would
        # hold up the first frame: it shows the open cases' countdown pending until the desk,
        # its frame on screen, calls `count_days`.
        self.counted = False

    def count_days(self) -> None:
        """Load the holiday tables and draw the countdown."""
        self.ctx.services.calendar.holidays_in(self.ctx.today().year)
        self.counted = True
        self._generation += 1  # draw the lines again, with their countdown
        self.refresh()

    # -- data ----------------------------------------------------------------------------

    @property
    def filter(self) -> ListFilter:
        return self.cache.filter

    @property
    def total(self) -> int:
        return self.cache.known_rows

    def current(self) -> ListRow | None:
        return self.cache.row(self.cursor)

    def load(self, list_filter: ListFilter | None = None, *, keep: int | None = None) -> None:
        """Read the list again (another filter, or the store changed); the cursor stays on
        the opinion `keep` when it is still listed, else at the same place."""
        place = self.cursor
        self.cache.reset(list_filter)
        self._generation += 1
        self.gap = False
        if list_filter is not None:
            place = 0
        self.cache.row(0)
        if keep is not None:
            found = self.cache.position(keep)
            if found is not None:
                place = found
        self.cache.row(place)  # its page, so the cursor can stand there before the count
        self._resize()
        self.move_to(place)

    def set_total(self, total: int) -> None:
        """The tab's count arrived: the scrollbar and the last row know where they are."""
        self.cache.total = total
        self._resize()
        self.move_to(self.cursor)

    def _resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.total + 1)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._resize()

    # -- the cursor -------------------------------------------------------------------------

    def move_to(self, index: int, *, by_user: bool = False) -> None:
        if by_user and self.gap:
            self.gap = False
            self._generation += 1  # the cursor's row looks like the cursor again
            self.refresh()
        last = self.total - 1
        self._by_user = by_user
        self.cursor = max(0, min(index, last)) if last >= 0 else 0
        self._by_user = False

    def watch_cursor(self, previous: int, cursor: int) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if cursor < top:
            self.scroll_to(y=cursor, animate=False, immediate=True)
        elif cursor >= top + visible:
            self.scroll_to(y=cursor - visible + 1, animate=False, immediate=True)
        if round(self.scroll_y) == top:  # (a scroll redraws every line)
            # only the rows the cursor left and reached look different
            self._refresh_row(previous, top)
            self._refresh_row(cursor, top)
        row = self.current()
        opinion_id = None if row is None else row.id
        if opinion_id != self._highlighted or self._by_user:
            self._highlighted = opinion_id
            self.post_message(self.Highlighted(opinion_id, self._by_user))

    def _refresh_row(self, index: int, top: int) -> None:
        y = index - top + 1  # the header is line 0
        if 0 < y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + (0 if self.gap else 1), by_user=True)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1, by_user=True)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 2), by_user=True)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 2), by_user=True)

    def action_first(self) -> None:
        self.move_to(0, by_user=True)

    def action_last(self) -> None:
        self.move_to(self.total - 1, by_user=True)

    # -- selection --------------------------------------------------------------------------

    def action_toggle_row(self) -> None:
        row = self.current()
        if row is None:
            return
        self.selected.symmetric_difference_update({row.id})
        self._selection_changed()

    def _extend(self, step: int) -> None:
        row = self.current()
        if row is not None:
            self.selected.add(row.id)
        self.move_to(self.cursor + step, by_user=True)
        row = self.current()
        if row is not None:
            self.selected.add(row.id)
        self._selection_changed()

    def action_extend_down(self) -> None:
        self._extend(1)

    def action_extend_up(self) -> None:
        self._extend(-1)

    def select(self, ids: list[int]) -> None:
        self.selected.update(ids)
        self._selection_changed()

    def clear_selection(self) -> None:
        if self.selected:
            self.selected.clear()
            self._selection_changed()

    def _selection_changed(self) -> None:
        self.refresh()
        self.post_message(self.SelectionChanged(len(self.selected)))

    # -- mouse -------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index < self.total:
            self.move_to(index, by_user=True)
            row = self.current()
            if event.chain >= 2 and row is not None:
                self.post_message(self.Opened(row.id))

    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            self.post_message(self.Opened(row.id))

    # -- drawing -----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # what every line shares, worked out once per frame rather than once per line
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, base = self._frame
        if y == 0:
            header = self.get_component_rich_style("opinion-list--header")
            return self._strip(header_text(self.ctx, width), width, base + header)
        index = round(self.scroll_y) + y - 1
        row = self.cache.row(index) if index < self.total else None
        if row is None:
            if index == 0 and y == 1:
                empty = Text(self.ctx.t("desk.empty"), style="dim italic")
                return self._strip(empty, width, base)
            return Strip.blank(width, base)
        selected = row.id in self.selected
        look = ""
        if index == self.cursor:
            sharp = self.has_focus and not self.gap
            look = "opinion-list--cursor" if sharp else "opinion-list--cursor-blurred"
        key = (self._generation, index, row.id, selected, look, width, base)
        strip = self._lines.get(key)
        if strip is None:
            style = base + self.get_component_rich_style(look) if look else base
            text = row_text(row, self.ctx, width, selected=selected, counted=self.counted)
            strip = self._lines[key] = self._strip(text, width, style)
        return strip

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text.stylize_before(style)
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, style)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
