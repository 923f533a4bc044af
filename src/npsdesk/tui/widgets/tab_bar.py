"""Above the list: the tabs with their live counts, and what the list is narrowed to."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from npsdesk.services.desk_reads import TABS, ListFilter
from npsdesk.tui.context import DeskContext
from npsdesk.untrusted.text import clean_line


def tabs_text(ctx: DeskContext, active: str, counts: Mapping[str, int], width: int = 0) -> Text:
    """`1 Untreated 37  2 In treatment 12 ...`, broken between tabs (never inside one) to
    fit `width`; a click on a tab switches to it."""
    parts: list[Text] = []
    for number, tab in enumerate(TABS, start=1):
        count = counts.get(tab)
        shown = "…" if count is None else ctx.count(count)
        click = Style.from_meta({"@click": f"screen.tab('{tab}')"})
        look = Style.parse("bold reverse" if tab == active else "")
        part = Text()
        part.append(f" {number} ", style=click + look + Style(dim=tab != active))
        part.append(f"{ctx.t(f'desk.tab.{tab}')} {shown} ", style=click + look)
        parts.append(part)
    text = Text(no_wrap=True)
    used = 0
    for part in parts:
        if used and width and used + 1 + part.cell_len > width:
            text.append("\n")
            used = 0
        elif used:
            text.append(" ")
            used += 1
        text.append_text(part)
        used += part.cell_len
    return text


def status_text(
    ctx: DeskContext,
    list_filter: ListFilter,
    selected: int,
    *,
    offline: bool = False,
    unmatched: int = 0,
) -> Text:
    """The search in force and the selection, or a reminder of how to narrow the list;
    first of all that the store cannot be reached, while it cannot, then how many customer
    messages found no case (a click opens them)."""
    text = Text()
    if offline:
        text.append(ctx.t("desk.offline"), style="bold reverse red")
        text.append("  ")
    if unmatched:
        from npsdesk.tui.bindings import key_in_force

        key = key_in_force(ctx.services.settings.keymap, "desk.inbox")
        said = ctx.t_n("desk.reply.unmatched", unmatched, press=key)
        text.append(
            said, style=Style.parse("bold yellow") + Style.from_meta({"@click": "screen.inbox"})
        )
        text.append("  ")
    if list_filter.narrow:
        from npsdesk.tui.forms.filter import describe_narrow

        text.append(f"{ctx.t('desk.filtered')}: ", style="bold")
        text.append_text(describe_narrow(list_filter.narrow, ctx).copy())
        text.stylize("cyan", len(ctx.t("desk.filtered")) + 2)
        text.append("  ")
    if list_filter.search:
        text.append(f"{ctx.t('desk.searching')}: ", style="bold")
        text.append(f"«{clean_line(list_filter.search)}»", style="cyan")
        text.append("  ")
    if selected:
        text.append(ctx.t_n("desk.selected", selected), style="bold magenta")
        text.append(f"  {ctx.t('desk.selected_hint')}", style="dim")
    elif not list_filter.search and not list_filter.narrow:
        text.append(ctx.t("desk.list_hint"), style="dim")
    return text


class TabBar(Static):
    _shown: tuple[DeskContext, str, dict[str, int]] | None = None  # to redraw on resize

    def show(self, ctx: DeskContext, active: str, counts: Mapping[str, int]) -> None:
        self._shown = (ctx, active, dict(counts))
        self.update(tabs_text(ctx, active, counts, self.size.width))

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)


class ListStatus(Static):
    def show(
        self,
        ctx: DeskContext,
        list_filter: ListFilter,
        selected: int,
        *,
        offline: bool = False,
        unmatched: int = 0,
    ) -> None:
        self.update(status_text(ctx, list_filter, selected, offline=offline, unmatched=unmatched))
