"""The customer's whole timeline, in the desk and in `npsdesk show --customer`."""

# key -> (pt, en)
TEXTS: dict[str, tuple[str, str]] = {
    "customer.title": ("Linha do tempo do cliente", "The customer's timeline"),
    "customer.summary": ("{n} opiniões", "{n} opinions"),
    "customer.opinions": ("Opiniões", "Opinions"),
    "customer.answered": ("Respondida", "Answered"),
    "customer.comment": ("Comentário", "Comment"),
    "customer.timeline": ("Histórico de todas as opiniões", "History of every opinion"),
    "customer.no_events": ("Nada registrado ainda.", "Nothing recorded yet."),
    "key.desk.customer": ("linha do tempo do cliente", "the customer's whole timeline"),
    "key.customer.close": ("voltar", "back"),
}
