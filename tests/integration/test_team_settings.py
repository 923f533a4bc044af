"""Team settings in the store: deadlines per class and the bonus policy win over each
analyst's settings file; sender and template changes are recorded; a template previews."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import make_settings
from tests.integration.test_import_sync import row, run_import, write_export

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.deadlines import DeadlineRules
from npsdesk.domain.registry import RegistryError
from npsdesk.mail.templates import TemplateError
from npsdesk.services.mail import MailRefused, MailService
from npsdesk.services.mail_preview import SAMPLE_COUPON, preview_template
from npsdesk.services.team import PERSONAL, TEAM, TeamSettings, bonus_neutrals


def deadline_of(services: Services, external_id: str) -> date:
    with services.db.read() as conn:
        found = conn.execute(
            "SELECT deadline FROM opinion WHERE external_id = ?", (external_id,)
        ).fetchone()
    return date.fromisoformat(found[0])


def test_a_team_deadline_wins_over_the_settings_file_for_new_imports(
    services: Services, tmp_path: Path
) -> None:
    team = TeamSettings(services, "helena")
    assert services.rules == DeadlineRules(1, 3, 5)
    assert [s.source for s in team.deadlines()] == [PERSONAL] * 3
    assert team.set_deadline("detractor", "3") is True
    assert team.set_deadline("detractor", 3) is False  # unchanged: nothing recorded
    assert services.rules == DeadlineRules(3, 3, 5)
    detractor = team.deadlines()[0]
    assert (detractor.effective, detractor.source, detractor.personal) == (3, TEAM, 1)
    assert (detractor.set_by, detractor.set_at) == ("helena", services.clock.now())
    # answered Friday 20/11/2026: 3 business days is Wednesday, not Monday
    run_import(services, write_export(tmp_path / "a.csv", row("R-1", "2")))
    assert deadline_of(services, "R-1") == date(2026, 11, 25)
    # cleared: the settings file decides again, for the next import only
    team.set_deadline("detractor", None)
    assert services.rules == DeadlineRules(1, 3, 5)
    run_import(services, write_export(tmp_path / "b.csv", row("R-2", "2")))
    assert deadline_of(services, "R-2") == date(2026, 11, 23)
    assert deadline_of(services, "R-1") == date(2026, 11, 25)
    assert [(c.setting, c.old, c.new) for c in team.log()] == [
        ("deadlines.detractor", "3", None),
        ("deadlines.detractor", None, "3"),
    ]


def test_the_team_deadline_also_beats_an_environment_value(
    store_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPSDESK_DEADLINES_NEUTRAL", "7")
    wired = bootstrap(make_settings(store_path), clock=clock)
    try:
        team = TeamSettings(wired)
        neutral = team.deadlines()[1]
        assert (neutral.effective, neutral.personal_source) == (7, "env NPSDESK_DEADLINES_NEUTRAL")
        team.set_deadline("neutral", 2)
        assert wired.rules.neutral == 2
    finally:
        wired.close()


@pytest.mark.parametrize("days", [0, 91, -1, "", "dois", "2.5", True])
def test_deadlines_outside_1_to_90_business_days_are_refused(
    services: Services, days: object
) -> None:
    team = TeamSettings(services)
    if days == "":  # blank clears: nothing to refuse
        assert team.set_deadline("neutral", "") is False
        return
    with pytest.raises(RegistryError, match="neutrals must be") as caught:
        team.set_deadline("neutral", days)  # type: ignore[arg-type]
    assert caught.value.code == "deadline.range"
    assert team.log() == []


def test_several_deadlines_are_saved_together_or_not_at_all(services: Services) -> None:
    team = TeamSettings(services)
    with pytest.raises(RegistryError, match="promoters"):
        team.set_deadlines({"detractor": 2, "neutral": 4, "promoter": 120})
    assert services.rules == DeadlineRules(1, 3, 5)
    assert team.set_deadlines({"detractor": 2, "neutral": "", "promoter": "8"}) == [
        "detractor",
        "promoter",
    ]
    assert services.rules == DeadlineRules(2, 3, 8)
    with pytest.raises(RegistryError, match="no class 'passive'"):
        team.set_deadline("passive", 2)


def test_the_team_bonus_policy_decides_whether_neutrals_get_a_coupon(demo: Services) -> None:
    with demo.db.read() as conn:
        neutral = int(
            conn.execute(
                "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
                "WHERE o.nps_class = 'neutral' AND o.status <> 'closed' AND NOT o.internal "
                "AND r.email IS NOT NULL ORDER BY o.id LIMIT 1"
            ).fetchone()[0]
        )
    team = TeamSettings(demo, "helena")
    demo.settings = replace(demo.settings, bonus_neutrals=True)
    team.set_bonus_neutrals(False)  # the team's "off" wins over this analyst's file
    assert bonus_neutrals(demo) is False
    assert (team.bonus_neutrals().source, team.bonus_neutrals().personal) == (TEAM, True)
    mail = MailService(demo, "helena")
    refused = mail.thank([neutral]).refused
    assert refused == [(neutral, f"opinion {neutral} is not a promoter")]
    team.set_bonus_neutrals(True)
    assert mail.thank([neutral]).queued == 1
    with demo.db.read() as conn:
        body = conn.execute("SELECT body FROM outbox WHERE opinion_id = ?", (neutral,)).fetchone()
    assert "cupom de bônus" in body[0]
    team.set_bonus_neutrals(None)
    assert team.bonus_neutrals().source == PERSONAL
    pools = team.pools()
    assert [(p.campaign, p.active, p.given) for p in pools] == [("Bônus NPS", True, 1)]
    assert [c.new for c in team.log(setting="bonus.neutrals")] == [None, "true", "false"]


def test_sender_and_template_changes_are_recorded_old_to_new(demo: Services) -> None:
    mail = MailService(demo, "helena")
    before = mail.sender()
    mail.set_sender(name="Equipe CS", reply_to="CS@Durasoft.com.br")
    mail.set_sender(name="Equipe CS")  # the same: nothing new recorded
    with pytest.raises(RegistryError, match="reply-to 'cs@' is not valid"):
        mail.set_sender(reply_to="cs@")
    with pytest.raises(MailRefused, match="longer than 80"):
        mail.set_sender(name="x" * 81)
    assert mail.sender().reply_to == "cs@durasoft.com.br"
    old = mail.template("neutral")
    with pytest.raises(TemplateError, match="unknown placeholder"):
        mail.save_template("neutral", "Oi {{ cliente }}", old.body)
    mail.save_template("neutral", "Oi, {{ primeiro_nome }}", old.body)
    changes = [(c.actor, c.setting, c.item, c.old, c.new) for c in TeamSettings(demo).log()]
    assert changes == [
        ("helena", "template.subject", "neutral", old.subject, "Oi, {{ primeiro_nome }}"),
        ("helena", "sender.reply_to", None, before.reply_to, "cs@durasoft.com.br"),
        ("helena", "sender.name", None, before.name, "Equipe CS"),
        *changes[3:],
    ]
    assert [c[1] for c in changes[3:]] == ["sender.signature", "sender.reply_to", "sender.name"]
    assert {c[0] for c in changes[3:]} == {"npsdesk"}  # the demo set them up
    assert [c.setting for c in TeamSettings(demo).log(setting="template")] == ["template.subject"]


def test_a_template_previews_with_a_sample_case_before_it_is_saved(demo: Services) -> None:
    shown = preview_template(
        demo, "ana", "bonus", "Para {{ primeiro_nome }}", "Seu código: {{ cupom }}"
    )
    assert "From: Sucesso do Cliente Durasoft <loop@demo.invalid>" in shown
    assert "Subject: Para " in shown
    assert f"Seu código: {SAMPLE_COUPON}" in shown
    assert shown.rstrip().endswith("(11) 4002-8922")  # the team's signature
    with pytest.raises(TemplateError, match="unknown placeholder"):
        preview_template(demo, "ana", "detractor", "Oi", "{{ senha }}")
    assert MailService(demo).template("bonus").subject != "Para {{ primeiro_nome }}"


def test_a_preview_on_an_empty_store_uses_a_made_up_customer(services: Services) -> None:
    shown = preview_template(services, "ana", "detractor", "Oi {{ nome }}", "Nota {{ nota }}")
    assert "To: Maria Aparecida Santos <cliente@exemplo.com.br>" in shown
    assert "Subject: Oi Maria Aparecida Santos" in shown
    assert "Nota 4" in shown
    assert "(mail.from_address not set)" in shown
