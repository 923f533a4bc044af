"""What the `npsdesk` commands print and refuse (the mail commands' are in `cli_mail`)."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "cli.and_more": (
        ("  ... e mais {n}", "  ... e mais {n}"),
        ("  ... and {n} more", "  ... and {n} more"),
    ),
    "cli.nothing_changed": ("nada mudou", "nothing changed"),
    "cli.demo.built": ("banco de demonstração {store}: {what}", "demo store {store}: {what}"),
    "cli.import.rejects_unsaved": (
        "{path}: rejeitadas não salvas: {error}",
        "{path}: rejects not saved: {error}",
    ),
    "cli.import.thanks_not_prepared": (
        "agradecimentos não preparados: {error}",
        "thank-yous not prepared: {error}",
    ),
    "cli.export.written": (
        ("{n} opinião gravada em {path}", "{n} opiniões gravadas em {path}"),
        ("{n} opinion written to {path}", "{n} opinions written to {path}"),
    ),
    # -- bulk verbs ------------------------------------------------------------------------
    "cli.bulk.choose": (
        "escolha as opiniões: --id, um filtro (--status, --before, ...) ou --all",
        "choose opinions: --id, a filter (--status, --before, ...) or --all",
    ),
    "cli.bulk.matched": (
        ("{verb}: {n} opinião corresponde", "{verb}: {n} opiniões correspondem"),
        ("{verb}: {n} opinion matches", "{verb}: {n} opinions match"),
    ),
    "cli.bulk.matched_dry": (
        (
            "{verb}: {n} opinião corresponde (simulação)",
            "{verb}: {n} opiniões correspondem (simulação)",
        ),
        ("{verb}: {n} opinion matches (dry run)", "{verb}: {n} opinions match (dry run)"),
    ),
    "cli.bulk.changed": (
        (
            "{verb}: {changed} de {n} opinião alterada",
            "{verb}: {changed} de {n} opiniões alteradas",
        ),
        ("{verb}: {changed} of {n} opinion changed", "{verb}: {changed} of {n} opinions changed"),
    ),
    "cli.bulk.skipped": (
        ("  {n} ignorada: {reason} ({ids})", "  {n} ignoradas: {reason} ({ids})"),
        ("  {n} skipped: {reason} ({ids})", "  {n} skipped: {reason} ({ids})"),
    ),
    "cli.skip.not_found": ("não encontrada", "not found"),
    "cli.skip.already_archived": ("já arquivada", "already archived"),
    "cli.skip.not_archived": ("não arquivada", "not archived"),
    "cli.skip.already_responsible": ("já deste responsável", "already responsible"),
    "cli.skip.already_following": ("já seguida", "already following"),
    "cli.skip.already_set": ("já tinha esse valor", "already set"),
    "cli.skip.already_closed": ("já fechada", "already closed"),
    "cli.skip.changed_since": ("mudou desde então", "changed since"),
    "cli.skip.missing": ("sem {fields}", "missing {fields}"),
    # -- registry and team settings --------------------------------------------------------
    "cli.category.added": (
        ("categoria {name} adicionada", "categoria {name} adicionada"),
        ("category {name} added", "category {name} added"),
    ),
    "cli.category.back": (
        (
            "categoria {name} de volta à lista ({n} caso)",
            "categoria {name} de volta à lista ({n} casos)",
        ),
        (
            "category {name} is back in the list ({n} case)",
            "category {name} is back in the list ({n} cases)",
        ),
    ),
    "cli.category.updated": (
        ("categoria {name} atualizada", "categoria {name} atualizada"),
        ("category {name} updated", "category {name} updated"),
    ),
    "cli.category.unchanged": (
        ("categoria {name}: nada mudou", "categoria {name}: nada mudou"),
        ("category {name}: nothing changed", "category {name}: nothing changed"),
    ),
    "cli.category.removed": (
        (
            "categoria {name} saiu das escolhas; {n} caso e o histórico continuam com ela",
            "categoria {name} saiu das escolhas; {n} casos e o histórico continuam com ela",
        ),
        (
            "category {name} removed from the choices; {n} case and the history keep it",
            "category {name} removed from the choices; {n} cases and the history keep it",
        ),
    ),
    "cli.category.deleted": (
        (
            "categoria {name} apagada (nenhum caso nem o histórico a citava)",
            "categoria {name} apagada (nenhum caso nem o histórico a citava)",
        ),
        (
            "category {name} deleted (no case or history named it)",
            "category {name} deleted (no case or history named it)",
        ),
    ),
    "cli.analyst.added": (
        ("analista {name} adicionado", "analista {name} adicionado"),
        ("analyst {name} added", "analyst {name} added"),
    ),
    "cli.analyst.back": (
        (
            "analista {name} de volta à lista ({n} caso)",
            "analista {name} de volta à lista ({n} casos)",
        ),
        (
            "analyst {name} is back in the list ({n} case)",
            "analyst {name} is back in the list ({n} cases)",
        ),
    ),
    "cli.analyst.updated": (
        ("analista {name} atualizado", "analista {name} atualizado"),
        ("analyst {name} updated", "analyst {name} updated"),
    ),
    "cli.analyst.unchanged": (
        ("analista {name}: nada mudou", "analista {name}: nada mudou"),
        ("analyst {name}: nothing changed", "analyst {name}: nothing changed"),
    ),
    "cli.analyst.removed": (
        (
            "analista {name} saiu das escolhas; {n} caso e o histórico continuam com o nome",
            "analista {name} saiu das escolhas; {n} casos e o histórico continuam com o nome",
        ),
        (
            "analyst {name} removed from the choices; {n} case and the history keep them",
            "analyst {name} removed from the choices; {n} cases and the history keep them",
        ),
    ),
    "cli.analyst.deleted": (
        (
            "analista {name} apagado (nenhum caso nem o histórico o citava)",
            "analista {name} apagado (nenhum caso nem o histórico o citava)",
        ),
        (
            "analyst {name} deleted (no case or history named them)",
            "analyst {name} deleted (no case or history named them)",
        ),
    ),
    "cli.category.none": ("nenhuma categoria", "no categories"),
    "cli.category.removed_mark": ("(removida)", "(removed)"),
    "cli.analyst.none": ("nenhum analista", "no analysts"),
    "cli.analyst.removed_mark": ("(removido)", "(removed)"),
    "cli.settings.days_or_clear": (
        "informe os dias úteis (1-90) ou --clear",
        "give the business days (1-90), or --clear",
    ),
    "cli.settings.no_changes": ("nenhuma mudança registrada", "no changes recorded"),
    # -- campaigns -------------------------------------------------------------------------
    "cli.campaign.month_or_dates": (
        "informe --month, ou --from e --to",
        "give --month, or --from and --to",
    ),
    "cli.campaign.both_dates": ("informe --from e --to", "give both --from and --to"),
    "cli.campaign.period_needed": (
        "informe o período: --month 2027-01, ou --from e --to",
        "give the period: --month 2027-01, or --from and --to",
    ),
    "cli.campaign.link_needed": (
        "informe o link da pesquisa: --link 'https://.../{token}'",
        "give the survey link: --link 'https://.../{token}'",
    ),
    "cli.campaign.created": (
        "campanha {name}: {start} a {end}",
        "campaign {name}: {start} to {end}",
    ),
    "cli.campaign.nothing_to_change": (
        "nada a mudar: informe ao menos uma opção",
        "nothing to change: give at least one option",
    ),
    "cli.campaign.changed": ("campanha {name} alterada", "campaign {name} changed"),
    "cli.campaign.none": (
        "nenhuma campanha ainda: npsdesk campaign create NOME --month AAAA-MM --link URL",
        "no campaigns yet: npsdesk campaign create NAME --month YYYY-MM --link URL",
    ),
    "cli.campaign.col.campaign": ("campanha", "campaign"),
    "cli.campaign.col.period": ("período", "period"),
    "cli.campaign.col.window": ("janela", "window"),
    "cli.campaign.col.participants": ("participantes", "participants"),
    "cli.campaign.col.invited": ("convidados", "invited"),
    "cli.campaign.col.responded": ("respostas", "responded"),
    "cli.campaign.col.rate": ("taxa", "rate"),
    "cli.campaign.off": ("(desligada)", "(off)"),
    "cli.campaign.month_or_year": (
        "informe --month AAAA-MM (com --as NOVO, se quiser) ou --year AAAA",
        "give --month YYYY-MM (with --as NEW if you like) or --year YYYY",
    ),
    "cli.campaign.as_with_year": (
        "--as dá nome a uma cópia; --year faz doze, com o nome do mês",
        "--as names one copy; --year makes twelve named by month",
    ),
    "cli.campaign.cloned": ("criada {name}", "created {name}"),
    "cli.campaign.clone_skipped": (
        "pulado {month}: {name} já cobre esse mês",
        "skipped {month}: {name} covers it already",
    ),
    "cli.campaign.every_bad": (
        "--every recebe um intervalo como 5m, 30s ou 1h, recebeu {text!r}",
        "--every takes an interval like 5m, 30s or 1h, got {text!r}",
    ),
    "cli.campaign.once_or_every": (
        "informe --once ou --every INTERVALO",
        "give --once or --every INTERVAL",
    ),
    # -- privacy ---------------------------------------------------------------------------
    "cli.privacy.kind.email": ("e-mail", "email"),
    "cli.privacy.kind.cnpj": ("CNPJ", "cnpj"),
    "cli.privacy.kind.phone": ("telefone", "phone"),
    "cli.privacy.exported": (
        (
            "{n} registro sobre esse {kind} gravado em {path}",
            "{n} registros sobre esse {kind} gravados em {path}",
        ),
        (
            "{n} record about that {kind} written to {path}",
            "{n} records about that {kind} written to {path}",
        ),
    ),
    "cli.privacy.confirm_needed": (
        "nada apagado sem confirmação: acrescente --yes (ou tente --dry-run)",
        "not erasing without confirmation: add --yes (or try --dry-run)",
    ),
    "cli.privacy.confirm": (
        "Apagar tudo sobre esse {kind}? Não há como desfazer",
        "Erase everything about this {kind}? It cannot be undone",
    ),
    "cli.privacy.nothing_erased": ("nada foi apagado", "nothing erased"),
    "cli.privacy.found": (
        ("{n} registro de respondente encontrado", "{n} registros de respondente encontrados"),
        ("{n} respondent record found", "{n} respondent records found"),
    ),
    "cli.privacy.would_change": (
        ("  {table}: {n} linha mudaria", "  {table}: {n} linhas mudariam"),
        ("  {table}: {n} row would change", "  {table}: {n} rows would change"),
    ),
    "cli.privacy.changed": (
        ("  {table}: {n} linha alterada", "  {table}: {n} linhas alteradas"),
        ("  {table}: {n} row changed", "  {table}: {n} rows changed"),
    ),
    "cli.privacy.mail_files": (
        ("  {n} arquivo de e-mail removido", "  {n} arquivos de e-mail removidos"),
        ("  {n} e-mail file removed", "  {n} e-mail files removed"),
    ),
    "cli.privacy.reject_rows": (
        (
            "  {n} linha removida dos arquivos de rejeitadas",
            "  {n} linhas removidas dos arquivos de rejeitadas",
        ),
        ("  {n} row removed from reject files", "  {n} rows removed from reject files"),
    ),
    "cli.privacy.suppressed": (
        "  incluído na lista de supressão (como hash com sal)",
        "  added to the suppression list (as a salted hash)",
    ),
    "cli.privacy.not_compacted": (
        "outro programa está com o banco aberto; rode o apagamento de novo quando ele fechar, "
        "para os bytes antigos saírem do arquivo",
        "another program has the store open; run the erase again once it is closed so the "
        "old bytes leave the file",
    ),
    "cli.privacy.backup_holds": (
        "a cópia de segurança {path} ainda tem os dados da pessoa",
        "the backup {path} still holds the person's data",
    ),
    # -- the team store --------------------------------------------------------------------
    "cli.store.to_url": (
        "--to deve ser a URL postgresql:// do banco da equipe, não {text!r}",
        "--to must be the team store's postgresql:// URL, not {text!r}",
    ),
    "cli.store.from_file": (
        "--from é o arquivo do banco pessoal (um banco SQLite), não uma URL",
        "--from is the personal store's file (an SQLite store), not a URL",
    ),
    "cli.store.url": (
        "informe a URL postgresql:// do banco da equipe, não {text!r}",
        "give the team store's postgresql:// URL, not {text!r}",
    ),
    "cli.store.no_password": (
        "nenhuma senha informada; nada guardado",
        "no password given; nothing stored",
    ),
    "cli.store.waiting": (
        "aguardando o banco: outro programa está gravando nele (até {minutes} min, a "
        "configuração store_wait; ctrl+c interrompe)",
        "waiting for the store: another program is writing to it (up to {minutes} min, the "
        "store_wait setting; ctrl+c stops)",
    ),
    "cli.store.cleared": (
        "removido o que {what} tinha gravado: foi interrompido antes de terminar, e nada "
        "disso chegou a ser mostrado",
        "removed what {what} had written: it was stopped before it ended, and none of it was "
        "ever shown",
    ),
    "cli.store.upgraded": (
        "banco atualizado; a versão anterior fica guardada em {path}",
        "store upgraded; the previous version is kept at {path}",
    ),
    "cli.unchanged": ("(sem mudança)", "(unchanged)"),
    "cli.settings.from_file": ("arquivo de configuração ({source})", "settings file ({source})"),
    "cli.settings.from_team": (
        "equipe, definido por {who} em {day}; o arquivo de configuração diz {file}",
        "team, set by {who} on {day}; the settings file says {file}",
    ),
    "cli.settings.pool": (
        "{mark} cupons {campaign}: {free} livres de {total}",
        "{mark} coupons {campaign}: {free} free of {total}",
    ),
    "cli.campaign.stopping": ("parando ({signal})", "stopping ({signal})"),
    "cli.campaign.checking": (
        "verificando a cada {every}; ctrl+c ou SIGTERM para",
        "checking every {every}; ctrl+c or SIGTERM stops",
    ),
    "cli.campaign.stopped": (
        ("parado após {n} verificação", "parado após {n} verificações"),
        ("stopped after {n} check", "stopped after {n} checks"),
    ),
    "cli.config.no_file": ("(nenhum: padrões)", "(none: defaults)"),
    "cli.config.file": ("# arquivo de configuração: {path}", "# settings file: {path}"),
    "cli.config.team_wins": (
        "# as configurações da equipe no banco valem sobre este arquivo: npsdesk settings show",
        "# team settings in the store win over this file: npsdesk settings show",
    ),
}
