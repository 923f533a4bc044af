"""What the mail commands print: sending, the outbox, thank-yous, templates, coupons,
suppression."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "cli.mail.delivery": (
        "enviadas {sent}, falharam {failed}, incertas {unknown}",
        "sent {sent}, failed {failed}, unknown {unknown}",
    ),
    "cli.mail.abandoned": (
        (
            "{n} mensagem interrompida no envio marcada como incerta",
            "{n} mensagens interrompidas no envio marcadas como incertas",
        ),
        (
            "{n} message interrupted while sending marked unknown",
            "{n} messages interrupted while sending marked unknown",
        ),
    ),
    "cli.mail.failed": (
        "a mensagem #{id} falhou{why}; ela fica na caixa de saída: npsdesk outbox retry {id}",
        "message #{id} failed{why}; it stays in the outbox: npsdesk outbox retry {id}",
    ),
    "cli.mail.unknown": (
        "mensagem #{id}: resultado incerto{why}; pode ter chegado, confira antes de "
        "`npsdesk outbox retry`",
        "message #{id}: outcome unknown{why}; it may have arrived, check before "
        "`npsdesk outbox retry`",
    ),
    "cli.mail.not_sent": (
        "a mensagem #{id} não foi enviada; ela espera na caixa de saída (npsdesk outbox send)",
        "message #{id} was not sent; it waits in the outbox (npsdesk outbox send)",
    ),
    "cli.mail.confirm_needed": (
        "nada enviado sem confirmação: acrescente --yes",
        "not sending without confirmation: add --yes",
    ),
    "cli.mail.confirm": ("Enviar?", "Send it?"),
    "cli.mail.nothing_sent": ("nada foi enviado", "nothing sent"),
    "cli.mail.queued": ("na fila: mensagem #{id}", "queued: message #{id}"),
    "cli.mail.password_needs": (
        "defina mail.host e mail.username no arquivo de configuração antes",
        "set mail.host and mail.username in the settings file first",
    ),
    "cli.mail.password_kept": (
        "senha guardada no chaveiro do sistema",
        "password kept in the system keyring",
    ),
    "cli.mail.password_removed": (
        "senha removida do chaveiro",
        "password removed from the keyring",
    ),
    "cli.thanks.summary": (
        "agradecimentos: {queued} na fila, {prepared} para revisar, {refused} recusados",
        "thank-yous: {queued} queued, {prepared} to review, {refused} refused",
    ),
    "cli.thank.none_named": (
        "informe as opiniões a agradecer, ou --drafts para todos os rascunhos revisados",
        "name opinions to thank, or --drafts for every reviewed draft",
    ),
    "cli.outbox.drafts": (
        (
            "{n} agradecimento a revisar: npsdesk outbox --state draft; npsdesk thank --drafts",
            "{n} agradecimentos a revisar: npsdesk outbox --state draft; npsdesk thank --drafts",
        ),
        (
            "{n} thank-you to review: npsdesk outbox --state draft; npsdesk thank --drafts",
            "{n} thank-yous to review: npsdesk outbox --state draft; npsdesk thank --drafts",
        ),
    ),
    "cli.outbox.empty": ("a caixa de saída está vazia", "the outbox is empty"),
    "cli.outbox.col.state": ("estado", "state"),
    "cli.outbox.col.opinion": ("opinião", "opinion"),
    "cli.outbox.col.to": ("para", "to"),
    "cli.outbox.col.subject": ("assunto", "subject"),
    "cli.outbox.col.reason": ("motivo", "reason"),
    "cli.outbox.to_review": ("(agradecimento a revisar)", "(thank-you to review)"),
    "cli.outbox.requeued": (
        ("{n} mensagem de volta à fila", "{n} mensagens de volta à fila"),
        ("{n} message queued again", "{n} messages queued again"),
    ),
    "cli.outbox.cancelled": (
        ("{n} mensagem cancelada", "{n} mensagens canceladas"),
        ("{n} message cancelled", "{n} messages cancelled"),
    ),
    "cli.template.edit_again": ("Editar de novo?", "Edit again?"),
    "cli.template.not_saved": ("modelo {name} não salvo", "template {name} not saved"),
    "cli.template.saved": ("modelo {name} salvo", "template {name} saved"),
    "cli.template.subject_first": (
        "a primeira linha deve ser `Subject: ...`",
        "the first line must be `Subject: ...`",
    ),
    "cli.coupons.imported": (
        "{added} cupons novos em {campaign} ({known} já conhecidos); pool ativo",
        "{added} new coupons in {campaign} ({known} already known); pool active",
    ),
    "cli.coupons.none": ("nenhum cupom importado", "no coupons imported"),
    "cli.coupons.pool": (
        "{mark} {campaign}: {free} livres de {total}",
        "{mark} {campaign}: {free} free of {total}",
    ),
    "cli.coupons.stopped": ("nenhum pool ativo", "no active pool"),
    "cli.suppress.added": ("adicionado", "added"),
    "cli.suppress.already": ("já estava na lista", "already"),
    "cli.suppress.removed": ("removido", "removed"),
    "cli.suppress.absent": ("não estava na lista", "absent"),
    "cli.suppress.listed": ("na lista", "listed"),
    "cli.suppress.not_listed": ("fora da lista", "not listed"),
    "cli.sender.from": ("de:        {name} <{address}>", "from:      {name} <{address}>"),
    "cli.sender.reply_to": ("responder: {address}", "reply-to:  {address}"),
    "cli.sender.signature": ("assinatura:", "signature:"),
}
