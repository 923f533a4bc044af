"""The cursor redraws only the rows it leaves and reaches."""

from __future__ import annotations

from rich.color import Color
from tests.ui.conftest import WIDE, desk, settle
from textual.pilot import Pilot

from npsdesk.ui.app import DeskApp


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
