"""Find, show and report against the demo store, checked against the raw demo files."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from tests.conftest import DEMO_DIR, NOW

from npsdesk.bootstrap import Services
from npsdesk.domain.cnpj import format_cnpj
from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import Period
from npsdesk.errors import NotFound
from npsdesk.services.intake import IncomingOpinion
from npsdesk.store.intake_writes import RespondentData

SP = ZoneInfo("America/Sao_Paulo")


def demo_rows() -> list[dict[str, str]]:
    with (DEMO_DIR / "respostas.csv").open(encoding="cp1252", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def answered_local(row: dict[str, str]) -> date:
    return datetime.strptime(row["Data da resposta"], "%d/%m/%Y %H:%M").date()


def expected(rows: list[dict[str, str]]) -> dict[str, int]:
    scores = [int(r["Nota"]) for r in rows if r["Pesquisa interna"] != "Sim"]
    return {
        "total": len(scores),
        "promoters": sum(s >= 9 for s in scores),
        "neutrals": sum(7 <= s <= 8 for s in scores),
        "detractors": sum(s <= 6 for s in scores),
    }


def test_report_over_everything_matches_the_files(demo: Services) -> None:
    report = demo.lookup.report(Period()).to_json()
    want = expected(demo_rows())
    assert {k: report[k] for k in want} == want
    nps = 100 * (want["promoters"] - want["detractors"]) / want["total"]
    assert report["nps"] == pytest.approx(nps, abs=0.05)
    assert sum(report["by_status"].values()) == report["total"]
    assert report["internal_excluded"] == sum(r["Pesquisa interna"] == "Sim" for r in demo_rows())


def test_report_for_a_month_uses_local_answer_dates(demo: Services) -> None:
    # The demo is built on the anchor week, so file dates are store dates.
    october = [r for r in demo_rows() if answered_local(r).month == 10]
    report = demo.lookup.report(Period(date(2026, 10, 1), date(2026, 10, 31))).to_json()
    want = expected(october)
    assert {k: report[k] for k in want} == want
    assert report["from"] == "2026-10-01"
    assert report["to"] == "2026-10-31"


def test_report_by_vertical_ignores_case_and_accents(demo: Services) -> None:
    rows = [r for r in demo_rows() if r["Vertical"] == "Gestão Financeira"]
    report = demo.lookup.report(Period(), "gestao financeira").to_json()
    assert report["total"] == expected(rows)["total"]
    assert report["vertical"] == "Gestão Financeira"
    with pytest.raises(NotFound, match=r"unknown vertical 'Padaria'.*Cross"):
        demo.lookup.report(Period(), "Padaria")


def test_an_empty_period_has_no_nps(demo: Services) -> None:
    report = demo.lookup.report(Period(date(2020, 1, 1), date(2020, 1, 31))).to_json()
    assert report["total"] == 0
    assert report["nps"] is None


def test_the_period_edge_is_local_midnight(services: Services) -> None:
    """23:30 on 31 October in São Paulo is already 1 November in UTC: it counts in October."""
    late = datetime(2026, 10, 31, 23, 30, tzinfo=SP).astimezone(UTC)
    with services.db.write() as conn:
        services.intake().register(
            conn,
            IncomingOpinion(
                source="t",
                external_id="1",
                score=10,
                answered_at=late,
                respondent=RespondentData(email="a@b.com.br"),
            ),
            NOW,
        )
    october = services.lookup.report(Period(date(2026, 10, 1), date(2026, 10, 31)))
    november = services.lookup.report(Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert (october.counts.total, november.counts.total) == (1, 0)
    assert october.nps == 100.0


def test_overdue_counts_open_cases_past_their_deadline(demo: Services) -> None:
    today = NOW.astimezone(SP).date()
    with demo.db.read() as conn:
        want = conn.execute(
            "SELECT count(*) FROM opinion WHERE NOT internal AND status <> 'closed' "
            "AND deadline < ?",
            (today.isoformat(),),
        ).fetchone()[0]
    assert want > 0
    assert demo.lookup.report(Period()).counts.overdue == want


def _some_customer(demo: Services) -> dict[str, str]:
    with demo.db.read() as conn:
        row = conn.execute(
            """SELECT r.cnpj, r.email, r.phone, count(*) AS n FROM respondent r
               JOIN opinion o ON o.respondent_id = r.id
               WHERE r.cnpj >= '0' AND r.cnpj < ':' AND r.phone IS NOT NULL
                 AND r.email IS NOT NULL
               GROUP BY r.id HAVING count(*) >= 2 ORDER BY count(*) DESC, r.id LIMIT 1"""
        ).fetchone()
    return dict(row)


@pytest.mark.parametrize("shape", ["bare", "formatted", "spaced"])
def test_find_by_cnpj_in_any_punctuation(demo: Services, shape: str) -> None:
    customer = _some_customer(demo)
    cnpj = customer["cnpj"]
    query = {
        "bare": cnpj,
        "formatted": format_cnpj(cnpj),
        "spaced": format_cnpj(cnpj).replace(".", " "),
    }[shape]
    found = demo.lookup.find(query)
    assert len(found) == customer["n"]
    assert {o.cnpj for o in found} == {cnpj}
    answered = [o.answered_at for o in found]
    assert answered == sorted(answered, reverse=True)


def test_find_by_email_and_phone_digits(demo: Services) -> None:
    customer = _some_customer(demo)
    assert {o.email for o in demo.lookup.find(customer["email"].upper())} == {customer["email"]}
    national = customer["phone"][3:]  # +55 DDD number -> DDD number
    by_phone = demo.lookup.find(f"({national[:2]}) {national[2:-4]}-{national[-4:]}")
    assert by_phone
    assert {o.phone for o in by_phone} == {customer["phone"]}


def test_find_by_words_ignores_accents_and_case(demo: Services) -> None:
    accented = demo.lookup.find("farmácia")
    folded = demo.lookup.find("FARMACIA")
    assert accented
    assert [o.id for o in accented] == [o.id for o in folded]
    assert all(
        "farm" in " ".join(filter(None, (o.company, o.name, o.comment, o.email))).lower()
        for o in accented
    )


def test_find_by_opinion_id_and_platform_id(demo: Services) -> None:
    external_id = demo_rows()[0]["ID da resposta"]
    one = demo.lookup.find(external_id)
    assert [o.external_id for o in one] == [external_id]
    assert one[0].id in [o.id for o in demo.lookup.find(str(one[0].id))]


def test_find_with_fts_syntax_in_the_query_is_just_words(demo: Services) -> None:
    assert demo.lookup.find('"suporte" OR NEAR(*') is not None
    assert demo.lookup.find("zzzznotthere") == []
    with pytest.raises(DomainError):
        demo.lookup.find("   ")


def test_show_gives_history_oldest_first_and_the_customer_opinions(demo: Services) -> None:
    with demo.db.read() as conn:
        busiest = conn.execute(
            "SELECT opinion_id FROM event GROUP BY opinion_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    case = demo.lookup.case_file(busiest)
    assert len(case.history) >= 4
    assert case.history[0].kind == "imported"
    times = [e.at for e in case.history]
    assert times == sorted(times)
    with pytest.raises(NotFound, match="no opinion with id 99999"):
        demo.lookup.case_file("99999")
