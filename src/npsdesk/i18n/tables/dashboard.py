"""The dashboard's words, on the desk and in `npsdesk report`."""

from npsdesk.i18n.entries import Entry

# key -> (pt, en); a side may be (one, other) plural forms
TEXTS: dict[str, Entry] = {
    "dash.loading": ("calculando…", "computing…"),
    "dash.failed": (
        "O painel não foi atualizado: {reason}",
        "The dashboard was not updated: {reason}",
    ),
    "dash.summary": ("Resumo", "Summary"),
    # trend
    "dash.trend.week": ("NPS por semana", "NPS per week"),
    "dash.trend.month": ("NPS por mês", "NPS per month"),
    "dash.trend_hint.week": ("t mostra por mês", "t shows per month"),
    "dash.trend_hint.month": ("t mostra por semana", "t shows per week"),
    "dash.trend_empty": ("Sem respostas no período.", "No answers in the period."),
    "dash.no_answers": ("sem respostas", "no answers"),
    "dash.answers_short": ("resp.", "ans."),
    # per vertical
    "dash.verticals": ("Por vertical", "Per vertical"),
    "dash.no_vertical": ("(sem vertical)", "(no vertical)"),
    "dash.col.vertical": ("Vertical", "Vertical"),
    "dash.col.answers": ("Respostas", "Answers"),
    "dash.col.promoters": ("Prom.", "Prom."),
    "dash.col.neutrals": ("Neut.", "Neut."),
    "dash.col.detractors": ("Detr.", "Detr."),
    "dash.col.nps": ("NPS", "NPS"),
    # team
    "dash.team": (
        "Equipe: casos do período por responsável",
        "Team: the period's cases per responsible",
    ),
    "dash.team_note": (
        "tempos médios desde a resposta · fechadas/dia: últimos 7 dias",
        "average times from the answer · closed/day: the last 7 days",
    ),
    "dash.team_empty": ("Nenhum caso no período.", "No cases in the period."),
    "dash.team_total": ("Equipe", "Team"),
    "dash.col.responsible": ("Responsável", "Responsible"),
    "dash.col.untreated": ("Sem\natend.", "Un-\ntreated"),
    "dash.col.in_treatment": ("Em\natend.", "In\ntreatment"),
    "dash.col.closed": ("Fechadas", "Closed"),
    "dash.col.closed_percent": ("%\nfechadas", "%\nclosed"),
    "dash.col.first_action": ("1ª\nação", "1st\naction"),
    "dash.col.to_close": ("Até\nfechar", "To\nclose"),
    "dash.col.last_days": ("Fechadas/dia,\n7 dias", "Closed/day,\n7 days"),
    "dash.closed_per_day": (
        "Fechadas por dia, últimos 7 dias (equipe)",
        "Closed per day, last 7 days (team)",
    ),
    # durations: short, as a table cell holds them
    "dash.duration.days": ("{d}d {h}h", "{d}d {h}h"),
    "dash.duration.hours": ("{h}h{m:02d}", "{h}h {m:02d}m"),
    "dash.duration.minutes": ("{m} min", "{m} min"),
    # `?` on the dashboard: what the footer's short names mean
    "help.dashboard.month": ("este mês, até hoje", "this month, up to today"),
    "help.dashboard.30days": ("os últimos 30 dias, com hoje", "the last 30 days, today included"),
    "help.dashboard.quarter": ("este trimestre, até hoje", "this quarter, up to today"),
    "help.dashboard.all": ("todas as respostas", "every answer"),
    "help.dashboard.period": (
        "digita as datas (de, até; 31/10/2026 ou 2026-10-31); enter aplica",
        "type the dates (from, to; 2026-10-31 or 31/10/2026); enter applies",
    ),
    "help.dashboard.trend": (
        "tendência do NPS por semana (a partir de segunda) ou por mês",
        "NPS trend per week (Monday first) or per month",
    ),
    # days of the week (Monday first) and months
    "dash.wd.0": ("seg", "Mon"),
    "dash.wd.1": ("ter", "Tue"),
    "dash.wd.2": ("qua", "Wed"),
    "dash.wd.3": ("qui", "Thu"),
    "dash.wd.4": ("sex", "Fri"),
    "dash.wd.5": ("sáb", "Sat"),
    "dash.wd.6": ("dom", "Sun"),
    "dash.month.1": ("jan", "Jan"),
    "dash.month.2": ("fev", "Feb"),
    "dash.month.3": ("mar", "Mar"),
    "dash.month.4": ("abr", "Apr"),
    "dash.month.5": ("mai", "May"),
    "dash.month.6": ("jun", "Jun"),
    "dash.month.7": ("jul", "Jul"),
    "dash.month.8": ("ago", "Aug"),
    "dash.month.9": ("set", "Sep"),
    "dash.month.10": ("out", "Oct"),
    "dash.month.11": ("nov", "Nov"),
    "dash.month.12": ("dez", "Dec"),
}
