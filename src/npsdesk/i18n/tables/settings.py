"""What the team settings screen (S) says, and its keys."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "key.desk.settings": ("configurações da equipe", "team settings"),
    "key.settings.close": ("volta", "back"),
    "key.settings.save": ("salva", "save"),
    "key.settings.next": ("seção seguinte", "next section"),
    "key.settings.previous": ("seção anterior", "previous section"),
    "key.settings.categories": ("categorias", "categories"),
    "key.settings.analysts": ("analistas", "analysts"),
    "key.settings.templates": ("modelos de e-mail", "e-mail templates"),
    "key.settings.sender": ("remetente", "sender"),
    "key.settings.bonus": ("bônus", "bonus"),
    "key.settings.deadlines": ("prazos", "deadlines"),
    "key.settings.replies": ("respostas", "replies"),
    "key.settings.category_add": ("nova", "new"),
    "key.settings.category_remove": ("remove", "remove"),
    "key.settings.category_restore": ("traz de volta", "bring back"),
    "key.settings.analyst_add": ("novo", "new"),
    "key.settings.analyst_remove": ("remove", "remove"),
    "key.settings.analyst_restore": ("traz de volta", "bring back"),
    "key.settings.preview": ("visualiza", "preview"),
    "key.deadline.standard": ("prazo padrão", "standard deadline"),
    "desk.deadline_standard": (
        "Padrão dos {cls}: {days} após a resposta ({source}) → {date} · ctrl+d usa",
        "Standard for {cls}: {days} after the answer ({source}) → {date} · ctrl+d uses it",
    ),
    "desk.business_day": ("{n} dia útil", "{n} business day"),
    "desk.business_days": (
        ("{n} dia útil", "{n} dias úteis"),
        ("{n} business day", "{n} business days"),
    ),
    "desk.removed_mark": ("(fora da lista)", "(removed)"),
    "settings.title": ("Configurações da equipe", "Team settings"),
    "settings.subtitle": (
        "valem para todos; cada mudança fica registrada",
        "they apply to everyone; every change is recorded",
    ),
    "settings.tab.categories": ("1 Categorias", "1 Categories"),
    "settings.tab.analysts": ("2 Analistas", "2 Analysts"),
    "settings.tab.templates": ("3 Modelos", "3 Templates"),
    "settings.tab.sender": ("4 Remetente", "4 Sender"),
    "settings.tab.bonus": ("5 Bônus", "5 Bonus"),
    "settings.tab.deadlines": ("6 Prazos", "6 Deadlines"),
    "settings.tab.replies": ("7 Respostas", "7 Replies"),
    "settings.rep.closed": ("Resposta, caso fechado", "Reply, closed case"),
    "settings.rep.closed.reopen": ("Reabre o caso", "Reopens the case"),
    "settings.rep.closed.flag": (
        "Mantém fechado, marcado como aguardando nós",
        "Stays closed, flagged as awaiting us",
    ),
    "settings.rep.plus": ("Endereço do caso", "Case reply address"),
    "settings.rep.plus.on": ("Sim (resposta+código@...)", "Yes (reply-to+code@...)"),
    "settings.rep.plus.off": ("Não: o endereço de resposta da equipe", "No: the team's reply-to"),
    "settings.rep.tag": ("[#número] no assunto", "[#number] in the subject"),
    "settings.rep.tag.on": ("Sim", "Yes"),
    "settings.rep.tag.off": ("Não", "No"),
    "settings.rep.unsubscribe": ("Link de descadastro", "Unsubscribe link"),
    "settings.rep.hint": (
        "O endereço e a etiqueta ajudam uma resposta a achar o caso quando o programa de "
        "e-mail do cliente perde a conversa. O link (https, com {token}) vai em "
        "List-Unsubscribe com um clique; vazio, só o mailto:. Enter salva o link.",
        "The address and the tag help a reply find its case when the customer's mail "
        "program loses the thread. The link (https, with {token}) goes in List-Unsubscribe "
        "with one click; empty, only the mailto:. Enter saves the link.",
    ),
    "settings.rep.saved": ("Configuração de respostas salva.", "Reply settings saved."),
    "settings.unsaved": (
        "Mudanças não salvas em {sections}: ctrl+s salva; esc de novo sai sem salvar.",
        "Unsaved changes in {sections}: ctrl+s saves; esc again leaves without saving.",
    ),
    "settings.no_row": ("Nenhuma linha na lista.", "No row in the list."),
    "settings.nothing_changed": ("Nada mudou.", "Nothing changed."),
    "settings.col.name": ("Nome", "Name"),
    "settings.col.cases": ("Casos", "Cases"),
    "settings.col.state": ("Situação", "State"),
    "settings.active": ("ativa", "active"),
    "settings.removed": ("removida", "removed"),
    "settings.source.team": ("equipe", "team"),
    "settings.source.personal": ("arquivo de configuração", "settings file"),
    "settings.source.default": ("padrão", "default"),
    # categories
    "settings.cat.hint": (
        "a nova · x remove (os casos a mantêm) · r traz de volta · o desk oferece só as ativas",
        "a new · x remove (cases keep it) · r bring back · the desk offers active ones only",
    ),
    "settings.cat.new": ("Nova categoria (enter adiciona)", "New category (enter adds)"),
    "settings.cat.added": ("Categoria {name} adicionada.", "Category {name} added."),
    "settings.cat.back": (
        (
            "Categoria {name} de volta às escolhas ({n} caso).",
            "Categoria {name} de volta às escolhas ({n} casos).",
        ),
        (
            "Category {name} is back in the choices ({n} case).",
            "Category {name} is back in the choices ({n} cases).",
        ),
    ),
    "settings.cat.deactivated": (
        (
            "Categoria {name} saiu das escolhas; {n} caso a mantém.",
            "Categoria {name} saiu das escolhas; {n} casos a mantêm.",
        ),
        (
            "Category {name} left the choices; {n} case keeps it.",
            "Category {name} left the choices; {n} cases keep it.",
        ),
    ),
    "settings.cat.deleted": (
        "Categoria {name} apagada (nenhum caso a usava).",
        "Category {name} deleted (no case used it).",
    ),
    "settings.cat.is_active": ("A categoria {name} já está ativa.", "Category {name} is active."),
    # analysts
    "settings.an.hint": (
        "a novo · enter edita · x remove (casos e histórico o mantêm) · r traz de volta · "
        "ctrl+s salva",
        "a new · enter edits · x remove (cases and history keep them) · r bring back · "
        "ctrl+s saves",
    ),
    "settings.an.username": ("Usuário", "Username"),
    "settings.an.name": ("Nome", "Name"),
    "settings.an.email": ("E-mail", "E-mail"),
    "settings.an.role": ("Papel", "Role"),
    "settings.an.active": ("ativo", "active"),
    "settings.an.removed": ("removido", "removed"),
    "settings.an.added": ("Analista {name} adicionado.", "Analyst {name} added."),
    "settings.an.back": (
        (
            "Analista {name} de volta às escolhas ({n} caso).",
            "Analista {name} de volta às escolhas ({n} casos).",
        ),
        (
            "Analyst {name} is back in the choices ({n} case).",
            "Analyst {name} is back in the choices ({n} cases).",
        ),
    ),
    "settings.an.updated": ("Analista {name} atualizado.", "Analyst {name} updated."),
    "settings.an.deactivated": (
        (
            "Analista {name} saiu das escolhas; {n} caso e o histórico o mantêm.",
            "Analista {name} saiu das escolhas; {n} casos e o histórico o mantêm.",
        ),
        (
            "Analyst {name} left the choices; {n} case and the history keep them.",
            "Analyst {name} left the choices; {n} cases and the history keep them.",
        ),
    ),
    "settings.an.deleted": (
        "Analista {name} apagado (nenhum caso o citava).",
        "Analyst {name} deleted (no case named them).",
    ),
    "settings.an.is_active": ("{name} já está ativo.", "{name} is active."),
    # templates
    "settings.tpl.which": ("Modelo", "Template"),
    "settings.tpl.detractor": ("Detrator", "Detractor"),
    "settings.tpl.neutral": ("Neutro", "Neutral"),
    "settings.tpl.promoter": ("Promotor", "Promoter"),
    "settings.tpl.bonus": ("Bônus (promotor com cupom)", "Bonus (promoter with a coupon)"),
    "settings.tpl.subject": ("Assunto", "Subject"),
    "settings.tpl.hint": (
        "campos: {names} · ctrl+s salva · ctrl+r visualiza com um caso de exemplo",
        "fields: {names} · ctrl+s saves · ctrl+r previews with a sample case",
    ),
    "settings.tpl.saved": ("Modelo {name} salvo.", "Template {name} saved."),
    "settings.tpl.unsaved": (
        "{name}: alterado, não salvo (ctrl+s salva)",
        "{name}: edited, not saved (ctrl+s saves)",
    ),
    # sender
    "settings.snd.address": (
        "Endereço (arquivo de configuração, mail.from_address): {address}",
        "Address (settings file, mail.from_address): {address}",
    ),
    "settings.snd.no_address": ("não definido", "not set"),
    "settings.snd.name": ("Nome do remetente", "Sender name"),
    "settings.snd.reply_to": ("Responder para", "Reply-to"),
    "settings.snd.signature": ("Assinatura", "Signature"),
    "settings.snd.hint": (
        "ctrl+s salva · nome em branco: os clientes veem o endereço · a assinatura vai em "
        "todo e-mail",
        "ctrl+s saves · a blank name shows customers the address · the signature ends every e-mail",
    ),
    "settings.snd.saved": ("Remetente salvo.", "Sender saved."),
    # bonus
    "settings.bonus.neutrals": ("Neutros ganham bônus", "Bonus for neutrals"),
    "settings.bonus.file": (
        "Como diz o arquivo de cada analista (o seu: {value})",
        "As each analyst's settings file says (yours: {value})",
    ),
    "settings.bonus.on": ("Sim, para toda a equipe", "Yes, for the whole team"),
    "settings.bonus.off": ("Não, para toda a equipe", "No, for the whole team"),
    "settings.bonus.in_force": (
        "Valendo agora: {value} ({source}).",
        "In force: {value} ({source}).",
    ),
    "settings.bonus.saved": ("Bônus para neutros: {value}.", "Bonus for neutrals: {value}."),
    "settings.bonus.pools": ("Lotes de cupons", "Coupon pools"),
    "settings.bonus.no_pools": (
        "Nenhum lote de cupons: npsdesk coupons import ARQUIVO --campaign NOME",
        "No coupon pools: npsdesk coupons import FILE --campaign NAME",
    ),
    "settings.bonus.pool_hint": (
        "O lote ativo (*) dá um código a cada agradecimento; npsdesk coupons import e "
        "coupons stop o trocam.",
        "The active pool (*) gives each thank-you a code; npsdesk coupons import and "
        "coupons stop change it.",
    ),
    "settings.pool.name": ("Lote", "Pool"),
    "settings.pool.total": ("Códigos", "Codes"),
    "settings.pool.given": ("Dados", "Given"),
    "settings.pool.free": ("Restam", "Left"),
    "settings.pool.active": ("Ativo", "Active"),
    # deadlines
    "settings.dl.intro": (
        "Dias úteis para tratar uma opinião nova, por classe. O valor da equipe vence o "
        "[deadlines] do arquivo de configuração de cada analista; em branco, vale o arquivo. "
        "Opiniões já importadas mantêm o prazo.",
        "Business days to treat a new opinion, per class. The team's value wins over the "
        "[deadlines] of each analyst's settings file; blank, the file decides. Opinions "
        "already imported keep their deadline.",
    ),
    "settings.dl.row": (
        "arquivo: {file} ({source}) · valendo: {effective} ({winner})",
        "settings file: {file} ({source}) · in force: {effective} ({winner})",
    ),
    "settings.dl.hint": (
        "1 a 90 dias úteis · ctrl+s salva",
        "1 to 90 business days · ctrl+s saves",
    ),
    "settings.dl.saved": ("Prazos salvos: {classes}.", "Deadlines saved: {classes}."),
    # refusals, by the core's code
    "settings.err.category.blank": (
        "O nome da categoria não pode ficar em branco.",
        "A category name cannot be blank.",
    ),
    "settings.err.category.long": (
        "Nome longo demais: {length} caracteres (máximo {limit}).",
        "Too long: {length} characters (at most {limit}).",
    ),
    "settings.err.category.control": (
        "O nome deve ser uma linha de texto, sem caracteres de controle.",
        "The name must be one line of plain text, without control characters.",
    ),
    "settings.err.category.exists": (
        "Já existe a categoria {name}.",
        "Category {name} already exists.",
    ),
    "settings.err.category.removed": (
        "A categoria {name} já foi removida.",
        "Category {name} was already removed.",
    ),
    "settings.err.name.blank": ("O nome não pode ficar em branco.", "The name cannot be blank."),
    "settings.err.name.long": (
        "Nome longo demais: {length} caracteres (máximo {limit}).",
        "The name is too long: {length} characters (at most {limit}).",
    ),
    "settings.err.name.control": (
        "O nome deve ser uma linha de texto, sem caracteres de controle.",
        "The name must be one line of plain text, without control characters.",
    ),
    "settings.err.role.long": (
        "Papel longo demais: {length} caracteres (máximo {limit}).",
        "The role is too long: {length} characters (at most {limit}).",
    ),
    "settings.err.role.control": (
        "O papel deve ser uma linha de texto, sem caracteres de controle.",
        "The role must be one line of plain text, without control characters.",
    ),
    "settings.err.username.blank": (
        "O usuário não pode ficar em branco.",
        "The username cannot be blank.",
    ),
    "settings.err.username.long": (
        "Usuário longo demais (máximo {limit} caracteres).",
        "The username is too long (at most {limit} characters).",
    ),
    "settings.err.username.chars": (
        "Usuário {name}: só letras minúsculas, dígitos, '.', '_' e '-', começando por letra "
        "ou dígito.",
        "Username {name}: only lowercase letters, digits, '.', '_' and '-', starting with a "
        "letter or digit.",
    ),
    "settings.err.email.invalid": ("E-mail {address} inválido.", "E-mail {address} is not valid."),
    "settings.err.analyst.removed": ("{name} já foi removido.", "{name} was already removed."),
    "settings.err.deadline.range": (
        "O prazo dos {cls} deve ser um número inteiro de 1 a 90 dias úteis.",
        "The deadline for {cls} must be a whole number of business days from 1 to 90.",
    ),
}
