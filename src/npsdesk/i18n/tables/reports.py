"""What the scheduler's checks, the demo's build and the import's progress say."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    # -- a campaign check (npsdesk campaign run) --------------------------------------------
    "sched.included": (
        ("{campaign}: {n} incluído e convidado", "{campaign}: {n} incluídos e convidados"),
        ("{campaign}: {n} included and invited", "{campaign}: {n} included and invited"),
    ),
    "sched.suppressed": (
        (", {n} na lista de supressão", ", {n} na lista de supressão"),
        (", {n} on the suppression list", ", {n} on the suppression list"),
    ),
    "sched.no_email": (
        (", {n} sem e-mail para convidar", ", {n} sem e-mail para convidar"),
        (", {n} without an e-mail to invite", ", {n} without an e-mail to invite"),
    ),
    "sched.no_campaign": (
        "nenhuma campanha está dentro do período e da janela diária",
        "no campaign is inside its period and daily window",
    ),
    "sched.outbox": (
        "caixa de saída: enviadas {sent}, com falha {failed}, incertas {unknown}",
        "outbox: sent {sent}, failed {failed}, unknown {unknown}",
    ),
    "sched.check_failed": ("verificação falhou: {error}", "check failed: {error}"),
    "sched.next_check": (
        "próxima verificação em {when} ({zone})",
        "next check at {when} ({zone})",
    ),
    # -- the demo store ----------------------------------------------------------------------
    "demo.summary": (
        "{new} opiniões novas, {existing} já existentes, {actions} ações do histórico "
        "reproduzidas, {customers} clientes, {analysts} analistas, {thank_yous} rascunhos de "
        "agradecimento (datas deslocadas em {shift_days} dias)",
        "{new} new opinions, {existing} already there, {actions} history actions replayed, "
        "{customers} customers, {analysts} analysts, {thank_yous} thank-you drafts (dates "
        "moved {shift_days} days)",
    ),
    # -- the import's progress bar -----------------------------------------------------------
    "import.progress.rows": ("{rows} linhas {rate}/s", "{rows} rows {rate}/s"),
    "cli.aborted": ("interrompido", "aborted"),
    # -- npsdesk campaign show: the field names ----------------------------------------------
    "campaign.field.name": ("nome", "name"),
    "campaign.field.active": ("ativa", "active"),
    "campaign.field.auto_include": ("inclusão automática", "auto_include"),
    "campaign.field.starts_on": ("início", "starts_on"),
    "campaign.field.ends_on": ("fim", "ends_on"),
    "campaign.field.window": ("janela", "window"),
    "campaign.field.participants": ("participantes", "participants"),
    "campaign.field.invited": ("convidados", "invited"),
    "campaign.field.responded": ("responderam", "responded"),
    "campaign.field.response_rate": ("taxa de resposta", "response_rate"),
    "campaign.field.nps": ("NPS", "nps"),
    "campaign.field.verticals": ("verticais", "verticals"),
    "campaign.field.products": ("produtos", "products"),
    "campaign.field.link": ("link", "link"),
    "campaign.field.subject": ("assunto", "subject"),
    # -- npsdesk template show ---------------------------------------------------------------
    "cli.template.subject_line": ("Assunto: {subject}", "Subject: {subject}"),
    "cli.template.placeholders": ("# variáveis: {names}", "# placeholders: {names}"),
    "refusal.demo.no_files": (
        "arquivos da demonstração não encontrados: informe --data PASTA (a pasta com "
        "manifest.toml)",
        "demo files not found: pass --data DIR (the folder with manifest.toml)",
    ),
}
