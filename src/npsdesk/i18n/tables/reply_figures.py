"""How customers reply to our e-mails: the dashboard's section and `npsdesk report`'s."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "replies.fig.title": ("Respostas dos clientes", "Customer replies"),
    "replies.fig.note": (
        "casos com e-mail nosso · do 1º e-mail à 1ª resposta, em horas corridas",
        "e-mailed cases · first e-mail to first reply, in clock hours",
    ),
    "replies.fig.none": (
        "Nenhum caso do período recebeu e-mail nosso.",
        "No case of the period had an e-mail from us.",
    ),
    "replies.fig.first_reply": ("Primeira resposta", "First reply"),
    "replies.fig.median": ("mediana", "median"),
    "replies.fig.p90": ("90% em até", "90th percentile"),
    "replies.fig.hours": ("{h} h", "{h} h"),
    "replies.fig.col.class": ("Classe", "Class"),
    "replies.fig.col.emailed": ("Com e-mail", "E-mailed"),
    "replies.fig.col.replied": ("Responderam", "Replied"),
    "replies.fig.col.rate": ("Taxa", "Rate"),
    "replies.fig.total": ("Todos", "All"),
}
