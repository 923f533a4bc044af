"""The desk's side of customer replies: the history's received e-mails and bounces, the
list's marker, the unmatched inbox screen and answering a reply."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    # the history
    "desk.reply.auto_frame": ("RESPOSTA AUTOMÁTICA", "AUTO-REPLY"),
    "desk.reply.unsubscribe_frame": (
        "PEDIDO DE DESCADASTRO DO CLIENTE",
        "UNSUBSCRIBE REQUEST FROM THE CUSTOMER",
    ),
    "desk.reply.bounced_frame": ("E-MAIL DEVOLVIDO", "E-MAIL BOUNCED"),
    "desk.reply.delayed_frame": ("E-MAIL ATRASADO", "E-MAIL DELAYED"),
    "desk.reply.from": ("De", "From"),
    "desk.reply.date": ("Data", "Date"),
    "desk.reply.to": ("Para", "To"),
    "desk.reply.no_text": ("(mensagem sem texto)", "(no text in the message)"),
    "desk.reply.quoted_folded": (
        (
            "… texto citado ({n} linha) — [{press}] mostra",
            "… texto citado ({n} linhas) — [{press}] mostra",
        ),
        (
            "… quoted text ({n} line) — [{press}] shows it",
            "… quoted text ({n} lines) — [{press}] shows it",
        ),
    ),
    "desk.reply.quoted_shown": (
        "— texto citado — [{press}] esconde",
        "— quoted text — [{press}] hides it",
    ),
    "desk.reply.no_quoted": (
        "As mensagens deste caso não têm texto citado.",
        "This case's messages have no quoted text.",
    ),
    "desk.reply.attachments": ("Anexos", "Attachments"),
    "desk.reply.not_kept": ("não guardado: acima do limite", "not kept: over the limit"),
    "desk.reply.bounce_address": ("Endereço", "Address"),
    "desk.reply.diagnostic": ("Diagnóstico", "Diagnostic"),
    "desk.reply.unknown_address": ("(endereço desconhecido)", "(unknown address)"),
    # the list
    "desk.reply.marker_legend": (
        "↩ na lista: o cliente respondeu e aguarda nós (aba 7)",
        "↩ in the list: the customer replied and awaits us (tab 7)",
    ),
    "desk.reply.unmatched": (
        ("✉ {n} sem caso [{press}]", "✉ {n} sem caso [{press}]"),
        ("✉ {n} unmatched [{press}]", "✉ {n} unmatched [{press}]"),
    ),
    # the unmatched inbox
    "desk.inbox.title": ("Mensagens sem caso", "Unmatched messages"),
    "desk.inbox.empty": ("Nenhuma mensagem sem caso.", "No unmatched messages."),
    "desk.inbox.col.received": ("Recebida", "Received"),
    "desk.inbox.col.from": ("De", "From"),
    "desk.inbox.col.subject": ("Assunto", "Subject"),
    "desk.inbox.col.kind": ("Tipo", "Kind"),
    "desk.inbox.hint": (
        "a anexa ao caso #{id} · A anexa a outro caso · d descarta · ? teclas · esc volta",
        "a attach to case #{id} · A attach to another case · d discard · ? keys · esc back",
    ),
    "desk.inbox.hint_no_case": (
        "A anexa a um caso · d descarta · ? teclas · esc volta",
        "A attach to a case · d discard · ? keys · esc back",
    ),
    "desk.inbox.no_case": (
        "Nenhum caso selecionado na mesa: A anexa a um caso pelo número.",
        "No case selected in the desk: A attaches to a case by its number.",
    ),
    "desk.inbox.confirm_attach": (
        "Anexar a mensagem de {sender} ao caso {case}?",
        "Attach the message from {sender} to case {case}?",
    ),
    "desk.inbox.confirm_discard": (
        "Descartar a mensagem de {sender}?",
        "Discard the message from {sender}?",
    ),
    "desk.inbox.confirm_keys": ("enter confirma · esc cancela", "enter confirms · esc cancels"),
    "desk.inbox.ask_case": ("Anexar ao caso número:", "Attach to case number:"),
    "desk.inbox.ask_case_hint": (
        "o número do caso (#34 ou 34) · enter anexa · esc cancela",
        "the case's number (#34 or 34) · enter attaches · esc cancels",
    ),
    "desk.inbox.not_a_case": ("«{text}» não é um número de caso", "«{text}» is not a case number"),
    "desk.inbox.attached": (
        "Mensagem {id} anexada ao caso #{case}.",
        "Message {id} attached to case #{case}.",
    ),
    "desk.inbox.discarded": ("Mensagem {id} descartada.", "Message {id} discarded."),
    "desk.inbox.nothing": ("Nenhuma mensagem escolhida.", "No message chosen."),
    # answering a reply
    "desk.reply.answer_title": ("Responder", "Answer"),
    "desk.reply.answering": (
        "Respondendo ao e-mail de {sender} de {date}",
        "Answering the e-mail from {sender} of {date}",
    ),
    "desk.reply.quote_option": (
        "Citar a mensagem do cliente",
        "Quote the customer's message",
    ),
    "desk.reply.quote_kept": (
        "O texto já foi editado: a citação não foi mudada.",
        "The text was edited: the quote was left as it is.",
    ),
    # keys
    "key.desk.quoted": (
        "mostra / esconde o texto citado das respostas",
        "show / hide the replies' quoted text",
    ),
    "key.desk.inbox": ("mensagens sem caso", "unmatched messages"),
    "help.desk.inbox": (
        "mensagens que não acharam seu caso: anexar a um caso ou descartar",
        "messages that found no case: attach to a case or discard",
    ),
    "key.inbox.close": ("volta à mesa", "back to the desk"),
    "key.inbox.attach": ("anexa ao caso selecionado na mesa", "attach to the desk's selected case"),
    "key.inbox.attach_to": ("anexa a um caso pelo número", "attach to a case by its number"),
    "key.inbox.discard": ("descarta a mensagem", "discard the message"),
    "key.inbox.refresh": ("lê de novo", "read again"),
    "key.inbox.help": ("teclas", "keys"),
    "key.mail.quote": ("cita / tira a citação da resposta", "quote / unquote the reply"),
}
