"""Customer replies: taking messages in, the unmatched inbox, bounces, in the CLI and the desk."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "event.email_bounced": ("e-mail devolvido", "e-mail bounced"),
    "reply.kind.reply": ("resposta", "reply"),
    "reply.kind.auto_reply": ("resposta automática", "auto-reply"),
    "reply.kind.bounce": ("devolução", "bounce"),
    "reply.kind.unsubscribe": ("pedido de descadastro", "unsubscribe request"),
    "reply.state.matched": ("no caso", "on its case"),
    "reply.state.unmatched": ("sem caso", "unmatched"),
    "reply.state.discarded": ("descartada", "discarded"),
    "reply.state.quarantined": ("em quarentena", "quarantined"),
    "reply.matched_by.thread": ("pela conversa", "by the thread"),
    "reply.matched_by.token": ("pelo endereço de resposta do caso", "by the case's reply address"),
    "reply.matched_by.subject": ("pela etiqueta do assunto", "by the subject tag"),
    "reply.matched_by.sender": ("pelo remetente", "by the sender"),
    "reply.matched_by.hand": ("à mão", "by hand"),
    "cli.ingest.taken": (
        "recebidas {new}, repetidas {duplicate}, em quarentena {quarantined}; "
        "nos casos {matched}, sem caso {unmatched}",
        "new {new}, duplicate {duplicate}, quarantined {quarantined}; "
        "on cases {matched}, unmatched {unmatched}",
    ),
    "cli.ingest.unreadable_file": (
        "{path}: não foi possível ler o arquivo: {reason}",
        "{path}: the file cannot be read: {reason}",
    ),
    "cli.ingest.failed": (
        "a mensagem não foi guardada: {reason}; tente de novo (nada foi perdido)",
        "the message was not stored: {reason}; try again (nothing was lost)",
    ),
    "cli.inbox.empty": ("Nenhuma mensagem sem caso.", "No unmatched messages."),
    "cli.inbox.empty_state": ("Nenhuma mensagem ({which}).", "No messages ({which})."),
    "cli.inbox.header": (
        ("{n} mensagem sem caso", "{n} mensagens sem caso"),
        ("{n} unmatched message", "{n} unmatched messages"),
    ),
    "cli.inbox.hint": (
        "anexe a um caso: npsdesk inbox attach ID CASO · descarte: npsdesk inbox discard ID",
        "attach to a case: npsdesk inbox attach ID CASE · discard: npsdesk inbox discard ID",
    ),
    "cli.inbox.attached": (
        "mensagem {id} anexada ao caso {case}",
        "message {id} attached to case {case}",
    ),
    "cli.inbox.discarded": ("mensagem {id} descartada", "message {id} discarded"),
    "cli.inbox.col.id": ("id", "id"),
    "cli.inbox.col.received": ("recebida", "received"),
    "cli.inbox.col.from": ("de", "from"),
    "cli.inbox.col.subject": ("assunto", "subject"),
    "cli.inbox.col.kind": ("tipo", "kind"),
    "cli.inbox.col.reason": ("motivo", "reason"),
    "cli.inbox.no_subject": ("(sem assunto)", "(no subject)"),
    "cli.inbox.no_sender": ("(remetente inválido)", "(not an address)"),
    "desk.inbox.arrived": (
        (
            "{n} nova mensagem de cliente ({matched} nos casos, {unmatched} sem caso)",
            "{n} novas mensagens de clientes ({matched} nos casos, {unmatched} sem caso)",
        ),
        (
            "{n} new customer message ({matched} on cases, {unmatched} unmatched)",
            "{n} new customer messages ({matched} on cases, {unmatched} unmatched)",
        ),
    ),
    "desk.inbox.fetch_failed": (
        "não foi possível buscar as respostas: {why} (nova tentativa na próxima rodada)",
        "replies could not be fetched: {why} (tried again next round)",
    ),
    "refusal.inbound.unknown": (
        "não há mensagem recebida {id}",
        "there is no received message {id}",
    ),
    "refusal.inbound.decided": (
        "a mensagem {id} já não está sem caso",
        "message {id} is no longer unmatched",
    ),
}
