"""Promoter thank-yous from the desk: `T` on one case, or over a selection after a preview."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import WIDE, desk, notes, search, seen, settle

from npsdesk.bootstrap import Services
from npsdesk.services.mail import MailService
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.choices import ConfirmForm


def sent_mail(services: Services) -> list[Path]:
    return sorted((Path(services.settings.store).parent / "demo-sent-mail").glob("*.eml"))


async def test_thank_one_promoter_sends_with_a_coupon_and_closes(
    app: DeskApp, demo: Services
) -> None:
    assert 2 in MailService(demo, "tester").drafts()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await search(pilot, "2")
        screen = desk(pilot)
        current = screen.opinions.current()
        assert current is not None
        assert current.id == 2
        assert "Thank-you draft waiting [T]" in seen(pilot)
        await pilot.press("T")
        await settle(pilot, 0.3)
        stored = demo.lookup.case_file(2)
        assert stored.opinion.status == "closed"
        assert len(sent_mail(demo)) == 1
        assert "NPS-BONUS-0001" in sent_mail(demo)[0].read_text(encoding="utf-8")
        coupons = [e for e in stored.history if e.kind == "coupon_sent"]
        assert len(coupons) == 1
        assert any("sent. Case closed." in n for n in notes(pilot))
        assert 2 not in MailService(demo, "tester").drafts()


async def test_thank_refused_for_a_detractor_says_why(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        current = desk(pilot).opinions.current()
        assert current is not None
        assert current.nps_class == "detractor"
        await pilot.press("T")
        await settle(pilot)
        assert any("not a promoter" in n for n in notes(pilot))
        assert sent_mail(demo) == []
        assert demo.lookup.case_file(current.id).opinion.status == "untreated"


async def test_thank_a_selection_after_a_preview_reports_the_empty_pool(
    app: DeskApp, demo: Services
) -> None:
    with demo.db.write() as conn:  # one code left for two promoters
        conn.execute("DELETE FROM coupon WHERE id > 1")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        screen.opinions.select([2, 3])
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmForm)
        shown = seen(pilot)
        assert "Send 2 thank-yous and close?" in shown
        assert "2 with a draft waiting." in shown
        assert "Free coupons in «Bônus NPS»: 1." in shown
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert demo.lookup.case_file(2).opinion.status == "closed"
        assert demo.lookup.case_file(3).opinion.status == "untreated"
        assert len(sent_mail(demo)) == 1
        report = next(n for n in notes(pilot) if "thank-yous queued" in n)
        assert report.startswith("1 thank-yous queued, 1 sent. 1 refused: #3: the coupon pool")
        assert "is empty" in report
        assert not screen.opinions.selected
        await search(pilot, "3")
        assert "Thank-you draft waiting" in seen(pilot)
        assert "is empty" in seen(pilot)


async def test_a_cancelled_thank_you_preview_sends_nothing(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        desk(pilot).opinions.select([2, 3])
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert sent_mail(demo) == []
        assert demo.lookup.case_file(2).opinion.status == "untreated"


async def test_a_refused_thank_you_says_why_in_portuguese(pt_services: Services) -> None:
    async with DeskApp(pt_services).run_test(size=WIDE) as pilot:
        await settle(pilot)
        current = desk(pilot).opinions.current()
        assert current is not None
        await pilot.press("T")
        await settle(pilot)
        assert any("não é de um promotor" in n for n in notes(pilot))
