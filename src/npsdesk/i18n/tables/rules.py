"""Autopilot rules in the CLI."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "cli.rule.none": (
        "Nenhuma regra. Importe de um arquivo: npsdesk rule import regras.toml",
        "No rules. Import them from a file: npsdesk rule import rules.toml",
    ),
    "cli.rule.off": ("desligada", "disabled"),
    "cli.rule.stops": ("para as seguintes", "stops the rest"),
    "cli.rule.position": ("regra {position} na ordem", "rule {position} in the order"),
    "cli.rule.imported": (
        "regras novas: {added}; substituídas: {replaced}",
        "rules added: {added}; replaced: {replaced}",
    ),
    "cli.rule.exported": ("regras escritas em {path}", "rules written to {path}"),
    "cli.rule.enabled": ("regra {name} ligada", "rule {name} enabled"),
    "cli.rule.disabled": ("regra {name} desligada", "rule {name} disabled"),
    "cli.rule.unchanged": ("regra {name}: já estava assim", "rule {name}: already so"),
    "cli.rule.removed": ("regra {name} removida", "rule {name} removed"),
    "cli.rule.tested": (
        "a regra pega {matched} casos; mudaria {changing}",
        "the rule matches {matched} cases; it would change {changing}",
    ),
    "cli.rule.no_change": ("nada a mudar", "nothing to change"),
    "cli.rule.more": (
        ("  … e mais {n} caso", "  … e mais {n} casos"),
        ("  … and {n} more case", "  … and {n} more cases"),
    ),
    "cli.rule.moved": ("regra {name} na posição {position}", "rule {name} at position {position}"),
}
