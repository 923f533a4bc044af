"""What the desk says about changes to many cases at once."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "bulk.title": (
        ("{what} · {n} opinião", "{what} · {n} opiniões"),
        ("{what} · {n} opinion", "{what} · {n} opinions"),
    ),
    "bulk.follow_title": ("Quem passa a seguir", "Who follows"),
    "bulk.confirm_follow": (
        ("{who} passa a seguir {n} opinião?", "{who} passa a seguir {n} opiniões?"),
        ("Make {who} follow {n} opinion?", "Make {who} follow {n} opinions?"),
    ),
    "bulk.confirm_field": (
        (
            "Mudar {field} para {value} em {n} opinião?",
            "Mudar {field} para {value} em {n} opiniões?",
        ),
        ("Set {field} to {value} on {n} opinion?", "Set {field} to {value} on {n} opinions?"),
    ),
    "bulk.confirm_close": (
        (
            "Fechar {n} opinião? Se ficar sem tipo, categoria ou responsável, continua "
            "aberta e é listada.",
            "Fechar {n} opiniões? As que ficarem sem tipo, categoria ou responsável "
            "continuam abertas e são listadas.",
        ),
        (
            "Close {n} opinion? If it is left without type, category or responsible it "
            "stays open and is listed.",
            "Close {n} opinions? Those left without type, category or responsible stay "
            "open and are listed.",
        ),
    ),
    "bulk.close_hint": (
        "o que escolher vale para todas; em branco mantém o de cada uma · ctrl+s fecha",
        "what you choose applies to all; blank keeps each one's own · ctrl+s closes",
    ),
    "bulk.done_follow": (
        ("{n} passou a ser seguida.", "{n} passaram a ser seguidas."),
        ("{n} now followed.", "{n} now followed."),
    ),
    "bulk.done_field": (("{n} alterada.", "{n} alteradas."), ("{n} changed.", "{n} changed.")),
    "bulk.done_close": (("{n} fechada.", "{n} fechadas."), ("{n} closed.", "{n} closed.")),
    "bulk.done_undo": (("{n} restaurada.", "{n} restauradas."), ("{n} restored.", "{n} restored.")),
    "desk.skip.already_following": ("já eram seguidas", "already followed"),
    "desk.skip.already_set": ("já tinham esse valor", "already had that value"),
    "desk.skip.already_closed": ("já estavam fechadas", "already closed"),
    "desk.skip.missing": ("sem {fields}", "missing {fields}"),
    "desk.type_title": ("Tipo", "Type"),
}
