"""Status transitions, closing and reopening rules, e-mail to the respondent, ticket types."""

from __future__ import annotations

import pickle

import pytest

from npsdesk.domain.models import DomainError, Status, TicketType
from npsdesk.domain.workflow import (
    TICKET_TYPE_LABELS,
    CloseRefused,
    InvalidTransition,
    can_email_respondent,
    check_can_email,
    check_close,
    check_reopen,
    missing_for_close,
    parse_ticket_type,
    status_after_action,
    ticket_type_label,
)

# --- any first action ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Status.UNTREATED, Status.IN_TREATMENT),
        (Status.IN_TREATMENT, Status.IN_TREATMENT),
        (Status.CLOSED, Status.CLOSED),  # a note on a closed case does not reopen it
    ],
)
def test_status_after_action(before: Status, after: Status) -> None:
    assert status_after_action(before) is after


def test_status_after_action_accepts_the_stored_string() -> None:
    assert status_after_action("untreated") is Status.IN_TREATMENT  # type: ignore[arg-type]
    assert status_after_action("closed") is Status.CLOSED  # type: ignore[arg-type]


# --- closing ------------------------------------------------------------------------


def test_missing_for_close_none_missing() -> None:
    assert missing_for_close(TicketType.COMPLAINT, "Billing", "ana") == ()


def test_missing_for_close_all_missing_in_form_order() -> None:
    assert missing_for_close(None, None, None) == ("type", "category", "responsible")


@pytest.mark.parametrize(
    ("type_", "category", "responsible", "missing"),
    [
        (None, "Billing", "ana", ("type",)),
        (TicketType.PRAISE, None, "ana", ("category",)),
        (TicketType.PRAISE, "Billing", None, ("responsible",)),
        (TicketType.PRAISE, "", "ana", ("category",)),
        (TicketType.PRAISE, "   ", "\t\n", ("category", "responsible")),
        (None, " ", "ana", ("type", "category")),
        (TicketType.NONE, "Other", "ana", ()),  # "none" is a real type, not a missing one
    ],
)
def test_missing_for_close(
    type_: TicketType | None, category: str | None, responsible: str | None, missing: tuple[str]
) -> None:
    assert missing_for_close(type_, category, responsible) == missing


@pytest.mark.parametrize("status", [Status.UNTREATED, Status.IN_TREATMENT])
def test_close_with_all_fields(status: Status) -> None:
    assert check_close(status, TicketType.COMPLAINT, "Billing", "ana") is Status.CLOSED


def test_close_refused_names_the_missing_fields() -> None:
    with pytest.raises(CloseRefused) as info:
        check_close(Status.IN_TREATMENT, None, "  ", "ana")
    assert info.value.missing == ("type", "category")
    assert str(info.value) == "cannot close: missing type, category"


def test_close_refused_all_fields() -> None:
    with pytest.raises(CloseRefused, match="missing type, category, responsible") as info:
        check_close(Status.UNTREATED, None, None, None)
    assert info.value.missing == ("type", "category", "responsible")


def test_close_refused_is_a_domain_error_and_pickles() -> None:
    error = CloseRefused(("responsible",))
    assert isinstance(error, DomainError)
    assert str(error) == "cannot close: missing responsible"
    copy = pickle.loads(pickle.dumps(error))
    assert copy.missing == ("responsible",)
    assert str(copy) == str(error)


def test_closing_a_closed_case_is_refused() -> None:
    with pytest.raises(InvalidTransition, match="already closed"):
        check_close(Status.CLOSED, TicketType.PRAISE, "Service", "ana")
    assert issubclass(InvalidTransition, DomainError)


def test_already_closed_wins_over_missing_fields() -> None:
    with pytest.raises(InvalidTransition, match="already closed"):
        check_close(Status.CLOSED, None, None, None)


# --- reopening ----------------------------------------------------------------------


def test_reopen_with_a_reason() -> None:
    assert check_reopen(Status.CLOSED, "customer called again") is Status.IN_TREATMENT


@pytest.mark.parametrize("reason", [None, "", "   ", "\n"])
def test_reopen_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(InvalidTransition, match="needs a reason"):
        check_reopen(Status.CLOSED, reason)


@pytest.mark.parametrize("status", [Status.UNTREATED, Status.IN_TREATMENT])
def test_only_closed_cases_reopen(status: Status) -> None:
    with pytest.raises(InvalidTransition, match=f"only a closed case.*{status.value}"):
        check_reopen(status, "a good reason")


def test_a_full_life_cycle() -> None:
    status = Status.UNTREATED
    status = status_after_action(status)  # first contact attempt
    assert status is Status.IN_TREATMENT
    status = status_after_action(status)  # a note
    status = check_close(status, parse_ticket_type("Reclamação"), "Billing", "ana")
    assert status is Status.CLOSED
    status = status_after_action(status)  # a late note
    assert status is Status.CLOSED
    status = check_reopen(status, "problem came back")
    assert status is Status.IN_TREATMENT
    assert check_close(status, TicketType.COMPLAINT, "Billing", "bia") is Status.CLOSED


# --- e-mail to the respondent -------------------------------------------------------


def test_external_surveys_may_email() -> None:
    assert can_email_respondent(internal=False)
    check_can_email(internal=False)


def test_internal_surveys_never_email_the_respondent() -> None:
    assert not can_email_respondent(internal=True)
    with pytest.raises(DomainError, match="internal survey: no loop e-mail to the respondent"):
        check_can_email(internal=True)


# --- ticket types -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("praise", TicketType.PRAISE),
        ("complaint", TicketType.COMPLAINT),
        ("suggestion", TicketType.SUGGESTION),
        ("none", TicketType.NONE),
        ("COMPLAINT", TicketType.COMPLAINT),
        ("  Praise ", TicketType.PRAISE),
        ("Elogio", TicketType.PRAISE),
        ("elogio", TicketType.PRAISE),
        ("Reclamação", TicketType.COMPLAINT),
        ("reclamação", TicketType.COMPLAINT),
        ("RECLAMAÇÃO", TicketType.COMPLAINT),
        ("reclamacao", TicketType.COMPLAINT),
        ("Reclamacão", TicketType.COMPLAINT),
        ("Reclama\u0063\u0327\u0061\u0303o", TicketType.COMPLAINT),  # decomposed accents
        ("Sugestão", TicketType.SUGGESTION),
        ("sugestao", TicketType.SUGGESTION),
        ("SUGESTÃO", TicketType.SUGGESTION),
        ("Nenhum", TicketType.NONE),
        ("nenhum", TicketType.NONE),
        ("None", TicketType.NONE),
    ],
)
def test_parse_ticket_type(text: str, expected: TicketType) -> None:
    assert parse_ticket_type(text) is expected


def test_parse_ticket_type_accepts_the_enum_itself() -> None:
    for ticket_type in TicketType:
        assert parse_ticket_type(ticket_type) is ticket_type


@pytest.mark.parametrize("text", ["", "  ", "reclama", "bug", "elogios", "complaints", "0"])
def test_parse_ticket_type_lists_the_choices(text: str) -> None:
    with pytest.raises(DomainError) as info:
        parse_ticket_type(text)
    message = str(info.value)
    assert repr(text) in message
    for value, label in [
        ("praise", "Elogio"),
        ("complaint", "Reclamação"),
        ("suggestion", "Sugestão"),
        ("none", "Nenhum"),
    ]:
        assert value in message
        assert label in message


def test_ticket_type_labels() -> None:
    assert TICKET_TYPE_LABELS["pt"] == {
        TicketType.PRAISE: "Elogio",
        TicketType.COMPLAINT: "Reclamação",
        TicketType.SUGGESTION: "Sugestão",
        TicketType.NONE: "Nenhum",
    }
    assert TICKET_TYPE_LABELS["en"] == {
        TicketType.PRAISE: "Praise",
        TicketType.COMPLAINT: "Complaint",
        TicketType.SUGGESTION: "Suggestion",
        TicketType.NONE: "None",
    }


def test_every_label_parses_back() -> None:
    for labels in TICKET_TYPE_LABELS.values():
        for ticket_type, label in labels.items():
            assert parse_ticket_type(label) is ticket_type
            assert parse_ticket_type(label.lower()) is ticket_type


def test_ticket_type_label() -> None:
    assert ticket_type_label(TicketType.COMPLAINT) == "Reclamação"
    assert ticket_type_label(TicketType.COMPLAINT, "en") == "Complaint"
    assert ticket_type_label(TicketType.SUGGESTION, "de") == "Suggestion"  # falls back to English
