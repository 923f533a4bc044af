"""The team settings screen (S): what the analyst sees, what the store keeps, what the desk
then offers; refusals say why and keep what was typed."""

from __future__ import annotations

from tests.ui.conftest import SMALL, WIDE, desk, seen, settle
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, TextArea

from npsdesk.bootstrap import Services
from npsdesk.services.mail import MailService
from npsdesk.services.registry import Registry
from npsdesk.services.team import TeamSettings
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.choices import ChoiceForm, DeadlineForm
from npsdesk.tui.forms.mail import PreviewScreen
from npsdesk.tui.screens.desk import DeskScreen
from npsdesk.tui.screens.settings import SettingsScreen


async def open_settings(pilot: Pilot[None], section: str | None = None) -> SettingsScreen:
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    if section is not None:
        await pilot.press(section)
        await settle(pilot)
    return screen


def field(pilot: Pilot[None], selector: str) -> Input:
    return pilot.app.screen.query_one(selector, Input)


async def back_to_desk(pilot: Pilot[None]) -> None:
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DeskScreen)


async def category_choices(pilot: Pilot[None]) -> list[str]:
    """`g` on the desk: the categories offered for the case under the cursor."""
    await pilot.press("g")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ChoiceForm)
    options = form.query_one(OptionList)
    shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await pilot.press("escape")
    await settle(pilot)
    return shown


async def test_a_category_added_here_is_offered_by_the_desk(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        assert "Integração Fiscal" not in await category_choices(pilot)
        await open_settings(pilot)
        assert "Team settings" in seen(pilot)
        assert "Atendimento" in seen(pilot)  # the list of categories with their cases
        await pilot.press("a")  # to the new category's field
        field(pilot, "#category-name").value = "Integração  Fiscal"
        await pilot.press("enter")
        await settle(pilot)
        assert "Category 'Integração Fiscal' added." in seen(pilot)
        assert field(pilot, "#category-name").value == ""
        table_line = next(line for line in seen(pilot).splitlines() if "Integração Fiscal" in line)
        assert "active" in table_line
        await back_to_desk(pilot)
        assert "Integração Fiscal" in await category_choices(pilot)
    assert TeamSettings(demo).log()[0].item == "Integração Fiscal"


async def test_a_duplicate_is_refused_with_a_clear_message_and_kept_as_typed(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await open_settings(pilot)
        await pilot.press("a")
        await pilot.press(*"suporte", "enter")
        await settle(pilot)
        assert "Category 'Suporte' already exists." in seen(pilot)
        assert field(pilot, "#category-name").value == "suporte"
        field(pilot, "#category-name").value = "Ok\x1b[31m"
        await pilot.press("enter")
        await settle(pilot)
        assert "without control characters" in seen(pilot)
    assert [c.name for c in Registry(demo).categories()].count("Suporte") == 1


async def test_a_removed_category_leaves_the_choices_and_comes_back_with_r(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await open_settings(pilot)
        for _ in range(8):  # Atendimento ... Suporte, the ninth
            await pilot.press("down")
        await pilot.press("x")
        await settle(pilot)
        assert "Category 'Suporte' left the choices; 10 cases keep it." in seen(pilot)
        line = next(row for row in seen(pilot).splitlines() if "Suporte" in row)
        assert "removed" in line
        await back_to_desk(pilot)
        assert "Suporte" not in await category_choices(pilot)
        await open_settings(pilot)
        await pilot.press("end", "r")  # removed ones are listed last
        await settle(pilot)
        assert "Category 'Suporte' is back in the choices (10 cases)." in seen(pilot)
        await back_to_desk(pilot)
        assert "Suporte" in await category_choices(pilot)


async def test_an_analyst_is_refused_then_added_and_offered_as_responsible(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await open_settings(pilot, "2")
        assert "helena.vasconcelos@durasoft.com.br" in seen(pilot)
        await pilot.press("a")
        await pilot.press(*"Bia", "tab", *"Bia Costa", "tab", *"bia@", "enter")
        await settle(pilot)
        assert "Username 'Bia': only lowercase letters" in seen(pilot)
        field(pilot, "#analyst-username").value = "bia"
        await pilot.press("enter")
        await settle(pilot)
        assert "E-mail 'bia@' is not valid." in seen(pilot)
        assert field(pilot, "#analyst-name").value == "Bia Costa"  # nothing typed is lost
        field(pilot, "#analyst-email").value = "bia@durasoft.com.br"
        await pilot.press("enter")
        await settle(pilot)
        assert "Analyst 'bia' added." in seen(pilot)
        await back_to_desk(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "Bia Costa (bia)" in seen(pilot)
    bia = next(a for a in Registry(demo).analysts() if a.username == "bia")
    assert (bia.name, bia.email) == ("Bia Costa", "bia@durasoft.com.br")


async def test_a_refused_template_keeps_the_text_and_a_fixed_one_is_saved(
    app: DeskApp, demo: Services
) -> None:
    before = MailService(demo).template("detractor")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot, "3")
        body = screen.query_one("#template-body", TextArea)
        assert body.has_focus
        assert "queremos entender" in seen(pilot)
        body.move_cursor(body.document.end)  # (TextArea has no key for the very end)
        await pilot.press(*"Senha: {{ senha }}")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unknown placeholder {{ senha }}" in seen(pilot)
        assert body.text.endswith("Senha: {{ senha }}")
        assert MailService(demo).template("detractor") == before
        # another template and back: the unsaved edit is still there
        select = screen.query_one("#template-which", Select)
        select.value = "neutral"
        await settle(pilot)
        assert "o que faltou para a nota 10" in seen(pilot)
        select.value = "detractor"
        await settle(pilot)
        assert "Detractor: edited, not saved (ctrl+s saves)" in seen(pilot)
        assert body.text.endswith("Senha: {{ senha }}")
        # the preview shows the message with a sample case; the refusal shows there too
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert "unknown placeholder {{ senha }}" in seen(pilot)
        body.focus()
        body.move_cursor(body.document.end)
        for _ in range(len("{{ senha }}")):
            await pilot.press("backspace")
        await pilot.press(*"{{ analista }}", "ctrl+r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PreviewScreen)
        shown = seen(pilot)
        assert "Subject: " in shown
        assert "Senha: Tester" in shown or "Senha: tester" in shown
        await pilot.press("escape", "ctrl+s")
        await settle(pilot)
        assert "Template Detractor saved." in seen(pilot)
    saved = MailService(demo).template("detractor")
    assert saved.body.endswith("Senha: {{ analista }}")
    change = TeamSettings(demo).log()[0]
    assert (change.setting, change.item, change.old) == ("template.body", "detractor", before.body)


async def test_sender_changes_are_checked_and_unsaved_ones_are_pointed_out(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await open_settings(pilot, "4")
        assert "Sucesso do Cliente Durasoft" in seen(pilot)
        field(pilot, "#sender-name").value = "Equipe CS"
        field(pilot, "#sender-reply_to").value = "cs@"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "E-mail 'cs@' is not valid." in seen(pilot)
        await pilot.press("escape")  # unsaved: said, not lost
        await settle(pilot)
        assert "Unsaved changes in sender" in seen(pilot)
        assert field(pilot, "#sender-name").value == "Equipe CS"
        field(pilot, "#sender-reply_to").value = "cs@durasoft.com.br"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Sender saved." in seen(pilot)
        await back_to_desk(pilot)
    sender = MailService(demo).sender()
    assert (sender.name, sender.reply_to) == ("Equipe CS", "cs@durasoft.com.br")


async def test_team_deadlines_are_checked_saved_and_used_by_the_desk(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await open_settings(pilot, "6")
        assert "settings file: 1 (default) · in force: 1 (settings file)" in seen(pilot)
        await pilot.press(*"0", "enter")
        await settle(pilot)
        assert (
            "The deadline for detractors must be a whole number of business days from 1 to 90."
            in seen(pilot)
        )
        field(pilot, "#deadline-detractor").value = "2"
        await pilot.press("enter")
        await settle(pilot)
        assert "Deadlines saved: detractors." in seen(pilot)
        assert "settings file: 1 (default) · in force: 2 (team)" in seen(pilot)
        await back_to_desk(pilot)
        await pilot.press("d")  # the first untreated case is a detractor
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, DeadlineForm)
        assert "Standard for detractors: 2 business days after the answer (team)" in seen(pilot)
        await pilot.press("ctrl+d")
        assert form.standard is not None
        assert form.query_one("#deadline-input", Input).value == form.ctx.date(form.standard[0])
    assert demo.rules.detractor == 2


async def test_the_bonus_policy_and_the_coupon_pools(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot, "5")
        assert "In force: no (settings file)." in seen(pilot)
        pools = next(line for line in seen(pilot).splitlines() if "Bônus NPS" in line)
        assert pools.split() == ["*", "Bônus", "NPS", "30", "0", "30"]
        screen.query_one("#bonus-neutrals", Select).value = "on"
        await settle(pilot)
        assert "Bonus for neutrals: yes." in seen(pilot)
        assert "In force: yes (team)." in seen(pilot)
    assert TeamSettings(demo).bonus_neutrals().team is True


async def test_every_section_fits_a_small_terminal_in_portuguese(pt_services: Services) -> None:
    async with DeskApp(pt_services).run_test(size=SMALL) as pilot:
        await open_settings(pilot)
        expected = {
            "1": ("Nova categoria", "Atendimento"),
            "2": ("Usuário", "Papel"),
            "3": ("Assunto", "ctrl+r visualiza"),
            "4": ("Nome do remetente", "Assinatura"),
            "5": ("Neutros ganham bônus", "Lotes de cupons"),
            "6": ("Detratores", "Promotores"),
            "7": ("Resposta, caso fechado", "Link de descadastro"),
        }
        for key, texts in expected.items():  # ctrl+pagedown: from a field too
            shown = seen(pilot)
            assert "1 Categorias" in shown
            for text in texts:
                assert text in shown, (key, text)
            await pilot.press("ctrl+pagedown")
            await settle(pilot)
        # a refusal in Portuguese
        await pilot.press("a", *"suporte", "enter")
        await settle(pilot)
        assert "Já existe a categoria 'Suporte'." in seen(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "Mudanças não salvas em categorias" in seen(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeskScreen)
        assert desk(pilot).ctx.lang == "pt"


async def test_the_settings_key_is_listed_in_the_help(demo: Services) -> None:
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "desk.settings" in seen(pilot)
        assert "team settings" in seen(pilot)


async def test_the_replies_section_sets_what_replies_do_and_what_case_mail_carries(
    demo: Services,
) -> None:
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot, "7")
        assert "Reply, closed case" in seen(pilot)
        screen.query_one("#replies-closed", Select).value = "flag"
        await settle(pilot)
        assert "Reply settings saved." in seen(pilot)
        screen.query_one("#replies-tag", Select).value = "on"
        await settle(pilot)
        field = screen.query_one("#replies-unsubscribe", Input)
        field.focus()
        field.value = "http://not-https.example/?t={token}"
        await pilot.press("enter")
        await settle(pilot)
        assert "the unsubscribe link must be an https address" in seen(pilot)  # refused
        assert field.value == "http://not-https.example/?t={token}"
        field.value = "https://nps.example.com.br/sair?t={token}"
        await pilot.press("enter")
        await settle(pilot)
        assert "Reply settings saved." in seen(pilot)
    assert TeamSettings(demo).closed_replies() == "flag"
    carried = demo.mail().reply_settings()
    assert carried.subject_tag
    assert carried.unsubscribe_url == "https://nps.example.com.br/sair?t={token}"
