"""What the case pane shows of the history the analyst did not write by hand."""

from __future__ import annotations

from tests.integration.conftest import Server
from tests.ui.conftest import WIDE, desk, mail_through, search, seen, settle

from npsdesk.bootstrap import Services
from npsdesk.services.mail import MailService
from npsdesk.tui.app import DeskApp


async def test_an_email_the_server_refused_is_in_the_case_history(
    demo: Services, smtp: Server
) -> None:
    mail_through(demo, smtp)
    mail = MailService(demo, actor="tester")
    draft = mail.compose(34)
    smtp.refuse.add(draft.to_address)
    outbox_id = mail.queue(draft)
    assert mail.deliver().failed == 1
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # the try put the case in treatment
        await settle(pilot)
        await search(pilot, "34")
        screen = desk(pilot)
        assert screen.case is not None
        assert screen.case.opinion.id == 34
        shown = seen(pilot)
        assert "e-mail not delivered: failed" in shown
        assert f"(npsdesk outbox retry {outbox_id})" in shown
        assert f"subject: {draft.subject}" in shown
        assert "reason: 550 5.1.1 mailbox unavailable" in shown
