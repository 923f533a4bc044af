"""Header rows of survey exports and customer feeds mapped to fields."""

from __future__ import annotations

import pytest

from npsdesk.importers.headers import (
    KINDS,
    HeaderError,
    fields_for,
    map_headers,
    normalize_header,
    parse_map_option,
)

# The demo's exports, as Track and the extractor write them.
TRACK = [
    "ID da resposta",
    "Data de envio",
    "Data da resposta",
    "Nota",
    "Comentário",
    "Nome",
    "E-mail",
    "Telefone",
    "CNPJ",
    "Razão Social",
    "Produto",
    "Vertical",
    "Campanha",
    "Pesquisa interna",
]
FEED = [
    "cnpj",
    "razao_social",
    "nome",
    "email",
    "telefone",
    "produto",
    "vertical",
    "uf",
    "data_atendimento_importacao",
]
# The keys of `npsdesk export --format json` (OpinionView.to_json).
OUR_JSON = [
    "id",
    "external_id",
    "source",
    "score",
    "class",
    "status",
    "archived",
    "deadline",
    "priority",
    "answered_at",
    "sent_at",
    "campaign",
    "internal",
    "type",
    "category",
    "responsible",
    "followers",
    "name",
    "email",
    "phone",
    "cnpj",
    "company",
    "product",
    "vertical",
    "state",
    "comment",
]


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Razão Social", "razaosocial"),
        ("E-mail", "email"),
        ("ID da resposta", "iddaresposta"),
        ("data_atendimento_importacao", "dataatendimentoimportacao"),
        ("  NOTA  NPS ", "notanps"),
        ("Comentário", "comentario"),
        ("\ufeffCódigo", "codigo"),
        ("Data/hora (local)", "datahoralocal"),
        ("", ""),
    ],
)
def test_normalize_header(header: str, key: str) -> None:
    assert normalize_header(header) == key


def test_track_export() -> None:
    mapped = map_headers(TRACK)
    assert mapped.kind == "responses"
    assert dict(mapped.columns) == {
        "external_id": 0,
        "sent_at": 1,
        "answered_at": 2,
        "score": 3,
        "comment": 4,
        "name": 5,
        "email": 6,
        "phone": 7,
        "cnpj": 8,
        "company": 9,
        "product": 10,
        "vertical": 11,
        "campaign": 12,
        "internal": 13,
    }
    assert mapped.unmapped == ()


def test_customer_feed() -> None:
    mapped = map_headers(FEED)
    assert mapped.kind == "customers"
    assert dict(mapped.columns) == {
        "cnpj": 0,
        "company": 1,
        "name": 2,
        "email": 3,
        "phone": 4,
        "product": 5,
        "vertical": 6,
        "state": 7,
        "last_service_at": 8,
    }


def test_our_own_json_export_maps_back() -> None:
    mapped = map_headers(OUR_JSON)
    assert mapped.kind == "responses"
    # "id" is our local id; the English key "external_id" wins over the synonym "ID".
    assert mapped.columns["external_id"] == OUR_JSON.index("external_id")
    for field in fields_for("responses"):
        if field == "token":  # survey tokens are links to a customer's survey: not exported
            assert field not in mapped.columns
            continue
        assert mapped.columns[field] == OUR_JSON.index(field)
    assert set(mapped.unmapped) == {
        "id",
        "class",
        "status",
        "archived",
        "deadline",
        "priority",
        "type",
        "category",
        "responsible",
        "followers",
    }


SYNONYMS = {
    "external_id": ["ID", "ID da resposta", "response_id", "Código", "external_id", "id_resposta"],
    "source": ["source", "Origem", "Plataforma"],
    "score": ["Nota", "NPS", "Nota NPS", "score"],
    "comment": ["Comentário", "Motivo", "comment", "Comentario"],
    "answered_at": ["Data da resposta", "Respondido em", "answered_at", "Data"],
    "sent_at": ["Data de envio", "Enviado em", "sent_at"],
    "name": ["Nome", "Cliente", "name", "Nome do cliente"],
    "email": ["E-mail", "Email", "e-mail do cliente"],
    "phone": ["Telefone", "Celular", "phone", "WhatsApp"],
    "cnpj": ["CNPJ", "cnpj"],
    "company": ["Razão Social", "company", "razao_social", "Empresa"],
    "product": ["Produto", "Sistema", "product"],
    "vertical": ["Vertical", "Segmento"],
    "state": ["UF", "Estado", "state"],
    "campaign": ["Campanha", "Pesquisa", "campaign"],
    "internal": ["Pesquisa interna", "Interna", "internal"],
}
CUSTOMER_SYNONYMS = {
    "cnpj": ["cnpj", "CNPJ"],
    "company": ["razao_social", "Razão Social", "company"],
    "name": ["nome", "Nome", "name"],
    "email": ["email", "E-mail"],
    "phone": ["telefone", "Telefone", "phone"],
    "product": ["produto", "Produto", "product"],
    "vertical": ["vertical", "Segmento"],
    "state": ["uf", "UF", "state"],
    "last_service_at": [
        "data_atendimento_importacao",
        "Data do último atendimento",
        "last_service_at",
    ],
}


@pytest.mark.parametrize(
    ("field", "header"), [(f, h) for f, names in SYNONYMS.items() for h in names]
)
def test_each_response_synonym(field: str, header: str) -> None:
    base = {"score": "Nota", "answered_at": "Data da resposta", "email": "E-mail"}
    row = [h for f, h in base.items() if f != field] + [header]
    mapped = map_headers(row, kind="responses")
    assert mapped.columns[field] == len(row) - 1
    assert mapped.unmapped == ()


@pytest.mark.parametrize(
    ("field", "header"), [(f, h) for f, names in CUSTOMER_SYNONYMS.items() for h in names]
)
def test_each_customer_synonym(field: str, header: str) -> None:
    base = {"cnpj": "CNPJ", "email": "E-mail", "last_service_at": "data_atendimento_importacao"}
    row = [h for f, h in base.items() if f != field] + [header]
    mapped = map_headers(row, kind="customers")
    assert mapped.columns[field] == len(row) - 1


@pytest.mark.parametrize(
    "header", ["NOTA", "nota", " Nota ", "NOTA_NPS", "nota-nps", "Nóta", "Nota.NPS", "N.P.S."]
)
def test_case_accents_spaces_and_punctuation_are_ignored(header: str) -> None:
    mapped = map_headers([header, "Data", "Email"])
    assert mapped.columns["score"] == 0


def test_whole_names_only() -> None:
    mapped = map_headers(["Nota", "Data", "Email", "Pesquisa", "Pesquisa interna", "Notas"])
    assert mapped.columns["campaign"] == 3
    assert mapped.columns["internal"] == 4
    assert mapped.unmapped == ("Notas",)


def test_first_of_two_headers_for_a_field_wins() -> None:
    mapped = map_headers(["Nota", "Data", "Email", "Telefone", "Celular", "NPS"])
    assert mapped.columns["phone"] == 3
    assert mapped.columns["score"] == 0
    assert mapped.unmapped == ("Celular", "NPS")


def test_unknown_and_empty_headers() -> None:
    mapped = map_headers(["Nota", "Data", "Email", "Loja", "", "  ", "Atendente"])
    assert mapped.unmapped == ("Loja", "Atendente")


# -- kinds -----------------------------------------------------------------------------------


def test_kind_detection() -> None:
    assert map_headers(["Nota", "Data", "Nome"]).kind == "responses"
    assert map_headers(["CNPJ", "Razão Social", "E-mail"]).kind == "customers"
    assert map_headers(["E-mail", "data_atendimento_importacao"]).kind == "customers"
    # A score column means a survey export, even with the feed's columns.
    assert map_headers([*FEED, "Nota", "Data"]).kind == "responses"


def test_no_score_column() -> None:
    with pytest.raises(HeaderError) as caught:
        map_headers(["Nome", "E-mail", "Telefone", "Nota final"])
    message = str(caught.value)
    assert message.startswith("no score column: is this a survey export?")
    assert "Nota final" in message
    assert "--map score=HEADER" in message
    assert "--kind customers" in message
    assert "\n" not in message


def test_explicit_kind() -> None:
    mapped = map_headers(FEED, kind="customers")
    assert mapped.kind == "customers"
    with pytest.raises(HeaderError, match="no score column"):
        map_headers(FEED, kind="responses")
    # Fields of the other kind are not mapped.
    mapped = map_headers([*FEED, "Nota"], kind="customers")
    assert mapped.unmapped == ("Nota",)
    with pytest.raises(HeaderError, match="unknown kind"):
        map_headers(FEED, kind="clientes")


def test_fields_for() -> None:
    assert KINDS == ("responses", "customers")
    assert fields_for("responses")[:3] == ("external_id", "source", "score")
    assert "last_service_at" in fields_for("customers")
    assert "score" not in fields_for("customers")
    with pytest.raises(HeaderError, match="kinds: responses, customers"):
        fields_for("opinions")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["Nota", "Nome"], "no answer-date column"),
        (["Nota", "Data de envio", "Nome"], "no answer-date column"),
        (["Nota", "Data", "Comentário"], "no respondent column"),
        (["Nome", "Razão Social", "data_atendimento_importacao"], "no CNPJ or e-mail column"),
    ],
)
def test_required_columns(headers: list[str], message: str) -> None:
    with pytest.raises(HeaderError, match=message):
        map_headers(headers)


# -- overrides -------------------------------------------------------------------------------


def test_override_names_a_column_no_synonym_knows() -> None:
    headers = ["Nota final", "Quando", "Contato"]
    mapped = map_headers(
        headers, overrides={"score": "nota FINAL", "answered_at": "Quando", "email": "Contato"}
    )
    assert mapped.kind == "responses"
    assert dict(mapped.columns) == {"score": 0, "answered_at": 1, "email": 2}
    assert mapped.unmapped == ()


def test_override_wins_over_synonyms_and_takes_the_column() -> None:
    headers = ["Nota", "NPS", "Data", "Cliente", "E-mail"]
    mapped = map_headers(headers, overrides={"score": "NPS", "company": "Cliente"})
    assert mapped.columns["score"] == 1
    assert mapped.columns["company"] == 3
    assert "name" not in mapped.columns  # "Cliente" went to company
    assert mapped.unmapped == ("Nota",)


def test_overrides_may_share_a_column() -> None:
    headers = ["Nota", "Data", "Cliente", "E-mail"]
    mapped = map_headers(headers, overrides={"company": "Cliente", "name": "Cliente"})
    assert mapped.columns["company"] == mapped.columns["name"] == 2


def test_override_decides_the_kind() -> None:
    assert map_headers(["Nota final", "Data", "Email"], overrides={"score": "Nota final"}).kind == (
        "responses"
    )
    mapped = map_headers(["CNPJ", "Quando"], overrides={"last_service_at": "Quando"})
    assert mapped.kind == "customers"


def test_override_of_a_missing_header() -> None:
    with pytest.raises(HeaderError) as caught:
        map_headers(["Nota", "Data", "Email"], overrides={"score": "Nota final"})
    message = str(caught.value)
    assert "Nota final" in message
    assert "headers: Nota, Data, Email" in message


def test_override_of_a_field_of_the_other_kind() -> None:
    with pytest.raises(HeaderError, match="not a field of customers files"):
        map_headers(FEED, kind="customers", overrides={"score": "cnpj"})


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("score=Nota final", ("score", "Nota final")),
        (" answered_at = Data/hora ", ("answered_at", "Data/hora")),
        ("Answered-At=Quando", ("answered_at", "Quando")),
        ("last_service_at=Último atendimento", ("last_service_at", "Último atendimento")),
        ("comment=a=b", ("comment", "a=b")),
    ],
)
def test_parse_map_option(text: str, pair: tuple[str, str]) -> None:
    assert parse_map_option(text) == pair


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nota=Nota final", "unknown field 'nota'.*fields: external_id, source, score"),
        ("score", "FIELD=HEADER"),
        ("score=", "FIELD=HEADER"),
        ("=Nota", "FIELD=HEADER"),
    ],
)
def test_bad_map_options(text: str, message: str) -> None:
    with pytest.raises(HeaderError, match=message):
        parse_map_option(text)


def test_messages_show_headers_safely() -> None:
    with pytest.raises(HeaderError) as caught:
        map_headers(
            ["Nome\x1b]52;c;ZXZpbA==\x07", "linha\nquebrada", *[f"c{n}" for n in range(20)]]
        )
    message = str(caught.value)
    assert "\x1b" not in message
    assert "\n" not in message
    assert message.count(", ") < 12  # the first few headers, then "..."
    assert "..." in message
