"""Message templates: checked when saved, rendered in Jinja2's immutable sandbox.

A template is a subject and a body with placeholders such as ``{{ nome }}``. Only the
placeholders in ``PLACEHOLDERS`` exist; only plain text, placeholders, ``{% if %}`` and a few
text filters are allowed, so a template can neither run code nor loop. An unknown placeholder
or construct is refused when the template is saved (`check`), never when a customer's e-mail
goes out. Values are data: a customer named ``{{ 7*7 }}`` is written as those characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

NAMES = ("detractor", "neutral", "promoter", "bonus")
MAX_SOURCE = 20_000  # characters of subject or body as written
MAX_OUTPUT = 50_000  # characters of a rendered body

# Placeholder -> what it holds (shown by `npsdesk template show` and in errors).
PLACEHOLDERS: dict[str, str] = {
    "nome": "customer name (the name tag)",
    "primeiro_nome": "customer first name",
    "empresa": "company (razão social)",
    "produto": "product",
    "nota": "score 0-10",
    "analista": "analyst who sends",
    "cupom": "bonus coupon code (empty when none)",
    "link": "the customer's survey link (campaign invitations)",
    "campanha": "campaign name (campaign invitations)",
}
FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default"})


class TemplateError(ValueError):
    """A template that cannot be saved or rendered; the message names where and why."""


@dataclass(frozen=True)
class MailTemplate:
    name: str
    subject: str
    body: str


def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )


@lru_cache(maxsize=1)
def _env() -> Any:
    return _environment()


def check(subject: str, body: str) -> None:
    """Raise TemplateError unless both parts use only known placeholders and constructs."""
    _check_part("subject", subject)
    _check_part("body", body)
    if "\n" in subject.strip() or "\r" in subject:
        raise TemplateError("subject: a subject is one line")


def _check_part(part: str, source: str) -> None:
    from jinja2 import TemplateSyntaxError, nodes

    if len(source) > MAX_SOURCE:
        raise TemplateError(f"{part}: longer than {MAX_SOURCE:,} characters")
    try:
        tree = _env().parse(source)
    except TemplateSyntaxError as error:
        raise TemplateError(f"{part} line {error.lineno}: {error.message}") from None
    allowed = (
        nodes.Template,
        nodes.Output,
        nodes.TemplateData,
        nodes.Name,
        nodes.Const,
        nodes.If,
        nodes.Not,
        nodes.And,
        nodes.Or,
        nodes.Compare,
        nodes.Operand,
        nodes.Filter,
        nodes.CondExpr,
    )
    for node in tree.find_all(nodes.Node):
        line = getattr(node, "lineno", 1)
        if isinstance(node, nodes.Name):
            if node.name not in PLACEHOLDERS:
                known = ", ".join(PLACEHOLDERS)
                raise TemplateError(
                    f"{part} line {line}: unknown placeholder {{{{ {node.name} }}}} "
                    f"(known: {known})"
                )
        elif isinstance(node, nodes.Filter):
            if node.name not in FILTERS:
                raise TemplateError(f"{part} line {line}: filter {node.name!r} is not allowed")
        elif not isinstance(node, allowed):
            what = type(node).__name__.lower()
            raise TemplateError(f"{part} line {line}: {what} is not allowed in a template")


def render(template: MailTemplate, values: Mapping[str, object]) -> tuple[str, str]:
    """(subject, body) of `template` filled with `values` (every placeholder gets a value)."""
    from jinja2 import TemplateError as JinjaError

    context = {name: values.get(name, "") for name in PLACEHOLDERS}
    context = {k: ("" if v is None else v) for k, v in context.items()}
    check(template.subject, template.body)
    try:
        subject = _env().from_string(template.subject).render(context).strip()
        chunks: list[str] = []
        size = 0
        for chunk in _env().from_string(template.body).generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateError(f"{template.name}: the message is over {MAX_OUTPUT:,} chars")
            chunks.append(chunk)
    except JinjaError as error:
        raise TemplateError(f"{template.name}: {error}") from None
    return subject, "".join(chunks)


def first_name(name: str | None) -> str:
    return (name or "").strip().split(" ")[0] if name and name.strip() else ""


_PT = {
    "detractor": MailTemplate(
        "detractor",
        "{{ primeiro_nome }}, queremos entender o que aconteceu",
        "Olá, {{ primeiro_nome }}.\n\n"
        "Obrigado por responder à nossa pesquisa. Sua nota {{ nota }} mostra que não "
        "atendemos ao que você esperava{% if produto %} com o {{ produto }}{% endif %}, "
        "e isso importa para nós.\n\n"
        "Eu sou {{ analista }} e vou acompanhar o seu caso pessoalmente. Pode me contar, "
        "respondendo a este e-mail, o que aconteceu? Se preferir, diga o melhor horário "
        "para uma ligação.\n",
    ),
    "neutral": MailTemplate(
        "neutral",
        "{{ primeiro_nome }}, o que faltou para a nota 10?",
        "Olá, {{ primeiro_nome }}.\n\n"
        "Obrigado pela nota {{ nota }} na nossa pesquisa. Queremos saber o que faltou para "
        "a sua experiência ser excelente{% if empresa %} na {{ empresa }}{% endif %}.\n\n"
        "Responda a este e-mail com a sua sugestão: eu, {{ analista }}, leio cada uma.\n",
    ),
    "promoter": MailTemplate(
        "promoter",
        "Obrigado, {{ primeiro_nome }}!",
        "Olá, {{ primeiro_nome }}.\n\n"
        "Muito obrigado pela nota {{ nota }}! Ficamos felizes em saber que você "
        "recomendaria{% if produto %} o {{ produto }}{% else %} nossos serviços{% endif %}.\n\n"
        "Conte sempre com a gente.\n",
    ),
    "bonus": MailTemplate(
        "bonus",
        "Obrigado, {{ primeiro_nome }}! Um presente para você",
        "Olá, {{ primeiro_nome }}.\n\n"
        "Muito obrigado pela nota {{ nota }}! Como agradecimento, aqui está o seu cupom "
        "de bônus: {{ cupom }}\n\n"
        "Conte sempre com a gente.\n",
    ),
}


INVITATION = MailTemplate(
    "invitation",
    "{{ primeiro_nome }}, como foi a sua experiência conosco?",
    "Olá, {{ primeiro_nome }}.\n\n"
    "Você foi atendido recentemente{% if produto %} no {{ produto }}{% endif %} e a sua "
    "opinião é muito importante para nós. Leva menos de um minuto:\n\n"
    "{{ link }}\n\n"
    "De 0 a 10, o quanto você recomendaria a nossa empresa a um amigo ou colega?\n\n"
    "Obrigado!\n",
)


def defaults() -> dict[str, MailTemplate]:
    """The templates a store starts with: in Brazilian Portuguese, as its customers read."""
    return dict(_PT)
