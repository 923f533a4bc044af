"""A template being edited, as a customer would read it, before it is saved.

The sample is the newest opinion of the template's class that has a name (promoters for the
bonus template, with an example code), so the preview reads like a real message; a store
without one gets a made-up customer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from npsdesk.mail import templates
from npsdesk.mail.templates import MailTemplate

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

SAMPLE_COUPON = "BONUS-EXEMPLO-2026"
# class -> (name, company, product, score), when the store has no opinion of the class
_MADE_UP = {
    "detractor": ("Maria Aparecida Santos", "Padaria Pão Quente Ltda", "Durasoft Food", 4),
    "neutral": ("João Pedro Lima", "Farmácia Boa Saúde Ltda", "Durasoft Farma", 8),
    "promoter": ("Ana Clara Rocha", "Posto Estrela Ltda", "Durasoft Postos", 10),
}


def sample_values(services: Services, name: str, actor: str) -> tuple[dict[str, object], str]:
    """(placeholder values, "Name <address>") of the sample customer for template `name`."""
    nps_class = "promoter" if name == "bonus" else name
    from npsdesk.store import mailbox, registry

    with services.db.read() as conn:
        row = mailbox.sample_customer(conn, nps_class)
        analyst = registry.analyst_name(conn, actor)
    if row is not None:
        who, email, company, product, score = (
            str(row["name"]),
            row["email"] or "",
            row["company"] or "",
            row["product"] or "",
            int(row["score"]),
        )
    else:
        who, company, product, score = _MADE_UP.get(nps_class, _MADE_UP["promoter"])
        email = "cliente@exemplo.com.br"
    values: dict[str, object] = {
        "nome": who,
        "primeiro_nome": templates.first_name(who),
        "empresa": company,
        "produto": product,
        "nota": score,
        "analista": analyst or actor,
        "cupom": SAMPLE_COUPON if name == "bonus" else "",
    }
    return values, f"{who} <{email}>" if email else who


def preview_template(services: Services, actor: str, name: str, subject: str, body: str) -> str:
    """The message `subject` and `body` make for the sample customer: sender, recipient,
    subject, then the body with the team's signature. Refuses what saving would refuse."""
    mail = services.mail(actor)
    templates.check(subject, body)
    values, to = sample_values(services, name, actor)
    shown_subject, text = templates.render(MailTemplate(name, subject, body), values)
    sender = mail.sender(need_address=False)
    address = sender.address or "(mail.from_address not set)"
    lines = [f"From: {sender.name or address} <{address}>"]
    if sender.reply_to:
        lines.append(f"Reply-To: {sender.reply_to}")
    lines += [f"To: {to}", f"Subject: {shown_subject}", "", mail.full_body(text, sender)]
    return "\n".join(lines)
