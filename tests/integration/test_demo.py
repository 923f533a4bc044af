"""The demo store: built through the importer, its history in order, the same when rebuilt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.conftest import DEMO_DIR, NOW, make_settings

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.periods import Period
from npsdesk.services.demo import build_demo


def counts(services: Services) -> tuple[int, ...]:
    with services.db.read() as conn:
        return tuple(
            int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("opinion", "respondent", "event", "outbox", "inbound_message")
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
        assert again.messages == 0
        assert again.existing == was[0]
        assert counts(later) == was
    finally:
        later.close()


def test_the_customers_messages_come_back_into_their_cases(demo: Services) -> None:
    """data/demo/replies: four replies and an auto-reply threaded to the demo's e-mails by
    their Message-IDs, a bounce of one of them, and a stranger's message left unmatched."""
    with demo.db.read() as conn:
        taken = conn.execute(
            "SELECT i.kind, i.state, i.matched_by, o.external_id, i.received_at, i.sent_at"
            " FROM inbound_message i LEFT JOIN opinion o ON o.id = i.opinion_id ORDER BY i.id"
        ).fetchall()
        awaiting = conn.execute("SELECT count(*) FROM opinion WHERE lane = 0").fetchone()[0]
        flagged = conn.execute("SELECT count(*) FROM address_flag").fetchone()[0]
        sent = conn.execute(
            "SELECT message_id FROM event WHERE kind = 'email_sent' AND opinion_id = ("
            "SELECT id FROM opinion WHERE external_id = 'TRK-110519')"
        ).fetchall()
    assert [tuple(row)[:4] for row in taken] == [
        ("bounce", "matched", "thread", "TRK-110188"),
        ("reply", "matched", "thread", "TRK-110025"),
        ("auto_reply", "matched", "thread", "TRK-110398"),
        ("reply", "matched", "thread", "TRK-110519"),
        ("reply", "matched", "thread", "TRK-110460"),
        ("reply", "matched", "thread", "TRK-110614"),
        ("reply", "unmatched", None, None),
    ]
    assert all(row[4] == row[5] for row in taken)  # taken in at their own (moved) dates
    assert [row[0] for row in sent] == ["<demo.TRK-110519.202611100921@durasoft.com.br>"]
    assert (awaiting, flagged) == (4, 1)
    replies = demo.dashboard().replies(Period())
    assert (replies.total.replied, replies.median_hours, replies.p90_hours) == (4, 10.9, 58.9)
    assert [(c.nps_class, c.replied) for c in replies.classes] == [
        ("detractor", 3),
        ("neutral", 1),
        ("promoter", 0),
    ]
