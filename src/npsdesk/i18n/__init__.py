"""What the user reads, in Portuguese or English: the one catalogue (`t`, `t_n`, `explain`)
and dates and numbers as each language writes them (`Style`, `fmt_*`)."""

from npsdesk.i18n.catalog import explain, t, t_n, word
from npsdesk.i18n.formats import Style, fmt_count, fmt_date, fmt_number, fmt_time

__all__ = [
    "Style",
    "explain",
    "fmt_count",
    "fmt_date",
    "fmt_number",
    "fmt_time",
    "t",
    "t_n",
    "word",
]
