"""The records the services hand to the front doors: an opinion with its case, a history
entry, the counts of a period. Plain frozen dataclasses; the store fills them in."""

from npsdesk.store.records import EventView, OpinionView, PeriodCounts

__all__ = ["EventView", "OpinionView", "PeriodCounts"]
