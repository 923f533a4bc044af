"""The customer's whole timeline, in the desk and in `npsdesk show --customer`."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "customer.title": ("Linha do tempo do cliente", "The customer's timeline"),
    "customer.summary": (("{n} opinião", "{n} opiniões"), ("{n} opinion", "{n} opinions")),
    "customer.opinions": ("Opiniões", "Opinions"),
    "customer.answered": ("Respondida", "Answered"),
    "customer.comment": ("Comentário", "Comment"),
    "customer.timeline": ("Histórico de todas as opiniões", "History of every opinion"),
    "customer.no_events": ("Nada registrado ainda.", "Nothing recorded yet."),
    "key.desk.customer": ("linha do tempo do cliente", "the customer's whole timeline"),
    "key.customer.close": ("voltar", "back"),
}
