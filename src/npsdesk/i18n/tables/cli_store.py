"""What `npsdesk store copy|password` prints, and the copy's refusals."""

from npsdesk.i18n.entries import Entry

# The English is one text for every count, as it always read.
_CONFLICTS = (
    "{n} cases the team store already had were treated differently there; the team's "
    "case fields were kept, the history has both:"
)
_LOOSE = (
    "{n} coupon codes given or held in the personal store for a message that was not "
    "copied are free in the team store, which could hand them out again"
)
_LOST = (
    "{n} suppression entries could not be carried: the team store salts its list "
    "differently and the personal store no longer holds who they name; add those "
    "addresses with 'npsdesk suppress add' if known"
)

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "store.copy.upgraded_first": (
        "o banco pessoal foi atualizado antes; a versão anterior fica guardada em {path}",
        "the personal store was upgraded first; its previous version is kept at {path}",
    ),
    "store.copy.copied": (
        "{source} copiado para {target} em {seconds} s (uma transação; contagens conferidas)",
        "copied {source} into {target} in {seconds} s (one transaction; counts checked)",
    ),
    "store.copy.nothing": (
        "nada a copiar: tudo em {source} já está em {target} ou foi ignorado "
        "(contagens conferidas)",
        "nothing to copy: everything in {source} is already in {target} or skipped "
        "(counts checked)",
    ),
    "store.copy.col.table": ("tabela", "table"),
    "store.copy.col.personal": ("pessoal", "personal"),
    "store.copy.col.copied": ("copiadas", "copied"),
    "store.copy.col.already": ("já existiam", "already there"),
    "store.copy.col.skipped": ("ignoradas", "skipped"),
    "store.copy.col.team": ("equipe", "team"),
    "store.copy.skipped_line": (
        "{table}: {rows} ignoradas: {reason}",
        "{table}: {rows} skipped: {reason}",
    ),
    "store.copy.conflicts": (
        (
            "{n} caso que o banco da equipe já tinha foi tratado de outro jeito lá; os campos "
            "do caso da equipe foram mantidos, o histórico tem os dois:",
            "{n} casos que o banco da equipe já tinha foram tratados de outro jeito lá; os "
            "campos do caso da equipe foram mantidos, o histórico tem os dois:",
        ),
        (_CONFLICTS, _CONFLICTS),
    ),
    "store.copy.conflict": (
        "  {source} {external_id}: #{personal_id} aqui, #{team_id} no banco da equipe ({fields})",
        "  {source} {external_id}: #{personal_id} here, #{team_id} in the team store ({fields})",
    ),
    "store.copy.more": (("  e mais {n}", "  e mais {n}"), ("  and {n} more", "  and {n} more")),
    "store.copy.logged": (
        "a cópia está no registro de tratamento do banco da equipe (npsdesk privacy log)",
        "the copy is in the team store's record of processing (npsdesk privacy log)",
    ),
    # what a completed team row is, per table
    "store.copy.updated.outbox": (
        "rascunhos de agradecimento da equipe cancelados: o cliente foi agradecido pelo "
        "banco pessoal",
        "team thank-you drafts cancelled: the customer was thanked from the personal store",
    ),
    "store.copy.updated.coupon": (
        "códigos da equipe marcados como entregues: saíram pelo banco pessoal",
        "team codes marked as given: they went out from the personal store",
    ),
    "store.copy.updated.participant": (
        "participantes da equipe completados: convidados ou responderam desde a última cópia",
        "team participants completed: invited or answered since the last copy",
    ),
    # why rows were skipped
    "store.copy.skip.not_sent": (
        "ainda não enviada: o banco da equipe a enviaria de novo; envie ou cancele no banco "
        "pessoal e copie de novo",
        "not sent yet: the team store would send it again; send or cancel it in the personal "
        "store, then copy again",
    ),
    "store.copy.skip.cancelled": (
        "cancelada: nunca chegou ao cliente",
        "cancelled: it never reached the customer",
    ),
    "store.copy.skip.own_thanks": (
        "o banco da equipe tem o próprio agradecimento para o caso",
        "the team store has its own thank-you for the case",
    ),
    "store.copy.skip.held_code": (
        "reservado para uma mensagem que não é copiada",
        "held for a message that is not copied",
    ),
    "store.copy.skip.code_taken": (
        "a mensagem já leva outro código no banco da equipe",
        "its message already carries another code in the team store",
    ),
    "store.copy.skip.in_campaign": (
        "o banco da equipe já tem o cliente nessa campanha",
        "the team store already has the customer in that campaign",
    ),
    "store.copy.skip.own_cursor": (
        "a equipe já busca esta pasta: fica a posição dela",
        "the team store fetches this folder itself: its place is kept",
    ),
    "store.copy.skip.lost_flag": (
        "o endereço já não está no repositório pessoal: não pode ser recalculado",
        "the address is no longer in the personal store: it cannot be re-hashed",
    ),
    "store.copy.skip.own_salt": (
        "o banco da equipe tem o próprio sal (a lista de supressão é recalculada para ele)",
        "the team store has its own salt (the suppression list is re-hashed to it)",
    ),
    "store.copy.skip.demo": (
        "marca um banco de demonstração (e-mails só em arquivos)",
        "marks a demo store (mail to files only)",
    ),
    "store.copy.skip.team_setting": (
        "as configurações da equipe ficam como a equipe definiu",
        "the team's settings stay as the team set them",
    ),
    "store.copy.skip.team_template": (
        "os modelos da equipe ficam como a equipe definiu",
        "the team's templates stay as the team set them",
    ),
    "store.copy.skip.settings_log": (
        "o registro das configurações do banco pessoal, que não são copiadas",
        "the log of the personal store's settings, which are not copied",
    ),
    "store.copy.skip.lost_salt": (
        "com o sal do banco pessoal e sem ninguém que ele ainda tenha, então não pode ser "
        "recalculada para o banco da equipe",
        "salted for the personal store and names no one it still holds, so it cannot be "
        "re-hashed for the team store",
    ),
    # warnings of the copy
    "store.copy.warn.loose_codes": (
        (
            "{n} código de cupom entregue ou reservado no banco pessoal para uma mensagem não "
            "copiada está livre no banco da equipe, que poderia entregá-lo de novo",
            "{n} códigos de cupom entregues ou reservados no banco pessoal para uma mensagem "
            "não copiada estão livres no banco da equipe, que poderia entregá-los de novo",
        ),
        (_LOOSE, _LOOSE),
    ),
    "store.copy.warn.lost_suppression": (
        (
            "{n} entrada de supressão não pôde ser levada: o banco da equipe calcula a lista "
            "com outro sal e o banco pessoal não tem mais quem ela identifica; adicione esse "
            "endereço com 'npsdesk suppress add' se o conhecer",
            "{n} entradas de supressão não puderam ser levadas: o banco da equipe calcula a "
            "lista com outro sal e o banco pessoal não tem mais quem elas identificam; "
            "adicione esses endereços com 'npsdesk suppress add' se os conhecer",
        ),
        (_LOST, _LOST),
    ),
    # the copy's refusals
    "refusal.store_copy.direction": (
        "copie de um banco pessoal (um arquivo SQLite) para uma URL postgresql://",
        "copy from a personal store (an SQLite file) to a postgresql:// URL",
    ),
    "refusal.store_copy.not_a_store": (
        "{label} não é um banco do npsdesk",
        "{label} is not an npsdesk store",
    ),
    "refusal.store_copy.import_open": (
        "uma importação em {label} não terminou: deixe-a terminar (ou abra o banco uma vez, "
        "se ela foi interrompida) e copie de novo",
        "an import into {label} has not finished: let it end (or open the store once if it "
        "was stopped) and copy again",
    ),
    "refusal.store_copy.failed": (
        "a cópia não conferiu, então nada foi gravado no banco da equipe: {problems}",
        "the copy did not check out, so nothing was written to the team store: {problems}",
    ),
    "store.copy.problem.accounted": (
        "{table}: {personal} linhas no banco pessoal, {accounted} copiadas, já existentes "
        "ou ignoradas",
        "{table}: {personal} rows in the personal store, {accounted} copied, already there "
        "or skipped",
    ),
    "store.copy.problem.team": (
        "{table}: o banco da equipe foi de {before} para {after} linhas com {copied} copiadas",
        "{table}: the team store went from {before} to {after} rows with {copied} copied",
    ),
    "store.copy.problem.found": (
        "{table}: {expected} linhas deveriam estar no banco da equipe, {found} encontradas",
        "{table}: {expected} rows should be in the team store, {found} found",
    ),
    # the login's password
    "store.password.no_keyring": (
        "coloque a senha em um PGPASSFILE (~/.pgpass, modo 600) ou, só nesta sessão, em PGPASSWORD",
        "put the password in a PGPASSFILE (~/.pgpass, mode 600) or, for this session only, "
        "in PGPASSWORD",
    ),
    "store.password.unavailable": ("{reason}; {advice}", "{reason}; {advice}"),
    "store.password.keyring_refused": (
        "o chaveiro do sistema recusou ({error}); {advice}",
        "the system keyring refused ({error}); {advice}",
    ),
    "store.password.none_stored": (
        "nenhuma senha estava guardada para {login}",
        "no password was stored for {login}",
    ),
    "store.password.removed": (
        "senha de {login} removida do chaveiro do sistema",
        "password for {login} removed from the system keyring",
    ),
    "store.password.prompt": ("Senha de {login}", "Password for {login}"),
    "store.password.kept": (
        "senha de {login} guardada no chaveiro do sistema",
        "password for {login} kept in the system keyring",
    ),
}
