"""`store copy`'s report and `store password` speak the user's language."""

from __future__ import annotations

from click.testing import CliRunner
from tests.cli.test_cli import fails_with, run

from npsdesk.cli.team_store import print_report
from npsdesk.services.store_copy_mail import CANCELLED
from npsdesk.services.store_copy_report import CopyReport, TableCount


def report() -> CopyReport:
    outbox = TableCount("outbox", personal=3, copied=2, team=2)
    outbox.skip(CANCELLED)
    done = CopyReport("pessoal.sqlite", "postgresql://equipe", tables={"outbox": outbox})
    done.notes.append(("store.copy.warn.loose_codes", 2))
    return done


def printed(lang: str) -> str:
    import click

    @click.command()
    def show() -> None:
        print_report(report(), lang)

    return CliRunner().invoke(show).output


def test_the_copy_report_reads_in_portuguese() -> None:
    pt = printed("pt")
    assert "pessoal.sqlite copiado para postgresql://equipe" in pt
    assert "outbox: 1 ignoradas: cancelada: nunca chegou ao cliente" in pt
    assert "2 códigos de cupom" in pt
    en = printed("en")
    assert "copied pessoal.sqlite into postgresql://equipe" in en
    assert "outbox: 1 skipped: cancelled: it never reached the customer" in en
    assert report().warnings[0].startswith("2 coupon codes given or held")


def test_a_password_refusal_reads_in_portuguese() -> None:
    pt = run("--lang", "pt", "store", "password", "sqlite:///x", check=False)
    fails_with(pt, "informe a URL postgresql:// do banco da equipe, não 'sqlite:///x'")


def test_a_copy_that_does_not_add_up_is_refused_in_either_language() -> None:
    from npsdesk.i18n import explain
    from npsdesk.services.store_copy_report import CopyFailed

    count = TableCount("case", personal=3, copied=1, team=1)
    failed = CopyFailed(key="refusal.store_copy.failed", problems=tuple(count.problems()))
    assert str(failed) == (
        "the copy did not check out, so nothing was written to the team store: case: 3 rows "
        "in the personal store, 1 copied, already there or skipped"
    )
    assert explain(failed, "pt") == (
        "a cópia não conferiu, então nada foi gravado no banco da equipe: case: 3 linhas no "
        "banco pessoal, 1 copiadas, já existentes ou ignoradas"
    )
