"""The team's registry on a real store: categories and analysts added, refused, removed
(kept on old cases), brought back, and every change in the settings log."""

from __future__ import annotations

import pytest

from npsdesk.bootstrap import Services
from npsdesk.domain.models import DomainError, TicketType
from npsdesk.domain.registry import RegistryError
from npsdesk.errors import NotFound
from npsdesk.services import registry as r
from npsdesk.services.registry import Registry
from npsdesk.services.team import TeamSettings
from npsdesk.store import case_reads
from npsdesk.store import desk_queries as dq


def a_case_in(services: Services, category: str) -> int:
    with services.db.read() as conn:
        row = conn.execute(
            "SELECT o.id FROM opinion o JOIN category c ON c.id = o.category_id "
            "WHERE c.name = ? ORDER BY o.id LIMIT 1",
            (category,),
        ).fetchone()
    return int(row[0])


def choices(services: Services) -> tuple[list[str], list[str]]:
    """What the desk offers: categories (g, close) and analysts (r, close, filter)."""
    with services.db.read() as conn:
        return case_reads.category_names(conn), [u for u, _ in dq.analysts(conn)]


def log(services: Services) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(c.setting, c.item, c.old, c.new) for c in TeamSettings(services).log()]


def test_a_category_is_added_refused_twice_ignoring_case_and_recorded(demo: Services) -> None:
    registry = Registry(demo, "helena")
    added = registry.add_category("  Integração   Fiscal ")
    assert (added.what, added.name) == (r.ADDED, "Integração Fiscal")
    assert "Integração Fiscal" in choices(demo)[0]
    with pytest.raises(RegistryError, match="category 'Integração Fiscal' already exists"):
        registry.add_category("integração fiscal")
    with pytest.raises(RegistryError, match="category 'Suporte' already exists") as caught:
        registry.add_category("SUPORTE")
    assert caught.value.code == "category.exists"
    change = TeamSettings(demo).log()[0]
    assert (change.actor, change.setting, change.item, change.new) == (
        "helena",
        "category",
        "Integração Fiscal",
        "active",
    )
    assert change.at == demo.clock.now()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "category.blank"),
        ("   ", "category.blank"),
        ("x" * 41, "category.long"),
        ("Suporte\x1b[31m", "category.control"),
        ("Linha\nDupla", "category.control"),
    ],
)
def test_bad_category_names_are_refused_with_a_reason(
    services: Services, name: str, code: str
) -> None:
    with pytest.raises(RegistryError) as caught:
        Registry(services).add_category(name)
    assert caught.value.code == code
    assert Registry(services).categories() == []
    assert TeamSettings(services).log() == []


def test_a_used_category_leaves_the_choices_but_stays_on_its_cases(demo: Services) -> None:
    registry = Registry(demo, "helena")
    opinion_id = a_case_in(demo, "Suporte")
    cases = next(c.cases for c in registry.categories() if c.name == "Suporte")
    removed = registry.remove_category("suporte")  # any case finds it
    assert (removed.what, removed.name, removed.cases) == (r.DEACTIVATED, "Suporte", cases)
    assert "Suporte" not in choices(demo)[0]
    assert demo.lookup.case_file(opinion_id).opinion.category == "Suporte"
    listed = {c.name: c for c in registry.categories()}
    assert listed["Suporte"].active is False
    assert "Suporte" not in [c.name for c in registry.categories(include_removed=False)]
    with pytest.raises(RegistryError, match="already removed"):
        registry.remove_category("Suporte")
    # a removed category cannot be given to a case anew; the cases that have it keep it
    other = a_case_in(demo, "Produto")
    with pytest.raises(DomainError, match="category 'Suporte' was removed"):
        demo.cases("ana").set_category(other, "Suporte")
    demo.cases("ana").close(
        opinion_id, ticket_type=TicketType.COMPLAINT, category="Suporte", responsible="ana"
    )
    # adding it again, in any case, brings the same category back with its cases
    back = registry.add_category("SUPORTE")
    assert (back.what, back.name, back.cases) == (r.REACTIVATED, "Suporte", cases)
    assert "Suporte" in choices(demo)[0]
    assert log(demo)[:2] == [
        ("category", "Suporte", "removed", "active"),
        ("category", "Suporte", "active", "removed"),
    ]


def test_an_unused_category_is_deleted_and_an_unknown_one_named(demo: Services) -> None:
    registry = Registry(demo)
    assert registry.remove_category("Implantação").what == r.DELETED  # no case uses it
    assert "Implantação" not in [c.name for c in registry.categories()]
    with pytest.raises(NotFound, match="no category 'Nada' \\(categories: Atendimento"):
        registry.remove_category("Nada")


def test_removing_the_thank_you_category_says_thank_yous_will_not_close(demo: Services) -> None:
    registry = Registry(demo)
    registry.add_category("Elogio")
    outcome = registry.remove_category("Elogio")
    assert outcome.note is not None
    assert "promoters.close_category" in outcome.note


def test_an_analyst_is_added_validated_updated_and_recorded(demo: Services) -> None:
    registry = Registry(demo, "helena")
    added = registry.add_analyst(
        "bia.costa", name=" Bia  Costa ", email="Bia.Costa@Durasoft.com.br", role="support"
    )
    assert added.what == r.ADDED
    bia = next(a for a in registry.analysts() if a.username == "bia.costa")
    assert (bia.name, bia.email, bia.role, bia.active) == (
        "Bia Costa",
        "bia.costa@durasoft.com.br",
        "support",
        True,
    )
    assert "bia.costa" in choices(demo)[1]
    with pytest.raises(RegistryError, match="lowercase letters") as caught:
        registry.add_analyst("Bia Costa")
    assert "'bia.costa'" in str(caught.value)  # the hint
    with pytest.raises(RegistryError, match="e-mail 'bia@' is not valid"):
        registry.add_analyst("bia.costa", email="bia@")
    with pytest.raises(RegistryError, match="the name cannot be blank"):
        registry.add_analyst("bia.costa", name="  ")
    # known analysts get their details replaced; an empty e-mail clears it
    assert registry.add_analyst("bia.costa", role="support_lead", email="").what == r.UPDATED
    assert registry.add_analyst("bia.costa", role="support_lead").what == r.UNCHANGED
    bia = next(a for a in registry.analysts() if a.username == "bia.costa")
    assert (bia.email, bia.role) == (None, "support_lead")
    assert log(demo)[:2] == [
        ("analyst.role", "bia.costa", "support", "support_lead"),
        ("analyst.email", "bia.costa", "bia.costa@durasoft.com.br", None),
    ]


def test_a_removed_analyst_keeps_their_cases_and_comes_back(demo: Services) -> None:
    registry = Registry(demo, "helena")
    with demo.db.read() as conn:
        opinion_id = int(
            conn.execute(
                "SELECT o.id FROM opinion o JOIN analyst a ON a.id = o.responsible_id "
                "WHERE a.username = 'bruno' ORDER BY o.id LIMIT 1"
            ).fetchone()[0]
        )
    removed = registry.remove_analyst("bruno")
    assert removed.what == r.DEACTIVATED
    assert removed.cases > 0
    assert "bruno" not in choices(demo)[1]
    case = demo.lookup.case_file(opinion_id)
    assert case.opinion.responsible == "bruno"
    cases = demo.cases("ana")
    with pytest.raises(DomainError, match="analyst 'bruno' was removed from the team"):
        cases.assign(a_case_in(demo, "Produto"), "bruno")
    cases.add_note(opinion_id, "still bruno's")  # the case itself goes on
    assert registry.add_analyst("bruno").what == r.REACTIVATED
    assert "bruno" in choices(demo)[1]
    cases.assign(a_case_in(demo, "Produto"), "bruno")


def test_an_analyst_nobody_refers_to_is_deleted(services: Services) -> None:
    registry = Registry(services)
    registry.add_analyst("temp", name="Temporário")
    assert registry.remove_analyst("temp").what == r.DELETED
    # the team store's login joined the team when it opened the store
    joined = ["tester"] if services.db.dialect == "postgresql" else []
    assert [a.username for a in registry.analysts()] == joined
    with pytest.raises(NotFound, match="no analyst 'temp'"):
        registry.remove_analyst("temp")
    assert log(services)[0] == ("analyst", "temp", "active", "deleted")
