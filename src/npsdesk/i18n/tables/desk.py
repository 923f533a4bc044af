"""What the desk says: panes, forms, confirmations, notifications."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "desk.unknown_keys": (
        "[keys] no arquivo de configuração cita ids que não existem: {ids} (veja ? )",
        "[keys] in the settings file names ids that do not exist: {ids} (see ?)",
    ),
    "desk.tab.untreated": ("Sem atendimento", "Untreated"),
    "desk.tab.in_treatment": ("Em atendimento", "In treatment"),
    "desk.tab.all": ("Todas", "All"),
    "desk.tab.archived": ("Arquivadas", "Archived"),
    "desk.tab.mine": ("Minhas", "Mine"),
    "desk.tab.following": ("Seguindo", "Following"),
    "desk.tab.awaiting": ("Aguardando nós", "Awaiting us"),
    "desk.col.score": ("NPS", "NPS"),
    "desk.col.customer": ("Cliente · empresa", "Customer · company"),
    "desk.col.age": ("Idade", "Age"),
    "desk.col.deadline": ("Prazo", "Due"),
    "desk.col.responsible": ("Resp.", "Owner"),
    "desk.today": ("hoje", "today"),
    "desk.empty": ("Nenhuma opinião nesta aba.", "No opinions in this tab."),
    "desk.searching": ("busca", "search"),
    "desk.search_placeholder": (
        "buscar: nome, empresa, comentário, CNPJ, e-mail, telefone (enter aplica, esc cancela)",
        "search: name, company, comment, CNPJ, e-mail, phone (enter applies, esc cancels)",
    ),
    "desk.selected": (("{n} selecionada", "{n} selecionadas"), ("{n} selected", "{n} selected")),
    "desk.selected_hint": (
        "a r w g t p d x T valem para todas · esc limpa",
        "a r w g t p d x T act on them all · esc clears",
    ),
    "desk.selected_all": (
        (
            "{n} selecionada: todas as da aba, da busca e do filtro",
            "{n} selecionadas: todas as da aba, da busca e do filtro",
        ),
        (
            "{n} selected: every one in the tab, search and filter",
            "{n} selected: every one in the tab, search and filter",
        ),
    ),
    "desk.list_hint": (
        "/ busca · f filtra · espaço marca · * marca todas · ? teclas",
        "/ search · f filter · space selects · * selects all · ? keys",
    ),
    "desk.offline": (
        "sem conexão, tentando de novo: o banco da equipe não responde",
        "offline, retrying: the team store cannot be reached",
    ),
    "desk.online": (
        "conexão de volta: a lista mostra o que mudou enquanto isso",
        "back online: the list shows what changed meanwhile",
    ),
    "desk.no_case": ("Nenhuma opinião selecionada.", "No opinion selected."),
    "desk.answer": ("Resposta", "Answer"),
    "desk.note_frame": ("NOTA INTERNA", "INTERNAL NOTE"),
    "desk.email_frame": ("E-MAIL AO CLIENTE", "E-MAIL TO THE CUSTOMER"),
    "desk.email_in_frame": ("E-MAIL DO CLIENTE", "E-MAIL FROM THE CUSTOMER"),
    "desk.case_hints": (
        "c contato · n nota · e e-mail · x fecha · a arquiva · ? teclas · esc lista",
        "c contact · n note · e e-mail · x close · a archive · ? keys · esc list",
    ),
    "desk.respondent": ("Respondente", "Respondent"),
    "desk.case": ("Caso", "Case"),
    "desk.name": ("Nome", "Name"),
    "desk.phone": ("Telefone", "Phone"),
    "desk.company": ("Razão social", "Company"),
    "desk.score": ("Nota", "Score"),
    "desk.others": (
        ("Outras opiniões deste CNPJ ({n})", "Outras opiniões deste CNPJ ({n})"),
        ("Other opinions of this customer ({n})", "Other opinions of this customer ({n})"),
    ),
    "desk.f.deadline": ("Prazo", "Deadline"),
    "desk.f.priority": ("Prioridade", "Priority"),
    "desk.f.category": ("Categoria", "Category"),
    "desk.f.type": ("Tipo", "Type"),
    "desk.f.status": ("Status", "Status"),
    "desk.f.responsible": ("Responsável", "Responsible"),
    "desk.f.followers": ("Seguidores", "Followers"),
    "desk.f.archived": ("Arquivada", "Archived"),
    "desk.yes": ("sim", "yes"),
    "desk.no": ("não", "no"),
    "desk.none": ("(nenhuma)", "(none)"),
    "desk.choose": ("escolha…", "choose…"),
    # forms
    "desk.note_title": ("Nota interna", "Internal note"),
    "desk.note_hint": (
        "O cliente não vê esta nota. ctrl+s salva · esc fecha (o rascunho fica) · ctrl+d descarta",
        "The customer never sees this note. ctrl+s saves · esc closes (the draft stays) · "
        "ctrl+d discards",
    ),
    # saving: every desk write runs off the screen's thread and may wait for the store
    "desk.saving": ("salvando…", "saving…"),
    "desk.waiting_store": (
        "aguardando o banco: outro programa está gravando (uma importação?)",
        "waiting for the store: another program is writing (an import?)",
    ),
    "desk.still_saving": (
        "Ainda salvando a alteração anterior; aguarde.",
        "Still saving the previous change; wait for it.",
    ),
    "desk.saving_away": (
        "A gravação continua; você será avisado quando terminar.",
        "The save goes on; you will be told when it is done.",
    ),
    "desk.quit_saving": (
        "Uma alteração ainda aguarda o banco para ser salva: q de novo sai sem ela.",
        "A change is still waiting for the store to be saved: q again quits without it.",
    ),
    "desk.not_saved": ("Não foi salvo (#{id}): {reason}.", "Not saved (#{id}): {reason}."),
    # drafts: what was typed and not saved stays with the case for the session
    "desk.leave.note": (
        "A nota não foi salva: esc de novo fecha e guarda o rascunho neste caso · "
        "ctrl+d descarta · ctrl+s salva",
        "This note is not saved: esc again closes it and keeps the draft on this case · "
        "ctrl+d discards it · ctrl+s saves",
    ),
    "desk.leave.mail": (
        "O e-mail não foi enviado: esc de novo fecha e guarda o rascunho neste caso · "
        "ctrl+d descarta · ctrl+s envia",
        "This e-mail is not sent: esc again closes it and keeps the draft on this case · "
        "ctrl+d discards it · ctrl+s sends",
    ),
    "desk.leave.contact": (
        "A nota do contato não foi salva: esc de novo fecha e guarda o rascunho neste caso · "
        "ctrl+d descarta · 1-4 registra",
        "The contact's note is not saved: esc again closes it and keeps the draft on this "
        "case · ctrl+d discards it · 1-4 logs it",
    ),
    "desk.draft_kept.note": (
        "Rascunho da nota guardado na opinião #{id}: abra a nota de novo para continuar.",
        "Note draft kept on opinion #{id}: open the note again to go on.",
    ),
    "desk.draft_kept.mail": (
        "Rascunho do e-mail guardado na opinião #{id}: abra o e-mail de novo para continuar.",
        "E-mail draft kept on opinion #{id}: open the e-mail again to go on.",
    ),
    "desk.draft_kept.contact": (
        "Nota do contato guardada na opinião #{id}: abra o contato de novo para continuar.",
        "Contact note kept on opinion #{id}: open the contact again to go on.",
    ),
    "desk.draft_back.note": (
        "Rascunho que você deixou neste caso · ctrl+s salva · esc fecha · ctrl+d descarta",
        "The draft you left on this case · ctrl+s saves · esc closes · ctrl+d discards it",
    ),
    "desk.draft_back.mail": (
        "Rascunho que você deixou neste caso · ctrl+s envia · esc fecha · ctrl+d descarta",
        "The draft you left on this case · ctrl+s sends · esc closes · ctrl+d discards it",
    ),
    "desk.draft_back.contact": (
        "A nota que você deixou neste caso · 1-4 registra · esc fecha · ctrl+d descarta",
        "The note you left on this case · 1-4 logs it · esc closes · ctrl+d discards it",
    ),
    "desk.draft_discarded": ("Rascunho descartado.", "Draft discarded."),
    "desk.note_empty": ("Escreva a nota antes de salvar.", "Write the note before saving."),
    "desk.contact_title": ("Tentativa de contato", "Contact attempt"),
    "desk.channel": ("Canal", "Channel"),
    "desk.outcome": ("Resultado", "Outcome"),
    "desk.contact_note": (
        "nota opcional (n para escrever, enter termina)",
        "optional note (n to write, enter ends it)",
    ),
    "desk.contact_hint": (
        "t/w/e/o escolhe o canal · 1-4 registra o resultado · n nota · esc fecha",
        "t/w/e/o picks the channel · 1-4 logs the outcome · n note · esc closes",
    ),
    "desk.close_title": ("Fechar o caso", "Close the case"),
    "desk.close_hint": (
        "tab passa de campo · enter abre a lista · ctrl+s fecha o caso · esc cancela",
        "tab moves between fields · enter opens a list · ctrl+s closes the case · esc cancels",
    ),
    "desk.close_button": ("Fechar caso", "Close case"),
    "desk.stale": (
        "O caso #{id} mudou enquanto você editava: {changes}. Nada foi salvo; "
        "salve de novo para aplicar a sua alteração por cima.",
        "Case #{id} changed while you were editing it: {changes}. Nothing was saved; "
        "save again to apply your change over it.",
    ),
    "desk.stale_field": (
        "{actor} mudou {field} para {value} às {time}",
        "{actor} set {field} to {value} at {time}",
    ),
    "desk.stale_other": ("{actor}: {what} às {time}", "{actor}: {what} at {time}"),
    "desk.stale_platform": (
        "os dados da pesquisa foram atualizados",
        "its survey data was updated",
    ),
    "desk.close_missing": (
        "Não dá para fechar: falta {fields}.",
        "Cannot close: {fields} missing.",
    ),
    "desk.choice_hint": (
        "↑↓ escolhe · enter confirma · esc cancela",
        "↑↓ choose · enter confirms · esc cancels",
    ),
    "desk.priority_title": ("Prioridade", "Priority"),
    "desk.category_title": ("Categoria", "Category"),
    "desk.responsible_title": ("Responsável", "Responsible"),
    "desk.deadline_title": ("Prazo", "Deadline"),
    "desk.deadline_hint": (
        "uma data, ou +N dias úteis a partir de hoje · enter salva · esc cancela",
        "a date, or +N business days from today · enter saves · esc cancels",
    ),
    "desk.deadline_bad": (
        "'{text}' não é uma data: escreva 31/12/2026, 2026-12-31 ou +2",
        "'{text}' is not a date: write 2026-12-31, 31/12/2026 or +2",
    ),
    "desk.confirm_hint": ("enter ou y confirma · esc cancela", "enter or y confirms · esc cancels"),
    "desk.confirm_archive": (
        ("Arquivar {n} opinião?", "Arquivar {n} opiniões?"),
        ("Archive {n} opinion?", "Archive {n} opinions?"),
    ),
    "desk.confirm_unarchive": (
        ("Desarquivar {n} opinião?", "Desarquivar {n} opiniões?"),
        ("Unarchive {n} opinion?", "Unarchive {n} opinions?"),
    ),
    "desk.confirm_assign": (
        ("Atribuir {n} opinião a {who}?", "Atribuir {n} opiniões a {who}?"),
        ("Assign {n} opinion to {who}?", "Assign {n} opinions to {who}?"),
    ),
    "desk.bulk_assign_title": (
        ("Responsável por {n} opinião", "Responsável por {n} opiniões"),
        ("Responsible for {n} opinion", "Responsible for {n} opinions"),
    ),
    "desk.bulk_running": (
        ("Alterando {n} opinião…", "Alterando {n} opiniões…"),
        ("Changing {n} opinion…", "Changing {n} opinions…"),
    ),
    # e-mail
    "desk.mail_title": ("E-mail ao cliente", "E-mail to the customer"),
    "desk.mail_to": ("Para", "To"),
    "desk.mail_preview": ("Visualizar ^R", "Preview ^R"),
    "desk.mail_send": ("Enviar e manter aberta ^S", "Send and keep open ^S"),
    "desk.mail_send_close": ("Enviar e fechar ^F", "Send and close ^F"),
    "desk.mail_hint": (
        "A assinatura entra no envio. tab passa de campo · esc fecha (o rascunho fica) · "
        "ctrl+d descarta",
        "The signature is added when sent. tab moves between fields · esc closes "
        "(the draft stays) · ctrl+d discards",
    ),
    "desk.mail_no_subject": ("O e-mail precisa de um assunto.", "The e-mail needs a subject."),
    "desk.preview_title": (
        "Como o cliente vai receber (esc volta ao texto)",
        "As the customer will receive it (esc goes back to the text)",
    ),
    "desk.preview_hint": ("esc volta", "esc goes back"),
    "desk.mail_queued": ("E-mail na fila; enviando…", "E-mail queued; sending…"),
    "desk.mail_sent": ("E-mail da opinião #{id} enviado.", "E-mail for opinion #{id} sent."),
    "desk.mail_closed": ("Caso fechado.", "Case closed."),
    "desk.mail_failed": (
        "O e-mail não foi enviado: {reason}. Está na caixa de saída: npsdesk outbox retry {id}",
        "The e-mail was not sent: {reason}. It is in the outbox: npsdesk outbox retry {id}",
    ),
    "desk.mail_unknown": (
        "Envio incerto (o servidor pode ter recebido): {reason}. Confira antes de reenviar "
        "(npsdesk outbox retry {id}).",
        "Delivery unknown (the server may have it): {reason}. Check before resending "
        "(npsdesk outbox retry {id}).",
    ),
    "desk.mail_pending": (
        "O e-mail continua na caixa de saída (mensagem {id}); envie com npsdesk outbox send",
        "The e-mail is still in the outbox (message {id}); send it with npsdesk outbox send",
    ),
    "desk.mail_error": (
        "O e-mail ficou na caixa de saída sem ser enviado: {reason} (mensagem {id})",
        "The e-mail stayed in the outbox unsent: {reason} (message {id})",
    ),
    # outcomes
    "desk.done_note": ("Nota salva na opinião #{id}.", "Note saved on opinion #{id}."),
    "desk.done_contact": (
        "Contato registrado na opinião #{id}.",
        "Contact logged on opinion #{id}.",
    ),
    "desk.done_close": ("Opinião #{id} fechada.", "Opinion #{id} closed."),
    "desk.done_field": ("Opinião #{id} alterada.", "Opinion #{id} changed."),
    "desk.done_follow": ("Você segue a opinião #{id}.", "You follow opinion #{id}."),
    "desk.done_unfollow": (
        "Você deixou de seguir a opinião #{id}.",
        "You no longer follow opinion #{id}.",
    ),
    "desk.already_closed": ("A opinião #{id} já está fechada.", "Opinion #{id} is already closed."),
    "desk.done_archive": (
        ("{n} arquivada.", "{n} arquivadas."),
        ("{n} archived.", "{n} archived."),
    ),
    "desk.done_unarchive": (
        ("{n} desarquivada.", "{n} desarquivadas."),
        ("{n} unarchived.", "{n} unarchived."),
    ),
    "desk.done_assign": (("{n} atribuída.", "{n} atribuídas."), ("{n} assigned.", "{n} assigned.")),
    "desk.skipped": (("{n} ignorada: ", "{n} ignoradas: "), ("{n} skipped: ", "{n} skipped: ")),
    "desk.skip.not_found": ("não existem mais", "no longer exist"),
    "desk.skip.already_archived": ("já estavam arquivadas", "already archived"),
    "desk.skip.not_archived": ("não estavam arquivadas", "not archived"),
    "desk.skip.already_responsible": ("já eram deste responsável", "already theirs"),
    "desk.skip.changed_since": ("mudaram desde então", "changed since"),
    "desk.undo_hint": ("u desfaz.", "u undoes."),
    "desk.nothing_to_undo": ("Nada a desfazer.", "Nothing to undo."),
    # dashboard
    "desk.dashboard": ("Painel", "Dashboard"),
    "desk.period_from": ("de (data)", "from (date)"),
    "desk.period_to": ("até (data)", "to (date)"),
    # promoter thank-yous
    "desk.thank_draft": (
        "Agradecimento aguardando revisão [T]",
        "Thank-you draft waiting [T]",
    ),
    "desk.thank_state": ("Agradecimento: {state}", "Thank-you: {state}"),
    "desk.thank_queued": ("Agradecimento na fila; enviando…", "Thank-you queued; sending…"),
    "desk.thank_refused": (
        "Agradecimento da opinião #{id} não enviado: {reason}",
        "Thank-you for opinion #{id} not sent: {reason}",
    ),
    "desk.confirm_thank": (
        ("Enviar {n} agradecimento e fechar?", "Enviar {n} agradecimentos e fechar?"),
        ("Send {n} thank-you and close?", "Send {n} thank-yous and close?"),
    ),
    "desk.thank_drafts": (
        ("{n} com rascunho pronto.", "{n} com rascunho pronto."),
        ("{n} with a draft waiting.", "{n} with a draft waiting."),
    ),
    "desk.thank_pool": (
        "Cupons livres em «{pool}»: {free}.",
        "Free coupons in «{pool}»: {free}.",
    ),
    "desk.thank_running": (
        ("Enviando {n} agradecimento…", "Enviando {n} agradecimentos…"),
        ("Sending {n} thank-you…", "Sending {n} thank-yous…"),
    ),
    "desk.done_thank": (
        "{queued} agradecimentos na fila, {sent} enviados.",
        "{queued} thank-yous queued, {sent} sent.",
    ),
    "desk.thank_skipped": (
        ("{n} recusado: ", "{n} recusados: "),
        ("{n} refused: ", "{n} refused: "),
    ),
    "desk.thank_unsent": (
        (
            "{n} ficou na caixa de saída (npsdesk outbox).",
            "{n} ficaram na caixa de saída (npsdesk outbox).",
        ),
        (
            "{n} stayed in the outbox (npsdesk outbox).",
            "{n} stayed in the outbox (npsdesk outbox).",
        ),
    ),
    "desk.thank_not_closed": (
        ("{n} enviado sem fechar: ", "{n} enviados sem fechar: "),
        ("{n} sent but not closed: ", "{n} sent but not closed: "),
    ),
    "desk.thank_error": (
        "Agradecimentos não enviados: {reason}",
        "Thank-yous not sent: {reason}",
    ),
    # filter
    "desk.filtered": ("filtro", "filter"),
    "desk.filter_title": ("Filtrar a lista", "Filter the list"),
    "desk.filter_hint": (
        "ctrl+s aplica · vazio limpa · esc cancela (na lista, esc limpa o filtro)",
        "ctrl+s applies · empty clears · esc cancels (on the list, esc clears the filter)",
    ),
    "desk.filter_any": ("qualquer", "any"),
    "desk.filter_class": ("Classe", "Class"),
    "desk.filter_campaign": ("Campanha", "Campaign"),
    "desk.filter_overdue": ("só atrasadas", "overdue only"),
    "desk.filter_apply": ("Aplicar ^S", "Apply ^S"),
    "desk.filter_clear": ("Limpar", "Clear"),
    "desk.filter_bad_period": (
        "O início do período vem depois do fim.",
        "The period starts after it ends.",
    ),
    # campaigns
    "desk.campaigns": ("Campanhas", "Campaigns"),
    "desk.campaigns_none": (
        "Nenhuma campanha. Crie uma com npsdesk campaign create.",
        "No campaigns. Create one with npsdesk campaign create.",
    ),
    "desk.camp.name": ("Campanha", "Campaign"),
    "desk.camp.period": ("Período", "Period"),
    "desk.camp.window": ("Janela", "Window"),
    "desk.camp.active": ("Ativa", "Active"),
    "desk.camp.participants": ("Participantes", "Participants"),
    "desk.camp.invited": ("Convidados", "Invited"),
    "desk.camp.responded": ("Responderam", "Responded"),
    "desk.camp.rate": ("Taxa resp.", "Resp. rate"),
    "desk.camp.nps": ("NPS", "NPS"),
    # help
    "desk.help_title": ("Teclas do npsdesk", "npsdesk keys"),
    "desk.help_key": ("Tecla", "Key"),
    "desk.help_does": ("O que faz", "What it does"),
    "desk.help_footer": ("esc fecha", "esc closes"),
}
