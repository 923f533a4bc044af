"""Treating a case through the services: status rules and the history they leave."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.conftest import NOW
from tests.importing import import_answers

from npsdesk.bootstrap import Services
from npsdesk.domain.models import Channel, ContactOutcome, DomainError, Priority, TicketType
from npsdesk.errors import NotFound
from npsdesk.store import case_writes


def add_opinion(
    services: Services, score: int = 3, *, internal: bool = False, external_id: str = "T-1"
) -> int:
    with services.db.write() as conn:
        case_writes.upsert_analyst(conn, "ana", NOW, name="Ana Beatriz")
        case_writes.upsert_analyst(conn, "carla", NOW, name="Carla Mendes")
        case_writes.upsert_category(conn, "Suporte")
    [opinion_id] = import_answers(
        services,
        {
            "external_id": external_id,
            "score": score,
            "answered_at": datetime(2026, 11, 20, 15, 0, tzinfo=UTC),  # a Friday
            "comment": "O PDV trava toda hora",
            "internal": internal,
            "name": "João Araújo",
            "email": "joao@padaria.com.br",
            "cnpj": "11222333000181",
        },
    )
    return opinion_id


def kinds(services: Services, opinion_id: int) -> list[str]:
    return [e.kind for e in services.lookup.case_file(opinion_id).history]


def test_a_contact_attempt_moves_the_case_into_treatment(services: Services) -> None:
    opinion_id = add_opinion(services)
    services.cases("ana").log_contact(opinion_id, Channel.PHONE, ContactOutcome.NO_ANSWER)
    case = services.lookup.case_file(opinion_id)
    assert case.opinion.status == "in_treatment"
    assert case.opinion.first_action_at == NOW
    attempt, change = case.history[1], case.history[2]
    assert (attempt.kind, attempt.channel, attempt.outcome, attempt.actor) == (
        "contact_attempt",
        "phone",
        "no_answer",
        "ana",
    )
    assert (change.kind, change.old_value, change.new_value) == (
        "status_changed",
        "untreated",
        "in_treatment",
    )


@pytest.mark.parametrize(
    "action",
    [
        lambda c, i: c.add_note(i, "Cliente relata lentidão; escalado ao suporte"),
        lambda c, i: c.assign(i, "carla"),
        lambda c, i: c.set_priority(i, Priority.LOW),
        lambda c, i: c.set_deadline(i, date(2026, 11, 30)),
        lambda c, i: c.set_category(i, "Suporte"),
        lambda c, i: c.set_type(i, TicketType.COMPLAINT),
        lambda c, i: c.record_email_sent(i, "Sobre sua avaliação", "Olá João"),
    ],
)
def test_any_first_action_starts_treatment(services: Services, action: object) -> None:
    opinion_id = add_opinion(services)
    action(services.cases("ana"), opinion_id)  # type: ignore[operator]
    assert services.lookup.case_file(opinion_id).opinion.status == "in_treatment"


def test_an_edit_to_the_same_value_is_no_action(services: Services) -> None:
    opinion_id = add_opinion(services)
    before = services.lookup.case_file(opinion_id)
    services.cases("ana").set_priority(opinion_id, Priority(before.opinion.priority))
    services.cases("ana").assign(opinion_id, None)
    after = services.lookup.case_file(opinion_id)
    assert after.opinion.status == "untreated"
    assert after.opinion.first_action_at is None
    assert after.opinion.version == before.opinion.version
    assert len(after.history) == len(before.history)


def test_following_and_archiving_do_not_change_status(services: Services) -> None:
    opinion_id = add_opinion(services)
    cases = services.cases("ana")
    cases.follow(opinion_id, "ana")
    cases.archive(opinion_id)
    case = services.lookup.case_file(opinion_id)
    assert case.opinion.status == "untreated"
    assert case.opinion.archived
    assert case.opinion.followers == ("ana",)
    cases.unarchive(opinion_id)
    cases.unfollow(opinion_id, "ana")
    case = services.lookup.case_file(opinion_id)
    assert not case.opinion.archived
    assert case.opinion.followers == ()
    assert [e.kind for e in case.history][1:] == [
        "field_changed",
        "archived",
        "unarchived",
        "field_changed",
    ]


def test_closing_names_the_missing_fields_and_changes_nothing(services: Services) -> None:
    opinion_id = add_opinion(services)
    cases = services.cases("ana")
    with pytest.raises(DomainError, match="type, category, responsible"):
        cases.close(opinion_id)
    with pytest.raises(DomainError, match="category") as refused:
        cases.close(opinion_id, ticket_type=TicketType.COMPLAINT, responsible="carla")
    assert "type" not in str(refused.value).split(":")[-1]
    case = services.lookup.case_file(opinion_id)
    assert case.opinion.status == "untreated"
    assert case.opinion.type is None
    assert kinds(services, opinion_id) == ["imported"]


def test_closing_with_the_ticket_fields(services: Services) -> None:
    opinion_id = add_opinion(services)
    services.cases("ana").close(
        opinion_id, ticket_type=TicketType.COMPLAINT, category="Suporte", responsible="carla"
    )
    case = services.lookup.case_file(opinion_id)
    assert (case.opinion.status, case.opinion.type, case.opinion.category) == (
        "closed",
        "complaint",
        "Suporte",
    )
    assert case.opinion.responsible == "carla"
    assert case.opinion.closed_at == NOW
    changes = [(e.field, e.old_value, e.new_value) for e in case.history[1:]]
    assert changes == [
        ("type", None, "complaint"),
        ("category", None, "Suporte"),
        ("responsible", None, "carla"),
        ("status", "untreated", "closed"),
    ]


def test_reopening_needs_a_reason(services: Services) -> None:
    opinion_id = add_opinion(services)
    cases = services.cases("ana")
    with pytest.raises(DomainError):
        cases.reopen(opinion_id, "cliente ligou de novo")  # not closed
    cases.close(opinion_id, ticket_type=TicketType.NONE, category="Suporte", responsible="ana")
    with pytest.raises(DomainError, match="reason"):
        cases.reopen(opinion_id, "   ")
    cases.reopen(opinion_id, "O problema voltou depois da atualização")
    case = services.lookup.case_file(opinion_id)
    assert case.opinion.status == "in_treatment"
    assert case.opinion.closed_at is None
    assert case.history[-1].body == "O problema voltou depois da atualização"


def test_a_note_on_a_closed_case_keeps_it_closed(services: Services) -> None:
    opinion_id = add_opinion(services)
    cases = services.cases("ana")
    cases.close(opinion_id, ticket_type=TicketType.NONE, category="Suporte", responsible="ana")
    cases.add_note(opinion_id, "Cliente agradeceu o retorno")
    assert services.lookup.case_file(opinion_id).opinion.status == "closed"


def test_internal_surveys_get_no_loop_email(services: Services) -> None:
    opinion_id = add_opinion(services, internal=True)
    with pytest.raises(DomainError, match="internal"):
        services.cases("ana").record_email_sent(opinion_id, "Oi", "Obrigado")
    assert kinds(services, opinion_id) == ["imported"]


def test_unknown_analyst_category_and_case_are_clear_errors(services: Services) -> None:
    opinion_id = add_opinion(services)
    cases = services.cases("ana")
    with pytest.raises(NotFound, match=r"unknown analyst 'zeca' \(known: ana, carla"):
        cases.assign(opinion_id, "zeca")
    with pytest.raises(NotFound, match="unknown category 'Nada'"):
        cases.set_category(opinion_id, "Nada")
    with pytest.raises(NotFound, match="no opinion with id 999"):
        cases.add_note(999, "x")
    with pytest.raises(DomainError, match="text"):
        cases.add_note(opinion_id, "  ")


def test_every_change_is_an_event_with_who_and_when(services: Services) -> None:
    opinion_id = add_opinion(services)
    cases = services.cases("ana")
    cases.assign(opinion_id, "carla")
    cases.assign(opinion_id, "carla")  # no change, no event
    cases.set_priority(opinion_id, Priority.HIGH)  # already high
    history = services.lookup.case_file(opinion_id).history
    edits = [(e.actor, e.at, e.field, e.old_value, e.new_value) for e in history if e.field]
    assert edits == [
        ("ana", NOW, "responsible", None, "carla"),
        ("ana", NOW, "status", "untreated", "in_treatment"),
    ]


def test_the_customer_history_gathers_opinions_by_cnpj(services: Services) -> None:
    first = add_opinion(services, score=4, external_id="T-1")
    second = add_opinion(services, score=9, external_id="T-2")
    case = services.lookup.case_file(second)
    assert [o.id for o in case.customer_opinions] == [first]
    assert case.customer_opinions[0].score == 4
