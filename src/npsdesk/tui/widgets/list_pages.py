"""The opinion list's window onto the store: pages of rows read on demand, a few kept.

Moving row by row or page by page reads the next page with a keyset seek from the page
beside it; a jump (end key, scrollbar) reads by offset from the nearer end. Only the pages
the analyst looks at are ever read, whatever the size of the store.
"""

from __future__ import annotations

from collections import OrderedDict

from npsdesk.services.desk_reads import DeskReads, ListFilter, ListRow

PAGE_SIZE = 50
KEEP_PAGES = 40


class PageCache:
    def __init__(
        self, reads: DeskReads, list_filter: ListFilter, page_size: int = PAGE_SIZE
    ) -> None:
        self.source = reads
        self.filter = list_filter
        self.page_size = page_size
        self.total: int | None = None  # None until counted
        self._pages: OrderedDict[int, list[ListRow]] = OrderedDict()
        self.reads = 0  # pages read from the store (tests and benchmarks look)

    def reset(self, list_filter: ListFilter | None = None) -> None:
        """Forget every page: another filter (its total is unknown until counted), or the
        store changed (the old total stands until the new count arrives)."""
        if list_filter is not None:
            self.filter = list_filter
            self.total = None
        self._pages.clear()

    @property
    def known_rows(self) -> int:
        """The total when counted; else the rows known to exist so far."""
        if self.total is not None:
            return self.total
        if not self._pages:
            return 0
        last = max(self._pages)
        return last * self.page_size + len(self._pages[last])

    def row(self, index: int) -> ListRow | None:
        if index < 0 or (self.total is not None and index >= self.total):
            return None
        number, offset = divmod(index, self.page_size)
        rows = self._page(number)
        return rows[offset] if offset < len(rows) else None

    def index_of(self, opinion_id: int) -> int | None:
        """Where a row already read stands (None when not in a page read)."""
        for number, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.id == opinion_id:
                    return number * self.page_size + offset
        return None

    def position(self, opinion_id: int) -> int | None:
        """Where `opinion_id` stands in the whole filtered list, asking the store if needed."""
        known = self.index_of(opinion_id)
        if known is not None:
            return known
        return self.source.position(self.filter, opinion_id)

    def _page(self, number: int) -> list[ListRow]:
        rows = self._pages.get(number)
        if rows is not None:
            self._pages.move_to_end(number)
            return rows
        rows = self._read(number)
        self._pages[number] = rows
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)
        return rows

    def _read(self, number: int) -> list[ListRow]:
        size = self.page_size
        previous = self._pages.get(number - 1)
        following = self._pages.get(number + 1)
        self.reads += 1
        page = self.source.page
        if number == 0:
            return page(self.filter, limit=size)
        if previous is not None and len(previous) == size:
            return page(self.filter, limit=size, after=previous[-1].key)
        if following:
            return page(self.filter, limit=size, before=following[0].key)
        start = number * size
        total = self.total
        if total is not None and start > total // 2:
            end = min(start + size, total)
            return page(self.filter, limit=end - start, offset=total - end, from_end=True)
        return page(self.filter, limit=size, offset=start)
