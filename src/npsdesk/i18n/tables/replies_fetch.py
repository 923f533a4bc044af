"""Fetching customer replies from IMAP and a Maildir: `npsdesk mail fetch` and its errors."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "fetch.err.unreachable": (
        "não foi possível conectar ao servidor IMAP {host}:{port} ({reason})",
        "cannot reach the IMAP server {host}:{port} ({reason})",
    ),
    "fetch.err.untrusted": (
        "o certificado do servidor IMAP {host} não é confiável ({reason}); nada foi enviado",
        "the certificate of the IMAP server {host} is not trusted ({reason}); nothing was sent",
    ),
    "fetch.err.tls": (
        "sem conexão segura com o servidor IMAP {host} ({reason})",
        "no secure connection to the IMAP server {host} ({reason})",
    ),
    "fetch.err.no_starttls": (
        "o servidor IMAP {host} não oferece STARTTLS; o login não é feito sem criptografia",
        "the IMAP server {host} does not offer STARTTLS; not logging in in clear text",
    ),
    "fetch.err.login": (
        "o servidor IMAP {host} recusou o login de {user} ({reason})",
        "the IMAP server {host} refused the login of {user} ({reason})",
    ),
    "fetch.err.no_username": (
        "defina mail.inbox.username (o login IMAP) no arquivo de configuração",
        "set mail.inbox.username (the IMAP login) in the settings file",
    ),
    "fetch.err.no_folder": (
        'não há pasta "{folder}" no servidor IMAP {host} (mail.inbox.folder)',
        'there is no folder "{folder}" on the IMAP server {host} (mail.inbox.folder)',
    ),
    "fetch.err.refused": (
        "o servidor IMAP {host} recusou {command} ({reason})",
        "the IMAP server {host} refused {command} ({reason})",
    ),
    "fetch.err.lost": (
        (
            "a conexão com o servidor IMAP {host} caiu ({reason}); a {n} mensagem já "
            "recebida fica guardada e a próxima busca traz o resto",
            "a conexão com o servidor IMAP {host} caiu ({reason}); as {n} mensagens já "
            "recebidas ficam guardadas e a próxima busca traz o resto",
        ),
        (
            "the connection to the IMAP server {host} was lost ({reason}); the {n} message "
            "taken before is kept and the next fetch takes the rest",
            "the connection to the IMAP server {host} was lost ({reason}); the {n} messages "
            "taken before are kept and the next fetch takes the rest",
        ),
    ),
    "fetch.err.no_maildir": (
        "{path} não é uma Maildir (não tem as pastas new/ e cur/) (mail.inbox.maildir)",
        "{path} is not a Maildir (it has no new/ and cur/ folders) (mail.inbox.maildir)",
    ),
    "fetch.note.restarted": (
        'a pasta "{folder}" mudou no servidor (UIDVALIDITY): lida de novo desde a primeira '
        "mensagem; o que já tinha sido recebido não entra duas vezes",
        'the folder "{folder}" changed on the server (UIDVALIDITY): read again from its '
        "first message; what was taken before is not taken twice",
    ),
    "fetch.note.moved_behind": (
        (
            "{n} mensagem recebida numa busca interrompida foi movida agora",
            "{n} mensagens recebidas numa busca interrompida foram movidas agora",
        ),
        (
            "{n} message taken by an interrupted fetch was moved now",
            "{n} messages taken by an interrupted fetch were moved now",
        ),
    ),
    "fetch.note.unreadable": (
        "{name}: não foi possível ler ({reason}); ignorada",
        "{name}: cannot be read ({reason}); skipped",
    ),
    "fetch.note.not_marked": (
        "{name}: recebida, mas não foi possível marcá-la como lida ({reason})",
        "{name}: taken, but it could not be marked seen ({reason})",
    ),
    "refusal.inbox.unset": (
        "nenhuma caixa de entrada para buscar respostas: defina mail.inbox.host (IMAP) ou "
        "mail.inbox.maildir no arquivo de configuração",
        "no inbox to fetch replies from: set mail.inbox.host (IMAP) or mail.inbox.maildir "
        "in the settings file",
    ),
    "cli.fetch.counts": (
        "{source} {where}: novas {new}, repetidas {duplicate}, em quarentena {quarantined}; "
        "com caso {matched}, sem caso {unmatched}",
        "{source} {where}: new {new}, duplicate {duplicate}, quarantined {quarantined}; "
        "matched {matched}, unmatched {unmatched}",
    ),
    "cli.fetch.failed": ("{source} {where}: {reason}", "{source} {where}: {reason}"),
    "cli.fetch.note": ("{source} {where}: {note}", "{source} {where}: {note}"),
    "cli.fetch.next": (
        "próxima busca em {seconds} s (ctrl+c para parar)",
        "next fetch in {seconds} s (ctrl+c stops)",
    ),
    "cli.fetch.stopped": ("busca de respostas parada", "fetching replies stopped"),
    "cli.fetch.once_or_every": (
        "use --once ou --every, não os dois",
        "give --once or --every, not both",
    ),
    "cli.fetch.password_needs": (
        "defina mail.inbox.host e mail.inbox.username no arquivo de configuração antes",
        "set mail.inbox.host and mail.inbox.username in the settings file first",
    ),
    "cli.fetch.password_kept": (
        "senha IMAP guardada no chaveiro do sistema",
        "IMAP password kept in the system keyring",
    ),
    "cli.fetch.password_removed": (
        "senha IMAP removida do chaveiro do sistema",
        "IMAP password removed from the system keyring",
    ),
}
