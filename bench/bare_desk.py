"""The desk benchmark's baseline: a bare Textual app with three panes and a 50-row table.

No store, no settings, no services: what any Textual app of this shape costs. Run as a
script it opens in the terminal (the first-paint benchmark reads its screen through a
pseudo-terminal); the cursor benchmark drives `BareDesk` with Textual's Pilot.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static

ROWS = 50


class BareDesk(App[None]):
    CSS = """
    #list-pane { width: 2fr; }
    #case-pane, #details-pane { width: 1fr; border-left: solid $panel; }
    """
    BINDINGS = [("q", "quit", "quit")]  # noqa: RUF012 (Textual's own style)

    def __init__(self, rows: int = ROWS) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="list-pane"):
                yield Static("Untreated  In treatment  All  Archived  Mine  Following")
                yield DataTable(id="table", cursor_type="row")
            yield Static("case history", id="case-pane")
            yield Static("respondent and case details", id="details-pane")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("NPS", "Customer · company", "Vertical", "Age", "Due", "Owner")
        for i in range(1, self.rows + 1):
            score = (0, 3, 6, 7, 8, 9, 10)[i % 7]
            table.add_row(
                f"D {score:>2}", f"Cliente {i} · Empresa {i} Ltda", "Retail", f"{i}d", "2d", "-"
            )
        table.focus()


if __name__ == "__main__":
    BareDesk().run()
