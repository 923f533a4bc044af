"""What the user reads, in Portuguese or English; dates and numbers as each language writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

# key -> (pt, en)
_CATALOG: dict[str, tuple[str, str]] = {
    "class.promoter": ("promotor", "promoter"),
    "class.neutral": ("neutro", "neutral"),
    "class.detractor": ("detrator", "detractor"),
    "classes.promoter": ("promotores", "promoters"),
    "classes.neutral": ("neutros", "neutrals"),
    "classes.detractor": ("detratores", "detractors"),
    "status.untreated": ("sem atendimento", "untreated"),
    "status.in_treatment": ("em atendimento", "in treatment"),
    "status.closed": ("fechada", "closed"),
    "type.praise": ("Elogio", "Praise"),
    "type.complaint": ("Reclamação", "Complaint"),
    "type.suggestion": ("Sugestão", "Suggestion"),
    "type.none": ("Nenhum", "None"),
    "priority.1": ("alta", "high"),
    "priority.2": ("média", "medium"),
    "priority.3": ("baixa", "low"),
    "channel.phone": ("telefone", "phone"),
    "channel.whatsapp": ("WhatsApp", "WhatsApp"),
    "channel.email": ("e-mail", "e-mail"),
    "channel.other": ("outro", "other"),
    "outcome.reached": ("falou com o cliente", "reached"),
    "outcome.no_answer": ("não atendeu", "no answer"),
    "outcome.wrong_number": ("número errado", "wrong number"),
    "outcome.left_message": ("deixou recado", "left message"),
    "event.imported": ("importada", "imported"),
    "event.updated_by_import": ("atualizada pela importação", "updated by import"),
    "event.contact_attempt": ("tentativa de contato", "contact attempt"),
    "event.note": ("nota interna", "internal note"),
    "event.email_sent": ("e-mail enviado", "e-mail sent"),
    "event.coupon_sent": ("cupom enviado", "coupon sent"),
    "event.email_received": ("e-mail recebido", "e-mail received"),
    "event.field_changed": ("alteração", "changed"),
    "event.status_changed": ("status", "status"),
    "event.archived": ("arquivada", "archived"),
    "event.unarchived": ("desarquivada", "unarchived"),
    "field.responsible": ("responsável", "responsible"),
    "field.followers": ("seguidores", "followers"),
    "field.category": ("categoria", "category"),
    "field.type": ("tipo", "type"),
    "field.priority": ("prioridade", "priority"),
    "field.deadline": ("prazo", "deadline"),
    "field.status": ("status", "status"),
    "col.id": ("ID", "ID"),
    "col.score": ("Nota", "Score"),
    "col.status": ("Status", "Status"),
    "col.deadline": ("Prazo", "Deadline"),
    "col.customer": ("Cliente", "Customer"),
    "col.company": ("Empresa", "Company"),
    "col.cnpj": ("CNPJ", "CNPJ"),
    "col.responsible": ("Responsável", "Responsible"),
    "col.answered": ("Respondida", "Answered"),
    "col.comment": ("Comentário", "Comment"),
    "opinion": ("Opinião", "Opinion"),
    "archived": ("arquivada", "archived"),
    "overdue": ("atrasada", "overdue"),
    "internal": ("pesquisa interna", "internal survey"),
    "campaign": ("campanha", "campaign"),
    "product": ("produto", "product"),
    "vertical": ("vertical", "vertical"),
    "followers": ("seguidores", "followers"),
    "nobody": ("ninguém", "nobody"),
    "history": ("Histórico", "History"),
    "no_comment": ("(sem comentário)", "(no comment)"),
    "other_opinions": ("Outras opiniões deste cliente", "Other opinions of this customer"),
    "none_found": ("Nada encontrado para", "Nothing found for"),
    "found": ("opiniões encontradas", "opinions found"),
    "found.one": ("opinião encontrada", "opinion found"),
    "statuses.untreated": ("sem atendimento", "untreated"),
    "statuses.in_treatment": ("em atendimento", "in treatment"),
    "statuses.closed": ("fechadas", "closed"),
    "period": ("Período", "Period"),
    "period.all": ("todas as respostas", "all answers"),
    "period.to": ("a", "to"),
    "all_verticals": ("todas", "all"),
    "answers": ("Respostas", "Answers"),
    "nps.none": ("sem respostas no período", "no answers in the period"),
    "by_status": ("Por status", "By status"),
    "archived_count": ("Arquivadas", "Archived"),
    "overdue_count": ("Atrasadas", "Overdue"),
    "internal_excluded": (
        "pesquisas internas fora da conta",
        "internal surveys left out",
    ),
    "reason": ("motivo", "reason"),
    "import.new": ("novas", "new"),
    "import.updated": ("atualizadas", "updated"),
    "import.unchanged": ("sem mudança", "unchanged"),
    "import.rejected": ("rejeitadas", "rejected"),
    "import.duplicates": ("duplicadas", "duplicates"),
    "import.dry_run": ("simulação: nada foi gravado", "dry run: nothing was written"),
    "import.customers": (
        "clientes: {new} novos, {updated} atualizados",
        "customers: {new} new, {updated} updated",
    ),
    "import.batch": ("lote {batch}", "batch {batch}"),
    "import.ignored": ("colunas ignoradas", "ignored columns"),
    "import.line": ("linha", "line"),
    "import.detail": ("detalhe", "detail"),
    "import.more": ("mais {n}; ", "{n} more; "),
    "import.saved": ("todas as {n} rejeitadas salvas em {path}", "all {n} rejects saved to {path}"),
    "import.not_saved": (
        "mais {n} rejeitadas (nada salvo: simulação)",
        "{n} more rejects (none saved: dry run)",
    ),
    "subject": ("assunto", "subject"),
}


def t(key: str, lang: str) -> str:
    """The text for `key` in `lang` ('pt' or 'en'); the key itself when unknown."""
    entry = _CATALOG.get(key)
    if entry is None:
        return key
    return entry[0] if lang == "pt" else entry[1]


def fmt_date(day: date, date_format: str) -> str:
    return day.strftime(date_format)


def fmt_time(moment: datetime, date_format: str, tz: ZoneInfo) -> str:
    """A moment in the user's time zone, their date format and a 24-hour clock."""
    return moment.astimezone(tz).strftime(f"{date_format} %H:%M")


def fmt_number(value: float, lang: str, decimals: int = 1, *, sign: bool = False) -> str:
    """`32.5` as `32,5` in Portuguese; `sign` writes +32,5."""
    text = f"{value:+.{decimals}f}" if sign else f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "pt" else text


@dataclass(frozen=True)
class Style:
    """How the user reads things: language, date format, time zone, today."""

    lang: str
    date_format: str
    tz: ZoneInfo
    today: date

    def date(self, day: date) -> str:
        return fmt_date(day, self.date_format)
