"""What the core says when it refuses: each refusal's key, raised with its values by the
domain and the services (`DomainError(key=..., ...)`) and worded by the front door."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "refusal.date.bad": (
        "'{text}' não é uma data: escreva 31/10/2026 ou 2026-10-31",
        "'{text}' is not a date: write 2026-10-31 or 31/10/2026",
    ),
    "refusal.date.impossible": (
        "'{text}' não é uma data: {error}",
        "'{text}' is not a date: {error}",
    ),
    "refusal.period.reversed": (
        "o período termina ({end}) antes de começar ({start})",
        "the period ends ({end}) before it starts ({start})",
    ),
    "refusal.priority.unknown": (
        "prioridade {text!r} desconhecida; escolha alta, média ou baixa",
        "unknown priority {text!r}; choose high, medium or low",
    ),
    "refusal.type.unknown": (
        "tipo {text!r} desconhecido; escolha um de: {choices}",
        "unknown type {text!r}; choose one of: {choices}",
    ),
    "refusal.case.already_closed": ("já está fechada", "already closed"),
    "refusal.case.reopen_reason": ("reabrir pede um motivo", "reopening needs a reason"),
    "refusal.case.close_missing": (
        "não dá para fechar: falta {fields}",
        "cannot close: missing {fields}",
    ),
    "refusal.case.internal_no_email": (
        "pesquisa interna: nenhum e-mail de retorno ao respondente",
        "internal survey: no loop e-mail to the respondent",
    ),
    "refusal.note.empty": ("uma nota precisa de algum texto", "a note needs some text"),
    "refusal.find.empty": (
        "diga o que buscar: um CNPJ, e-mail, telefone, id ou palavras",
        "say what to find: a CNPJ, e-mail, phone, id or words",
    ),
    "refusal.privacy.one_identifier": (
        "identifique a pessoa por exatamente um de --email, --cnpj, --phone",
        "name the person by exactly one of --email, --cnpj, --phone",
    ),
    "refusal.privacy.email_bad": (
        "{text!r} não é um endereço de e-mail",
        "{text!r} is not an e-mail address",
    ),
    "refusal.privacy.phone_bad": ("{text!r} não é um telefone", "{text!r} is not a phone number"),
    "refusal.privacy.erase_by": (
        "apague uma pessoa por --email ou --cnpj",
        "erase a person by --email or --cnpj",
    ),
    "refusal.export.suffix": (
        "não dá para saber o formato de '{text}': use .csv, .xlsx ou .json, ou informe o formato",
        "cannot tell the format of '{text}': name it .csv, .xlsx or .json, or give the format",
    ),
    "refusal.export.format": (
        "formato de exportação '{text}' desconhecido (conhecidos: {known})",
        "unknown export format '{text}' (known: {known})",
    ),
    "refusal.export.status": (
        "status '{text}' desconhecido (conhecidos: {known})",
        "unknown status '{text}' (known: {known})",
    ),
    "refusal.campaign.window_bad": (
        "uma janela diária se escreve como 8-18, recebeu {text!r}",
        "a daily window is written like 8-18, got {text!r}",
    ),
    "refusal.campaign.ends_before": (
        "uma campanha termina no dia do início ou depois ({start})",
        "a campaign ends on or after its start ({start})",
    ),
    "refusal.campaign.month_bad": (
        "um mês se escreve como 2027-01, recebeu {text!r}",
        "a month is written like 2027-01, got {text!r}",
    ),
    "refusal.campaign.link_bad": (
        "o link da pesquisa deve ser um endereço http(s), recebeu {text!r}",
        "the survey link must be an http(s) address, got {text!r}",
    ),
    "refusal.campaign.link_token": (
        "o link da pesquisa deve conter {token} (o link de cada cliente)",
        "the survey link must contain {token} (each customer's own link)",
    ),
    "refusal.campaign.exists": (
        "já existe uma campanha chamada {name!r}",
        "a campaign named {name!r} exists already",
    ),
    "refusal.campaign.no_name": ("uma campanha precisa de um nome", "a campaign needs a name"),
    "refusal.opinion.unknown": ("nenhuma opinião com id {id}", "no opinion with id {id}"),
    "refusal.opinion.ambiguous": (
        "'{text}' é o id da plataforma de várias opiniões ({ids}): use um deles",
        "'{text}' is the platform id of several opinions ({ids}): use one",
    ),
    "refusal.vertical.unknown": (
        "vertical '{text}' desconhecida (conhecidas: {known})",
        "unknown vertical '{text}' (known: {known})",
    ),
    "refusal.campaign.unknown": (
        "nenhuma campanha chamada {name!r}",
        "no campaign named {name!r}",
    ),
    # -- mail --------------------------------------------------------------------------------
    "refusal.mail.no_sender": (
        "nenhum endereço de remetente: defina mail.from_address no arquivo de configuração",
        "no sender address: set mail.from_address in the settings file",
    ),
    "refusal.mail.no_smtp": (
        "nenhum servidor SMTP: defina mail.host no arquivo de configuração",
        "no SMTP server: set mail.host in the settings file",
    ),
    "refusal.mail.one_line": (
        "{what} deve ser uma linha de texto",
        "the {what} must be one line of text",
    ),
    "refusal.mail.too_long": (
        "{what} passa de {limit} caracteres",
        "the {what} is longer than {limit} characters",
    ),
    "refusal.mail.no_template": (
        "nenhum modelo {name!r} (modelos: {names})",
        "no template {name!r} (templates: {names})",
    ),
    "refusal.mail.no_address": (
        "a opinião {id} não tem endereço de e-mail",
        "opinion {id} has no e-mail address",
    ),
    "refusal.mail.suppressed": (
        "{address} está na lista de supressão (pediu para não ser contatado)",
        "{address} is on the suppression list (asked not to be contacted)",
    ),
    "refusal.mail.closed": ("a opinião {id} já está fechada", "opinion {id} is already closed"),
    "refusal.mail.no_message": (
        "nenhuma mensagem {id} na caixa de saída",
        "no message {id} in the outbox",
    ),
    "refusal.mail.not_retried": (
        "a mensagem {id} está {state} e não pode ser reenviada",
        "message {id} is {state} and cannot be retried",
    ),
    "refusal.mail.not_cancelled": (
        "a mensagem {id} está {state} e não pode ser cancelada",
        "message {id} is {state} and cannot be cancelled",
    ),
    "refusal.thanks.no_email": ("a opinião {id} não tem e-mail", "opinion {id} has no e-mail"),
    "refusal.thanks.suppressed": ("na lista de supressão", "on the suppression list"),
    "refusal.thanks.not_promoter": (
        "a opinião {id} não é de um promotor",
        "opinion {id} is not a promoter",
    ),
    "refusal.thanks.already": (
        "a opinião {id} já tem seu agradecimento",
        "opinion {id} already has its thank-you",
    ),
    "refusal.thanks.pool_empty": (
        "o lote de cupons {pool!r} está vazio: importe mais códigos (npsdesk coupons import) "
        "antes de agradecer mais clientes",
        "the coupon pool {pool!r} is empty: import more codes (npsdesk coupons import) "
        "before thanking more customers",
    ),
    "refusal.coupons.none": (
        "{path}: nenhum código de cupom encontrado",
        "{path}: no coupon codes found",
    ),
    # -- the registry ----------------------------------------------------------------------
    "refusal.registry.no_category": (
        "nenhuma categoria {name!r} (categorias: {known})",
        "no category {name!r} (categories: {known})",
    ),
    "refusal.registry.no_category_yet": (
        "nenhuma categoria {name!r} (categorias: nenhuma ainda)",
        "no category {name!r} (categories: none yet)",
    ),
    "refusal.registry.no_analyst": (
        "nenhum analista {name!r} (analistas: {known})",
        "no analyst {name!r} (analysts: {known})",
    ),
    "refusal.registry.no_analyst_yet": (
        "nenhum analista {name!r} (analistas: nenhum ainda)",
        "no analyst {name!r} (analysts: none yet)",
    ),
    "refusal.analyst.removed": (
        "o analista '{name}' foi removido da equipe (npsdesk analyst add {name} o traz de volta)",
        "analyst '{name}' was removed from the team (npsdesk analyst add {name} brings them back)",
    ),
    "refusal.analyst.unknown": (
        "analista '{name}' desconhecido (conhecidos: {known})",
        "unknown analyst '{name}' (known: {known})",
    ),
    "refusal.analyst.unknown_yet": (
        "analista '{name}' desconhecido (conhecidos: nenhum ainda)",
        "unknown analyst '{name}' (known: none yet)",
    ),
    "refusal.category.removed": (
        "a categoria '{name}' foi removida da lista (npsdesk category add '{name}' a traz de "
        "volta)",
        "category '{name}' was removed from the list (npsdesk category add '{name}' brings it "
        "back)",
    ),
    "refusal.category.unknown": (
        "categoria '{name}' desconhecida (conhecidas: {known})",
        "unknown category '{name}' (known: {known})",
    ),
    "refusal.category.unknown_yet": (
        "categoria '{name}' desconhecida (conhecidas: nenhuma ainda)",
        "unknown category '{name}' (known: none yet)",
    ),
    "refusal.case.reopen_closed_only": (
        "só uma opinião fechada pode ser reaberta (esta está {status})",
        "only a closed case can be reopened (this one is {status})",
    ),
}
