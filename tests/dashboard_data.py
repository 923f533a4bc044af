"""A small store for the dashboard whose figures can be counted by hand.

Today is Monday 2026-11-23 (the tests' clock) in São Paulo (UTC-3). The opinions:

    A 10 Farma   answered Mon 02/11 10:00  ana acts +2 h, closes +24 h (03/11)
    B  3 Farma   answered Mon 09/11 09:00  ana acts +4 h, closes +11 days (Fri 20/11)
    C  8 Food    answered Sun 15/11 23:30  (already 16/11 in UTC) bruno acts +6 h
    D  0 -       answered Tue 17/11 08:00  untreated, nobody
    E  9 Food    answered Wed 18/11 08:00  internal survey: left out unless asked for
    F  7 Food    answered Sat 31/10 23:30  (1/11 in UTC) archived, untreated
    G 10 Farma   answered Fri 20/11 10:00  bruno closes +48 h (Sun 22/11)
    H  5 Retail  answered Tue 01/09 10:00  ana closes Thu 19/11: before the period

Over PERIOD (26/10 to 23/11): 6 answers, 2 promoters, 2 neutrals, 2 detractors, NPS 0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tests.importing import import_answers

from npsdesk.bootstrap import Services
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.models import TicketType
from npsdesk.domain.periods import Period
from npsdesk.services.cases import CaseService
from npsdesk.store.case_writes import upsert_category

SP = ZoneInfo("America/Sao_Paulo")
PERIOD = Period(date(2026, 10, 26), date(2026, 11, 23))
HOUR = 3600


def local(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SP)


ANSWERS = {
    "A": (10, "Farma", local(2, 11, 10), False),
    "B": (3, "Farma", local(9, 11, 9), False),
    "C": (8, "Food", local(15, 11, 23, 30), False),
    "D": (0, None, local(17, 11, 8), False),
    "E": (9, "Food", local(18, 11, 8), True),
    "F": (7, "Food", local(31, 10, 23, 30), False),
    "G": (10, "Farma", local(20, 11, 10), False),
    "H": (5, "Retail", local(1, 9, 10), False),
}


def build(services: Services) -> dict[str, int]:
    with services.db.write() as conn:
        upsert_category(conn, "Suporte")
    answers = [
        {
            "external_id": name,
            "score": score,
            "answered_at": answered.astimezone(UTC),
            "email": f"{name.lower()}@x.com.br",
            "vertical": vertical,
            "internal": internal,
        }
        for name, (score, vertical, answered, internal) in ANSWERS.items()
    ]
    ids = dict(zip(ANSWERS, import_answers(services, *answers, source="t"), strict=True))

    def at(moment: datetime, who: str) -> CaseService:
        return services.cases(who, FixedClock(moment.astimezone(UTC)))

    def close(name: str, moment: datetime, who: str) -> None:
        at(moment, who).close(
            ids[name], ticket_type=TicketType.COMPLAINT, category="Suporte", responsible=who
        )

    at(local(2, 11, 12), "ana").assign(ids["A"], "ana")
    close("A", local(3, 11, 10), "ana")
    at(local(9, 11, 13), "ana").assign(ids["B"], "ana")
    close("B", local(20, 11, 9), "ana")
    at(local(16, 11, 5, 30), "bruno").assign(ids["C"], "bruno")
    services.cases().archive(ids["F"])
    close("G", local(22, 11, 10), "bruno")
    close("H", local(19, 11, 10), "ana")
    return ids
