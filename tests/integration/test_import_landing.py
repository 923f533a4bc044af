"""The landing is planned before its transaction; what changed meanwhile is planned again."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from tests.integration.test_import_sync import count, row, run_import, write_export

from npsdesk.bootstrap import Services
from npsdesk.domain.models import Priority
from npsdesk.importers.landing import Landing, Plan


def hand_edit_while_landing(monkeypatch: pytest.MonkeyPatch, edit: object) -> None:
    """An analyst's change that lands between the plan and the landing's transaction."""
    planned = Landing.plan

    def plan_then_edit(self: Landing, conn: object) -> Plan:
        plan = planned(self, conn)  # type: ignore[arg-type]
        colleague = threading.Thread(target=edit)  # type: ignore[arg-type]
        colleague.start()  # another connection, as another program's
        colleague.join(30)
        return plan

    monkeypatch.setattr(Landing, "plan", plan_then_edit)


def test_a_hand_set_priority_between_plan_and_landing_is_kept(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(services, write_export(tmp_path / "v1.csv", row("T-1", "3")))
    case = services.lookup.find("T-1")[0]
    hand_edit_while_landing(
        monkeypatch, lambda: services.cases().set_priority(case.id, Priority.MEDIUM)
    )
    result = run_import(services, write_export(tmp_path / "v2.csv", row("T-1", "10")))
    assert result.updated == 1
    after = services.lookup.find("T-1")[0]
    assert after.score == 10
    assert after.priority == Priority.MEDIUM  # the analyst's, not the promoter default
    assert after.deadline == date(2026, 11, 27)  # still the default: moved to the new class


def test_a_landing_with_nothing_changed_meanwhile_moves_the_defaults(
    services: Services, tmp_path: Path
) -> None:
    run_import(services, write_export(tmp_path / "v1.csv", row("T-1", "3"), row("T-2", "9")))
    result = run_import(
        services,
        write_export(
            tmp_path / "v2.csv",
            row("T-1", "10", "Agora rápido", name="João A. Araújo"),
            row("T-2", "9"),
        ),
    )
    assert (result.updated, result.unchanged) == (1, 1)
    after = services.lookup.find("T-1")[0]
    assert (after.score, after.priority, after.comment) == (10, Priority.LOW, "Agora rápido")
    history = [
        (e.field, e.old_value, e.new_value)
        for e in services.lookup.case_file(after.id).history
        if e.kind == "updated_by_import"
    ]
    assert ("score", "3", "10") in history
    assert ("comment", "Sistema lento", "Agora rápido") in history
    assert ("priority", "1", "3") in history
    renamed = "SELECT count(*) FROM event WHERE field = 'name' AND new_value = 'João A. Araújo'"
    assert count(services, renamed) == 1


def test_a_customer_renamed_by_a_landing_is_found_by_the_new_name_only(
    services: Services, tmp_path: Path
) -> None:
    run_import(services, write_export(tmp_path / "v1.csv", row("T-1", "3"), row("T-2", "7", "Bom")))
    assert len(services.lookup.find("Araújo")) == 2
    run_import(
        services,
        write_export(
            tmp_path / "v2.csv",
            row("T-1", "3", name="Joaquim Zebedeu"),
            row("T-2", "7", "Bom", name="Joaquim Zebedeu"),
        ),
    )
    assert sorted(o.external_id for o in services.lookup.find("Zebedeu")) == ["T-1", "T-2"]
    assert services.lookup.find("Araújo") == []
    assert [o.external_id for o in services.lookup.find("lento")] == ["T-1"]
