"""The demo store: built through the importer, its history in order, the same when rebuilt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.conftest import DEMO_DIR, NOW, make_settings

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.services.demo import build_demo


def counts(services: Services) -> tuple[int, ...]:
    with services.db.read() as conn:
        return tuple(
            int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("opinion", "respondent", "event", "outbox")
        )


def test_each_answer_arrives_when_it_was_answered_then_is_treated(demo: Services) -> None:
    with demo.db.read() as conn:
        busiest = conn.execute(
            "SELECT opinion_id FROM event GROUP BY opinion_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        batches = conn.execute("SELECT kind, source FROM import_batch ORDER BY id").fetchall()
    assert [tuple(b) for b in batches] == [("customers", "track"), ("responses", "track")]
    case = demo.lookup.case_file(busiest)
    arrival, *treatment = case.history
    assert (arrival.kind, arrival.actor, arrival.at) == (
        "imported",
        "import",
        case.opinion.answered_at,
    )
    assert arrival.body == f"track {case.opinion.external_id}"
    assert treatment
    assert all(e.at >= arrival.at for e in treatment)


def test_a_demo_built_again_a_week_later_changes_nothing(demo_store: Path) -> None:
    before = bootstrap(make_settings(demo_store), clock=FixedClock(NOW))
    was = counts(before)
    before.close()
    later = bootstrap(make_settings(demo_store), clock=FixedClock(NOW + timedelta(days=9)))
    try:
        again = build_demo(later, DEMO_DIR)
        assert (again.new, again.actions, again.thank_yous, again.shift_days) == (0, 0, 0, 0)
        assert again.existing == was[0]
        assert counts(later) == was
    finally:
        later.close()
