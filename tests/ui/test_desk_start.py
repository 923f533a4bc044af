"""The first frame and the cursor: the rows at once, their countdown a moment later, and a
cursor that redraws only the rows it leaves and reaches."""

from __future__ import annotations

import re
from datetime import date

from rich.color import Color
from tests.ui.conftest import WIDE, desk, seen, settle
from textual.pilot import Pilot

from npsdesk.bootstrap import Services
from npsdesk.domain.deadlines import BusinessCalendar
from npsdesk.tui.app import DeskApp
from npsdesk.tui.widgets.opinion_list import PENDING


class WatchedCalendar(BusinessCalendar):
    """Notes what the screen shows when the holiday tables are first asked for."""

    def __init__(self) -> None:
        super().__init__("BR")
        self.app: DeskApp | None = None
        self.screen_then: str | None = None

    def holidays_in(self, year: int) -> frozenset[date]:
        if self.screen_then is None and self.app is not None:
            strips = self.app.screen._compositor.render_strips()
            self.screen_then = "\n".join(strip.text for strip in strips)
        return super().holidays_in(year)


def line_with(screen: str, text: str) -> str:
    return next(line for line in screen.splitlines() if text in line)


async def test_rows_show_at_once_and_their_countdown_right_after(demo: Services) -> None:
    calendar = WatchedCalendar()
    demo.calendar = calendar
    app = calendar.app = DeskApp(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        # the first frame did not wait for the holiday tables: the rows were on screen
        assert calendar.screen_then is not None
        first = line_with(calendar.screen_then, "D  4 Luís Fernandes")
        assert re.search(rf" 97d +{PENDING} ", first)  # age, then the countdown to come
        first = line_with(seen(pilot), "D  4 Luís Fernandes")
        assert re.search(r" 97d +-65d! ", first)
        assert "1 Untreated 246" in seen(pilot)  # the tab counts, counted after the frame


def cursor_rows(pilot: Pilot[None]) -> list[int]:
    """The list rows (0 = the first under the header) drawn with the cursor's background."""
    opinions = desk(pilot).opinions
    cursor: Color | None = opinions.get_component_rich_style("opinion-list--cursor").bgcolor
    region = opinions.region
    strips = pilot.app.screen._compositor.render_strips()
    rows = []
    for row, y in enumerate(range(region.y + 1, region.bottom)):
        line = strips[y].crop(region.x, region.right)
        if any(segment.style is not None and segment.style.bgcolor == cursor for segment in line):
            rows.append(row)
    return rows


async def test_the_cursor_leaves_no_trail(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert cursor_rows(pilot) == [0]
        await pilot.press("j", "j", "j", "k")
        await settle(pilot)
        assert cursor_rows(pilot) == [2]
        # past the bottom the list scrolls: the cursor stays on the last row shown
        visible = desk(pilot).opinions.scrollable_content_region.height - 1
        for _ in range(visible + 2):
            await pilot.press("j")
        await settle(pilot)
        assert desk(pilot).opinions.cursor == visible + 4
        assert cursor_rows(pilot) == [visible - 1]
        await pilot.press("k")
        await settle(pilot)
        assert cursor_rows(pilot) == [visible - 2]
