"""Which column holds which field: header names as survey platforms and extractors write them.

Names are compared after `normalize_header` (case, accents, spaces and punctuation ignored),
always as whole names: "Pesquisa" names the campaign, "Pesquisa interna" the internal flag.
The English keys of our own export map to their fields, so an export imports back.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from npsdesk.untrusted.text import clean_line

__all__ = [
    "KINDS",
    "ColumnMap",
    "HeaderError",
    "fields_for",
    "map_headers",
    "normalize_header",
    "parse_map_option",
]

KINDS: Final = ("responses", "customers")

# field -> the headers that name it, for the respondent fields both kinds share.
_RESPONDENT: Final[dict[str, tuple[str, ...]]] = {
    "name": (
        "name",
        "Nome",
        "Cliente",
        "Nome do cliente",
        "nome_cliente",
        "Nome completo",
        "Respondente",
        "Nome do respondente",
        "Contato",
        "Nome do contato",
        "customer_name",
    ),
    "email": (
        "email",
        "E-mail",
        "e-mail do cliente",
        "email_cliente",
        "E-mail do respondente",
        "E-mail do contato",
        "Endereço de e-mail",
        "Correio eletrônico",
        "email_address",
    ),
    "phone": (
        "phone",
        "Telefone",
        "Celular",
        "WhatsApp",
        "Fone",
        "Tel",
        "Telefone do cliente",
        "Telefone celular",
        "Telefone de contato",
        "Celular/WhatsApp",
        "phone_number",
        "mobile",
    ),
    "cnpj": ("cnpj", "CNPJ do cliente", "cnpj_cliente", "CNPJ da empresa"),
    "company": (
        "company",
        "Razão Social",
        "razao_social",
        "Empresa",
        "Nome da empresa",
        "Nome empresarial",
        "company_name",
    ),
    "product": ("product", "Produto", "Sistema", "Produto utilizado", "Software"),
    "vertical": ("vertical", "Segmento", "Unidade de negócio", "business_unit"),
    "state": ("state", "UF", "Estado", "UF do cliente"),
}

_RESPONSES_ONLY: Final[dict[str, tuple[str, ...]]] = {
    "external_id": (
        "external_id",
        "ID",
        "ID da resposta",
        "response_id",
        "Código",
        "id_resposta",
        "ID resposta",
        "Código da resposta",
        "ID da opinião",
        "opinion_id",
    ),
    "source": ("source", "Origem", "Plataforma", "Fonte"),
    "score": ("score", "Nota", "NPS", "Nota NPS", "Nota (0-10)", "Nota de 0 a 10", "Pontuação"),
    "comment": (
        "comment",
        "Comentário",
        "Motivo",
        "Comentários",
        "Observação",
        "Justificativa",
        "Motivo da nota",
        "Feedback",
    ),
    "answered_at": (
        "answered_at",
        "Data da resposta",
        "Respondido em",
        "Data",
        "Respondida em",
        "Data de resposta",
        "Data/hora da resposta",
    ),
    "sent_at": ("sent_at", "Data de envio", "Enviado em", "Enviada em", "Data do envio"),
    "campaign": ("campaign", "Campanha", "Pesquisa", "Nome da campanha", "Nome da pesquisa"),
    "internal": ("internal", "Pesquisa interna", "Interna", "Interno"),
    "token": ("token", "survey_token", "Token da pesquisa", "Token do convite"),
}

_CUSTOMERS_ONLY: Final[dict[str, tuple[str, ...]]] = {
    "last_service_at": (
        "last_service_at",
        "data_atendimento_importacao",
        "Data do último atendimento",
        "Último atendimento",
        "data_ultimo_atendimento",
        "Data do atendimento",
        "data_atendimento",
    ),
}

_FIELDS: Final = {
    "responses": (
        "external_id",
        "source",
        "score",
        "comment",
        "answered_at",
        "sent_at",
        "name",
        "email",
        "phone",
        "cnpj",
        "company",
        "product",
        "vertical",
        "state",
        "campaign",
        "internal",
        "token",
    ),
    "customers": (
        "cnpj",
        "company",
        "name",
        "email",
        "phone",
        "product",
        "vertical",
        "state",
        "last_service_at",
    ),
}
_RESPONDENT_FIELDS: Final = ("email", "cnpj", "phone", "name")
_SHOWN_HEADERS: Final = 8


class HeaderError(Exception):
    """The header row cannot be mapped; str() is one line (the caller adds the file name)."""


def normalize_header(text: str) -> str:
    """ "Razão Social" -> "razaosocial": lower case, no accents, only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _synonyms(*tables: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """normalized header -> field; a name claimed by two fields is a bug in the tables."""
    found: dict[str, str] = {}
    for table in tables:
        for field, names in table.items():
            for name in names:
                key = normalize_header(name)
                if found.setdefault(key, field) != field:
                    raise AssertionError(f"header {name!r} names {found[key]} and {field}")
    return found


_SYNONYMS: Final = {
    "responses": _synonyms(_RESPONDENT, _RESPONSES_ONLY),
    "customers": _synonyms(_RESPONDENT, _CUSTOMERS_ONLY),
}
_ANY_KIND: Final = _synonyms(_RESPONDENT, _RESPONSES_ONLY, _CUSTOMERS_ONLY)
_ALL_FIELDS: Final = tuple(dict.fromkeys(_FIELDS["responses"] + _FIELDS["customers"]))


def fields_for(kind: str) -> tuple[str, ...]:
    """The fields a file of `kind` may hold, in the order help text lists them."""
    if kind not in _FIELDS:
        raise HeaderError(f"unknown kind '{clean_line(kind)}' (kinds: {', '.join(KINDS)})")
    return _FIELDS[kind]


@dataclass(frozen=True)
class ColumnMap:
    """What a header row holds: the file's kind and, per field, the index of its column."""

    kind: str
    columns: Mapping[str, int]
    unmapped: tuple[str, ...]  # headers that matched no field: reported, not an error


def _listing(headers: Sequence[str]) -> str:
    shown = [clean_line(h)[:40] for h in headers[:_SHOWN_HEADERS]]
    more = ", ..." if len(headers) > _SHOWN_HEADERS else ""
    return f"headers: {', '.join(shown)}{more}" if shown else "no headers"


def _no_score(headers: Sequence[str]) -> HeaderError:
    return HeaderError(
        f"no score column: is this a survey export? ({_listing(headers)}); "
        "name it with --map score=HEADER, or use --kind customers for a customer feed"
    )


def _detect_kind(keys: Sequence[str], overrides: Mapping[str, str], headers: Sequence[str]) -> str:
    found = {_ANY_KIND[key] for key in keys if key in _ANY_KIND} | set(overrides)
    if "score" in found:
        return "responses"
    if "last_service_at" in found or {"cnpj", "company"} <= found:
        return "customers"
    raise _no_score(headers)


def map_headers(
    headers: Sequence[str],
    *,
    kind: str | None = None,
    overrides: Mapping[str, str] | None = None,
) -> ColumnMap:
    """Map a header row to fields; `kind` None detects it (a score column means responses).

    `overrides` (``--map FIELD=HEADER``, config profiles) win over the synonyms and take
    their column away from any other field; several fields may share one column that way.
    When two headers name the same field, a header spelled as the field's own (English)
    name wins, else the first; the loser is reported in `unmapped`.
    """
    overrides = dict(overrides or {})
    keys = [normalize_header(h) for h in headers]
    if kind is None:
        kind = _detect_kind(keys, overrides, headers)
    fields = fields_for(kind)
    columns: dict[str, int] = {}
    for field, header in overrides.items():
        if field not in fields:
            raise HeaderError(
                f"--map {clean_line(field)}: not a field of {kind} files "
                f"(fields: {', '.join(fields)})"
            )
        wanted = normalize_header(header)
        if not wanted or wanted not in keys:
            raise HeaderError(
                f"--map {field}={clean_line(header)}: no such column ({_listing(headers)})"
            )
        columns[field] = keys.index(wanted)
    taken = set(columns.values())
    synonyms = _SYNONYMS[kind]
    own_names = {normalize_header(f): f for f in fields}
    for prefer_own_name in (True, False):
        for index, key in enumerate(keys):
            named = (own_names if prefer_own_name else synonyms).get(key)
            if named is not None and index not in taken and named not in columns:
                columns[named] = index
                taken.add(index)
    unmapped = tuple(h for i, h in enumerate(headers) if i not in taken and h.strip())
    _check_required(kind, columns, headers)
    return ColumnMap(kind=kind, columns=MappingProxyType(columns), unmapped=unmapped)


def _check_required(kind: str, columns: Mapping[str, int], headers: Sequence[str]) -> None:
    if kind == "responses":
        if "score" not in columns:
            raise _no_score(headers)
        if "answered_at" not in columns:
            raise HeaderError(
                f"no answer-date column ({_listing(headers)}); "
                "name it with --map answered_at=HEADER"
            )
        if not any(field in columns for field in _RESPONDENT_FIELDS):
            raise HeaderError(
                f"no respondent column: e-mail, CNPJ, phone or name ({_listing(headers)}); "
                "name one with --map email=HEADER"
            )
    elif not ("cnpj" in columns or "email" in columns):
        raise HeaderError(
            f"no CNPJ or e-mail column to know the customers by ({_listing(headers)}); "
            "name one with --map cnpj=HEADER"
        )


def parse_map_option(text: str) -> tuple[str, str]:
    """ "score=Nota final" -> ("score", "Nota final"); the field is checked, not the header."""
    field, equals, header = text.partition("=")
    field, header = field.strip(), header.strip()
    if not equals or not field or not header:
        raise HeaderError(f"--map wants FIELD=HEADER, got '{clean_line(text)}'")
    wanted = normalize_header(field)
    for known in _ALL_FIELDS:
        if normalize_header(known) == wanted:
            return known, header
    raise HeaderError(
        f"--map: unknown field '{clean_line(field)}' (fields: {', '.join(_ALL_FIELDS)})"
    )
