"""The outgoing side of replies: bouncing addresses, threaded answers, and what case e-mails
carry so a reply finds its case (reply address, subject tag, unsubscribe links)."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "refusal.mail.bounced": (
        "este endereço foi devolvido: {diagnostic}; libere-o com npsdesk mail unbounce {address}",
        "this address bounced: {diagnostic}; clear it with npsdesk mail unbounce {address}",
    ),
    "refusal.thanks.bouncing": (
        "o endereço foi devolvido (npsdesk mail bounced)",
        "the address bounced (npsdesk mail bounced)",
    ),
    "refusal.mail.answer_elsewhere": (
        "a mensagem recebida {id} não é do caso {case}",
        "received message {id} is not on case {case}",
    ),
    "refusal.mail.unsubscribe_url": (
        "o link de descadastro deve ser um endereço https com {placeholder}, sem espaços",
        "the unsubscribe link must be an https address with {placeholder}, without spaces",
    ),
    "mail.quote_header": ("Em {date}, {name} escreveu:", "On {date}, {name} wrote:"),
    "outbox.bounced": ("devolvido", "bounced"),
    "desk.bouncing": ("e-mail devolvido: {diagnostic}", "e-mail bounced: {diagnostic}"),
    # -- the CLI ---------------------------------------------------------------------------
    "cli.unbounce.cleared": (
        "liberado: o e-mail volta a ser enviado para este endereço",
        "cleared: mail goes to this address again",
    ),
    "cli.unbounce.absent": (
        "este endereço não estava marcado como devolvido",
        "this address was not flagged as bouncing",
    ),
    "cli.bounced.none": ("nenhum endereço devolvido", "no bouncing address"),
    "cli.bounced.col.hash": ("hash", "hash"),
    "cli.bounced.col.address": ("endereço", "address"),
    "cli.bounced.col.reason": ("motivo", "reason"),
    "cli.bounced.col.when": ("quando", "when"),
    "cli.bounced.col.by": ("por", "by"),
    "cli.bounced.unnamed": ("(nenhum cliente)", "(no customer)"),
    "cli.headers.plus_address": (
        "endereço de resposta por caso: {value}",
        "per-case reply address: {value}",
    ),
    "cli.headers.subject_tag": (
        "etiqueta [#id] no assunto:     {value}",
        "[#id] tag in the subject:     {value}",
    ),
    "cli.headers.unsubscribe_url": (
        "link de descadastro:           {value}",
        "unsubscribe link:             {value}",
    ),
    "cli.headers.no_reply_to": (
        "sem reply-to da equipe (npsdesk mail sender --reply-to): as respostas vão ao remetente",
        "no team reply-to (npsdesk mail sender --reply-to): replies go to the sender",
    ),
}
