"""Rules as a team writes them in TOML: read, checked, matched against a case's facts."""

from __future__ import annotations

import tomllib

import pytest

from npsdesk.domain.rules import CaseFacts, Responsible, RuleError, read_rules

ISSUE_EXAMPLE = """
[[rule]]
name = "Instabilidade Farma e Retail"
when.class = ["detractor"]               # any of
when.vertical = ["Farma", "Retail"]      # any of
when.comment_has = ["cair", "fora do ar", "lentidão"]     # any of; stems and phrases
then.category = "Instabilidade"
then.responsible = { round_robin = ["ana", "bruno"] }    # or "ana", or { least_loaded = [...] }
then.followers = ["carla"]
then.tags = ["instabilidade"]
then.alert = ["supervisao@empresa.example"]              # addresses or analyst usernames
"""


def rules(text: str) -> list:  # type: ignore[type-arg]
    return read_rules(tomllib.loads(text))


def test_the_file_form_reads_as_written_and_matches_what_it_says() -> None:
    [rule] = rules(ISSUE_EXAMPLE)
    assert rule.name == "Instabilidade Farma e Retail"
    assert rule.then.category == "Instabilidade"
    assert rule.then.responsible == Responsible("round_robin", ("ana", "bruno"))
    assert (rule.then.followers, rule.then.tags) == (("carla",), ("instabilidade",))
    assert rule.then.alert == ("supervisao@empresa.example",)
    hit = CaseFacts("detractor", 2, "O sistema ficou FORA DO AR", vertical="farma")
    assert rule.applies(hit)
    assert not rule.applies(CaseFacts("neutral", 7, "fora do ar", vertical="Farma"))
    assert not rule.applies(CaseFacts("detractor", 2, "fora do ar", vertical="Food"))
    assert not rule.applies(CaseFacts("detractor", 2, "atendimento ruim", vertical="Farma"))
    assert not rule.applies(CaseFacts("detractor", 2, None, vertical="Farma"))


def test_scores_flags_negation_enabled_and_stop() -> None:
    [low, quiet] = rules(
        """
        [[rule]]
        name = "nota baixa de cliente externo"
        stop = true
        when.score = [0, 3]
        when.internal = false
        when.not.campaign = ["Piloto"]
        then.priority = "high"
        then.deadline_days = 1

        [[rule]]
        name = "desligada"
        enabled = false
        then.archive = true
        """
    )
    assert low.stop
    assert low.applies(CaseFacts("detractor", 3, campaign="NPS Novembro"))
    assert not low.applies(CaseFacts("detractor", 4))
    assert not low.applies(CaseFacts("detractor", 1, internal=True))
    assert not low.applies(CaseFacts("detractor", 1, campaign="piloto"))
    assert not quiet.applies(CaseFacts("promoter", 10))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[[rule]]\nthen.category = "X"', "rule 1: needs a name"),
        ('[[rule]]\nname = "a"\nwhen.class = ["x"]', "rule 'a': when.class 'x' is not one of"),
        ('[[rule]]\nname = "a"\nwhen.class = ["detractor"]', "rule 'a': needs at least one then"),
        ('[[rule]]\nname = "a"\nwhen.colour = "red"\nthen.archive = true', "unknown key when."),
        ('[[rule]]\nname = "a"\nwhen.score = [7, 3]\nthen.archive = true', "lowest first"),
        ('[[rule]]\nname = "a"\nthen.priority = "urgent"', "then.priority 'urgent' is not"),
        ('[[rule]]\nname = "a"\nthen.responsible = { everyone = ["ana"] }', "round_robin"),
        ('[[rule]]\nname = "a"\nthen.deadline_days = 400', "0-90 business days"),
        ('[[rule]]\nname = "a"\nthen.email = { template = "x", mode = "now" }', "draft|queue"),
        ('[[rule]]\nname = "a"\nthen.tags = []', "then.tags must be a name or a list"),
        (
            '[[rule]]\nname = "A"\nthen.archive = true\n[[rule]]\nname = "a"\nthen.archive = true',
            "two rules are named",
        ),
        ("rules = 1", "unknown top-level key"),
    ],
)
def test_a_rule_that_cannot_be_used_is_refused_naming_it_and_what_is_wrong(
    text: str, said: str
) -> None:
    with pytest.raises(RuleError, match=said.replace("[", r"\[").replace("|", r"\|")):
        rules(text)


def test_a_fixed_responsible_and_an_email_draft() -> None:
    [rule] = rules('[[rule]]\nname = "p"\nthen.responsible = "ana"\nthen.email = "promoter"')
    assert rule.then.responsible == Responsible("fixed", ("ana",))
    assert rule.then.email == ("promoter", "draft")
    assert rule.applies(CaseFacts("promoter", 10))  # no condition: every case
