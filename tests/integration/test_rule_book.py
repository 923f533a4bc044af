"""The team's rules in the store: imported from TOML, checked against the registry, kept in
order, logged per rule, exported as TOML that reads back the same."""

from __future__ import annotations

import tomllib

import pytest
from tests.unit.test_rules import ISSUE_EXAMPLE

from npsdesk.bootstrap import Services
from npsdesk.domain.rules import RuleError, read_rules
from npsdesk.errors import NotFound

FILE = (
    ISSUE_EXAMPLE
    + """
[[rule]]
name = "Promotores: obrigado"
stop = true
when.class = "promoter"
when.not.internal = true
then.email = { template = "promoter", mode = "send_close" }
"""
)


def test_rules_import_in_order_export_back_the_same_and_are_logged(demo: Services) -> None:
    book = demo.rule_book("ana")
    assert book.import_text(FILE) == (2, 0)
    assert [r.name for r in book.rules()] == [
        "Instabilidade Farma e Retail",
        "Promotores: obrigado",
    ]
    exported = book.export_text()
    assert read_rules(tomllib.loads(exported)) == read_rules(tomllib.loads(FILE))
    assert book.import_text(exported) == (0, 2)  # the same names: replaced in place
    book.move("promotores: OBRIGADO", 1)
    assert book.rules()[0].name == "Promotores: obrigado"
    assert book.set_enabled("Instabilidade Farma e Retail", False)
    assert not book.set_enabled("Instabilidade Farma e Retail", False)
    assert not book.rule("Instabilidade Farma e Retail")[1].enabled
    book.remove("Promotores: obrigado")
    assert [r.name for r in book.rules()] == ["Instabilidade Farma e Retail"]
    with demo.db.read() as conn:
        logged = conn.execute(
            "SELECT item, old_value IS NULL, new_value IS NULL FROM setting_change "
            "WHERE setting = 'rule' ORDER BY id"
        ).fetchall()
    items = [(r[0], bool(r[1]), bool(r[2])) for r in logged]
    assert items[:2] == [
        ("Instabilidade Farma e Retail", True, False),
        ("Promotores: obrigado", True, False),
    ]
    assert items[-1] == ("Promotores: obrigado", False, True)  # removed
    with pytest.raises(NotFound):
        book.remove("nenhuma")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ('then.responsible = "zelda"', "no active analyst 'zelda'"),
        ('then.category = "Astrologia"', "no category 'Astrologia'"),
        ('then.email = "boas-festas"', "no template 'boas-festas'"),
        ("then.followers = ['ana', 'ninguem']", "no active analyst 'ninguem'"),
    ],
)
def test_a_rule_naming_what_the_store_lacks_is_refused_and_nothing_is_saved(
    demo: Services, change: str, said: str
) -> None:
    book = demo.rule_book("ana")
    book.import_text(FILE)
    before = book.export_text()
    with pytest.raises(RuleError, match=said):
        book.import_text(f'[[rule]]\nname = "nova"\n{change}\n')
    assert book.export_text() == before


def test_replace_makes_the_file_the_whole_set(demo: Services) -> None:
    book = demo.rule_book("ana")
    book.import_text(FILE)
    assert book.import_text(
        '[[rule]]\nname = "só esta"\nthen.priority = "high"\n', replace=True
    ) == (1, 0)
    assert [r.name for r in book.rules()] == ["só esta"]
    with pytest.raises(RuleError, match="not TOML"):
        book.import_text("[[rule]\nname=")


def test_a_rule_is_tested_on_past_cases_without_writing(demo: Services) -> None:
    book = demo.rule_book("ana")
    book.import_text(
        '[[rule]]\nname = "farma"\nenabled = false\nwhen.class = "detractor"\n'
        'when.vertical = "farma"\nthen.category = "Instabilidade"\nthen.priority = "high"\n'
    )
    with demo.db.read() as conn:
        events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
        rows = conn.execute(
            """SELECT o.id, o.category_id IS NULL, o.priority FROM opinion o
               JOIN respondent r ON r.id = o.respondent_id
               WHERE o.nps_class = 'detractor' AND lower(r.vertical) = 'farma' ORDER BY o.id"""
        ).fetchall()
    touched = book.test("farma")
    assert [t.opinion_id for t in touched] == [int(r[0]) for r in rows]
    assert rows
    for touch, row in zip(touched, rows, strict=True):
        fields = {change[0] for change in touch.changes}
        assert ("category" in fields) == bool(row[1])  # a category set by hand stays
        assert ("priority" in fields) == (int(row[2]) != 1)
    with demo.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == events
