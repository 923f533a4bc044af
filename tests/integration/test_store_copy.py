"""`store copy`: a personal SQLite store moved into a real PostgreSQL team store.

Every case is compared by its platform id (source, external id) on both sides: the case
fields, the followers, the customer and the whole history, in order.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import NOW, make_settings
from tests.integration.test_import_sync import row, run_import, write_export
from tests.pg_cluster import Cluster

from npsdesk.bootstrap import Services, bootstrap, open_database
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.models import Channel, ContactOutcome, TicketType
from npsdesk.errors import StoreError
from npsdesk.services.mail import MailService
from npsdesk.services.privacy import PrivacyService, subject
from npsdesk.services.store_copy import copy_store
from npsdesk.services.store_copy_report import CopyFailed, CopyReport
from npsdesk.store import campaigns
from npsdesk.store.connection import Store
from npsdesk.store.schema import HEAD, current_revision, upgrade

TABLES = (
    "analyst",
    "category",
    "import_batch",
    "respondent",
    "opinion",
    "opinion_follower",
    "event",
    "outbox",
    "coupon",
    "campaign",
    "participant",
    "store_setting",
    "inbound_message",
    "inbound_attachment",
    "inbox_cursor",
    "address_flag",
    "mail_template",
    "setting_change",
    "suppression",
    "processing_log",
)


@pytest.fixture
def personal(demo_template: Path, tmp_path: Path) -> Path:
    """A personal store: a copy of the demo SQLite store."""
    target = tmp_path / "personal.sqlite"
    shutil.copyfile(demo_template, target)
    target.chmod(0o600)
    return target


@pytest.fixture
def team_store(
    pg_cluster: Cluster,
    pg_templates: dict[str, str],
    pg_passfile: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[str], str]]:
    """A new team store from a template ("empty": migrated, "demo": the demo built on
    PostgreSQL, as if someone else had imported the same export); its URL."""
    monkeypatch.setenv("PGPASSFILE", str(pg_passfile))
    made: list[str] = []

    def make(kind: str = "empty") -> str:
        made.append(pg_cluster.create_database(template=pg_templates[kind]))
        return pg_cluster.url(made[-1])

    yield make
    for name in made:
        pg_cluster.drop_database(name)


@pytest.fixture
def team(team_store: Callable[[str], str]) -> str:
    return team_store("empty")


def copy(personal: Path, url: str) -> CopyReport:
    source, target = open_database(str(personal), create=False), open_database(url, create=False)
    try:
        return copy_store(source, target, FixedClock(NOW))
    finally:
        source.close()
        target.close()


@pytest.fixture
def wired() -> Iterator[Callable[[Path | str], Services]]:
    opened: list[Services] = []

    def open_(store: Path | str) -> Services:
        opened.append(bootstrap(make_settings(store), clock=FixedClock(NOW)))
        return opened[-1]

    yield open_
    for services in opened:
        services.close()


def counts(store: Path | str) -> dict[str, int]:
    db = open_database(str(store), create=False)
    try:
        with db.read() as conn:
            return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}
    finally:
        db.close()


HISTORY = ("actor", "kind", "field", "old_value", "new_value", "channel", "outcome", "subject")
HISTORY += ("body",)


def moment(value: object) -> str | None:
    return None if value is None else str(value)[:19]


def cases(store: Path | str) -> dict[tuple[str, str], dict[str, Any]]:
    """Every case by its platform id: case fields, customer, followers and history."""
    db: Store = open_database(str(store), create=False)
    try:
        with db.read() as conn:
            found = {
                (r["source"], r["external_id"]): {
                    "status": r["status"],
                    "archived": bool(r["archived"]),
                    "deadline": str(r["deadline"])[:10],
                    "priority": r["priority"],
                    "category": r["category"],
                    "type": r["type"],
                    "responsible": r["responsible"],
                    "first_action_at": moment(r["first_action_at"]),
                    "closed_at": moment(r["closed_at"]),
                    "score": r["score"],
                    "comment": r["comment"],
                    "customer": (r["name"], r["email"], r["cnpj"], r["company"]),
                    "followers": [],
                    "history": [],
                }
                for r in conn.execute(
                    """SELECT o.*, c.name AS category, a.username AS responsible,
                              r.name, r.email, r.cnpj, r.company
                       FROM opinion o JOIN respondent r ON r.id = o.respondent_id
                       LEFT JOIN category c ON c.id = o.category_id
                       LEFT JOIN analyst a ON a.id = o.responsible_id"""
                )
            }
            for r in conn.execute(
                """SELECT o.source, o.external_id, a.username FROM opinion_follower f
                   JOIN opinion o ON o.id = f.opinion_id JOIN analyst a ON a.id = f.analyst_id
                   ORDER BY a.username"""
            ):
                found[(r[0], r[1])]["followers"].append(r[2])
            for r in conn.execute(
                """SELECT o.source, o.external_id, e.* FROM event e
                   JOIN opinion o ON o.id = e.opinion_id ORDER BY e.at, e.id"""
            ):
                found[(r["source"], r["external_id"])]["history"].append(
                    (moment(r["at"]), *[r[c] for c in HISTORY])
                )
        return found
    finally:
        db.close()


def case_id(store: Path | str, sql: str) -> int:
    db = open_database(str(store), create=False)
    try:
        with db.read() as conn:
            found = conn.execute(f"SELECT o.id FROM opinion o WHERE {sql} ORDER BY o.id LIMIT 1")
            return int(found.fetchone()[0])
    finally:
        db.close()


def key_of(store: Path | str, opinion_id: int) -> tuple[str, str]:
    db = open_database(str(store), create=False)
    try:
        with db.read() as conn:
            found = conn.execute(
                "SELECT source, external_id FROM opinion WHERE id = ?", (opinion_id,)
            ).fetchone()
            return str(found[0]), str(found[1])
    finally:
        db.close()


# -- into an empty team store ----------------------------------------------------------------


def test_the_demo_store_arrives_whole_in_an_empty_team_store(personal: Path, team: str) -> None:
    before = counts(personal)
    report = copy(personal, team)
    t = report.tables
    assert (t["opinion"].copied, t["opinion"].already) == (before["opinion"], 0)
    assert t["respondent"].copied == before["respondent"]
    assert t["event"].copied == before["event"]
    assert t["opinion_follower"].copied == before["opinion_follower"]
    assert t["analyst"].copied == before["analyst"]
    assert t["category"].copied == before["category"]
    assert t["coupon"].copied == 30  # the demo's free codes
    # what customers sent: every message (the unmatched one too), its files, the bounce flag
    assert t["inbound_message"].copied == before["inbound_message"] > 0
    assert t["inbound_attachment"].copied == before["inbound_attachment"] > 0
    assert t["address_flag"].copied == before["address_flag"] == 1
    assert t["outbox"].skipped == {
        "not sent yet: the team store would send it again; send or cancel it in the personal "
        "store, then copy again": before["outbox"]
    }
    # the demo mark and the team's settings stay out; the reply-token secret the demo's
    # replies made comes along
    assert t["store_setting"].copied == 1
    assert report.conflicts == 0
    after = counts(team)
    for table, count in t.items():
        assert count.team == after[table] - (table == "processing_log")  # + the copy's entry
        assert count.copied + count.already + count.skipped_rows == count.personal == before[table]
    assert cases(team) == cases(personal)


def test_the_copy_is_searchable_and_recorded(personal: Path, team: str, wired: Any) -> None:
    copy(personal, team)
    services = wired(team)
    here = wired(personal)
    assert {o.external_id for o in services.lookup.find("farmácia")} == {
        o.external_id for o in here.lookup.find("farmácia")
    }
    logged = PrivacyService(services).processing_log()
    assert [(e["action"], e["actor"]) for e in logged] == [("store_copy", "tester")]
    assert "personal.sqlite" in str(logged[0]["detail"])


def test_a_second_copy_changes_nothing(personal: Path, team: str) -> None:
    copy(personal, team)
    first = counts(team)
    again = copy(personal, team)
    assert again.written == 0
    assert counts(team) == first
    for count in again.tables.values():
        assert count.copied == count.updated == 0
        assert count.already + count.skipped_rows == count.personal


def test_an_older_personal_store_is_upgraded_with_a_backup(tmp_path: Path, team: str) -> None:
    old = tmp_path / "old.sqlite"
    upgrade(old, "0006")
    report = copy(old, team)
    assert report.backup is not None
    assert report.backup.exists()
    db = open_database(str(old), create=False)
    assert current_revision(db) == HEAD
    db.close()


def test_a_file_that_is_no_store_is_refused(tmp_path: Path, team: str) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with pytest.raises(StoreError, match="is not an npsdesk store"):
        copy(empty, team)
    with sqlite3.connect(empty) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_text_with_nul_arrives_without_it_and_a_second_copy_still_finds_it(
    personal: Path, team: str
) -> None:
    with sqlite3.connect(personal) as conn:  # a damaged export left NUL in the text
        conn.execute("UPDATE opinion SET comment = ? WHERE id = 1", ("Sistema\x00 lento",))
        conn.execute(
            "INSERT INTO event (opinion_id, at, actor, kind, body) VALUES (2, ?, ?, ?, ?)",
            ("2026-11-20 10:00:00", "carla", "note", "Liguei\x00 de novo"),
        )
        conn.execute("UPDATE category SET name = ? WHERE name = 'Suporte'", ("Supo\x00rte",))
    conn.close()
    assert copy(personal, team).written
    assert copy(personal, team).written == 0
    copied = cases(team)
    assert "Sistema lento" in {c["comment"] for c in copied.values()}
    assert any(e[-1] == "Liguei de novo" for c in copied.values() for e in c["history"])
    assert "Suporte" in {c["category"] for c in copied.values()}


# -- into a team store that already holds the same export ------------------------------------


def test_the_team_keeps_its_work_and_gains_the_personal_history(
    personal: Path, team_store: Callable[[str], str], wired: Any, tmp_path: Path
) -> None:
    url = team_store("demo")  # the same export, imported on the team store by someone else
    mine, theirs = wired(personal), wired(url)
    untreated = "o.status = 'untreated' AND NOT o.internal AND o.nps_class = 'detractor'"
    a = case_id(personal, untreated)
    b = case_id(personal, f"{untreated} AND o.id > {a}")
    c = case_id(personal, f"{untreated} AND o.id > {b}")
    keys = {name: key_of(personal, i) for name, i in (("a", a), ("b", b), ("c", c))}
    team_ids = {name: case_id(url, f"o.external_id = '{k[1]}'") for name, k in keys.items()}
    # the team closed A and gave B to bruno; the analyst, at home, worked on A, B and C
    team_cases = theirs.cases(actor="ana")
    team_cases.close(
        team_ids["a"], ticket_type=TicketType.COMPLAINT, category="Suporte", responsible="ana"
    )
    team_cases.assign(team_ids["b"], "bruno")
    home = mine.cases(actor="carla")
    home.log_contact(a, Channel.PHONE, ContactOutcome.NO_ANSWER, "Ninguém atendeu na loja")
    home.assign(b, "carla")
    home.add_note(c, "Cliente pediu retorno na segunda")
    home.follow(c, "diego")
    # and imported two new answers the team store does not have
    export = write_export(
        tmp_path / "novas.csv",
        row("NEW-1", "2", "Caixa xiquexique travando toda manhã"),
        row("NEW-2", "10", "Ótimo", email="maria@farma.com.br"),
    )
    assert run_import(mine, export).new == 2
    before_team = cases(url)

    report = copy(personal, url)

    t = report.tables
    assert (t["opinion"].copied, t["opinion"].already) == (2, t["opinion"].personal - 2)
    assert t["import_batch"].copied == 1
    assert report.conflicts == 3
    assert {(c.external_id, c.fields) for c in report.examples} == {
        (keys["a"][1], ("status", "category", "type", "responsible", "closed_at")),
        (keys["b"][1], ("responsible",)),
        (keys["c"][1], ("status", "first_action_at")),
    }
    after, home_cases = cases(url), cases(personal)
    for name in ("a", "b", "c"):  # the team's case fields were kept
        for field in ("status", "category", "type", "responsible", "closed_at"):
            assert after[keys[name]][field] == before_team[keys[name]][field]
    assert after[keys["c"]]["status"] == "untreated"
    assert after[keys["c"]]["followers"] == ["diego"]  # followers are added
    for name in ("a", "b", "c"):  # both histories, each entry once, in time order
        merged = after[keys[name]]["history"]
        assert set(merged) == set(before_team[keys[name]]["history"]) | set(
            home_cases[keys[name]]["history"]
        )
        assert len(merged) == len(set(merged))
        assert merged == sorted(merged, key=lambda e: str(e[0]))
    assert t["event"].copied == sum(
        len(set(home_cases[keys[n]]["history"]) - set(before_team[keys[n]]["history"]))
        for n in ("a", "b", "c")
    ) + sum(len(home_cases[("survey", k)]["history"]) for k in ("NEW-1", "NEW-2"))
    for key in (("survey", "NEW-1"), ("survey", "NEW-2")):
        assert after[key] == home_cases[key]
    assert {o.external_id for o in theirs.lookup.find("xiquexique")} == {"NEW-1"}
    untouched = set(before_team) - {keys["a"], keys["b"], keys["c"]}
    assert all(after[k] == before_team[k] for k in untouched)
    assert t["respondent"].copied == 2  # the others were the team's already

    again = copy(personal, url)
    assert again.written == 0
    assert again.conflicts == 3
    assert cases(url) == after


# -- mail, coupons, campaigns, suppression ---------------------------------------------------


def test_sent_mail_given_codes_campaigns_and_the_suppression_list(
    personal: Path, team: str, wired: Any
) -> None:
    mine, theirs = wired(personal), wired(team)
    mail = MailService(mine, actor="carla")
    drafts = mail.drafts()
    assert mail.thank(drafts[:2]).queued == 2
    assert mail.deliver().sent == 2
    with mine.db.read() as conn:
        customers = conn.execute(  # each alone with their e-mail and CNPJ
            """SELECT id, email, cnpj FROM respondent r
               WHERE (SELECT count(*) FROM respondent x WHERE x.email = r.email) = 1
                 AND (SELECT count(*) FROM respondent x WHERE x.cnpj = r.cnpj) = 1
               ORDER BY id LIMIT 3"""
        ).fetchall()
    kept_address, erased_address = customers[0]["email"], customers[1]["email"]
    mail.suppress(kept_address, "asked for no contact")
    PrivacyService(mine, actor="carla").erase(subject(email=erased_address))
    with mine.db.write() as conn:
        campaign = campaigns.insert_campaign(
            conn,
            campaigns.CampaignData(
                name="NPS Dezembro",
                starts_on=NOW.date(),
                ends_on=NOW.date(),
                window_from=8,
                window_to=18,
                auto_include=True,
                verticals=None,
                products=None,
                link_template="https://pesquisa.example.com.br/r/{token}",
                subject="Sua opinião",
                body="Responda: {{ link }}",
                active=True,
            ),
            "carla",
            NOW,
        )
        customer = dict(customers[2]) | {"customer_key": f"cnpj:{customers[2]['cnpj']}"}
        campaigns.add_participant(conn, campaign, customer, "tok-123", NOW)
    MailService(theirs, actor="ana").suppress("someone@else.example")  # the team's own salt

    report = copy(personal, team)

    t = report.tables
    assert (t["outbox"].copied, t["outbox"].skipped_rows) == (2, t["outbox"].personal - 2)
    assert t["coupon"].copied == 30
    with theirs.db.read() as conn:
        given = conn.execute(
            "SELECT c.code, b.state, b.kind FROM coupon c JOIN outbox b ON b.id = c.outbox_id"
        ).fetchall()
        participant = conn.execute(
            "SELECT c.name, p.token, r.cnpj FROM participant p "
            "JOIN campaign c ON c.id = p.campaign_id JOIN respondent r ON r.id = p.respondent_id"
        ).fetchall()
        messages = {
            r[0] for r in conn.execute("SELECT message_id FROM event WHERE message_id IS NOT NULL")
        }
        sent = {r[0] for r in conn.execute("SELECT message_id FROM outbox")}
    assert sorted((r[0], r[1], r[2]) for r in given) == [
        ("NPS-BONUS-0001", "sent", "thank_you"),
        ("NPS-BONUS-0002", "sent", "thank_you"),
    ]
    assert [tuple(p) for p in participant] == [("NPS Dezembro", "tok-123", customers[2]["cnpj"])]
    assert sent <= messages  # the history's e-mails point at the copied messages
    team_mail = MailService(theirs, actor="ana")
    assert team_mail.is_suppressed(kept_address)  # re-hashed with the team's salt
    assert team_mail.is_suppressed("someone@else.example")
    # the erased person is no longer in the personal store: their entries cannot be carried
    assert sum(t["suppression"].skipped.values()) == 2  # e-mail and CNPJ
    assert any("suppression entries could not be carried" in w for w in report.warnings)
    assert [e["action"] for e in PrivacyService(theirs).processing_log()] == [
        "store_copy",
        "subject_erase",
    ]
    assert (
        t["store_setting"].skipped[
            "the team store has its own salt (the suppression list is re-hashed to it)"
        ]
        == 1
    )
    assert copy(personal, team).written == 0


def test_a_customer_thanked_at_home_is_not_thanked_again_by_the_team(
    personal: Path, team_store: Callable[[str], str], wired: Any
) -> None:
    url = team_store("demo")  # the same drafts and the same pool of codes, all free there
    mail = MailService(wired(personal), actor="carla")
    thanked = mail.drafts()[0]
    mail.thank([thanked])
    mail.deliver()
    report = copy(personal, url)
    outbox, coupon = report.tables["outbox"], report.tables["coupon"]
    assert (outbox.copied, outbox.updated) == (1, 1)  # sent copied, the team's draft cancelled
    assert (coupon.copied, coupon.already, coupon.updated) == (0, 30, 1)
    with wired(url).db.read() as conn:
        states = conn.execute(
            "SELECT b.state, c.code FROM outbox b JOIN opinion o ON o.id = b.opinion_id "
            "LEFT JOIN coupon c ON c.outbox_id = b.id WHERE o.external_id = ? ORDER BY b.id",
            (key_of(personal, thanked)[1],),
        ).fetchall()
    assert [tuple(s) for s in states] == [("cancelled", None), ("sent", "NPS-BONUS-0001")]
    assert copy(personal, url).written == 0


# -- all or nothing ----------------------------------------------------------------------------


def database_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_a_failure_midway_leaves_the_team_store_unchanged(
    personal: Path, team: str, pg_cluster: Cluster
) -> None:
    with pg_cluster.admin(database_of(team)) as admin:  # the disk fills up at the coupons
        admin.execute(
            "CREATE FUNCTION no_room() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device'; END $$"
        )
        admin.execute(
            "CREATE TRIGGER no_room BEFORE INSERT ON coupon "
            "FOR EACH STATEMENT EXECUTE FUNCTION no_room()"
        )
    before = counts(team)
    with pytest.raises(StoreError, match="No space left on device"):
        copy(personal, team)
    assert counts(team) == before


def test_rows_that_do_not_arrive_fail_the_check_and_nothing_is_written(
    personal: Path, team: str, pg_cluster: Cluster
) -> None:
    with pg_cluster.admin(database_of(team)) as admin:  # a rule that silently drops rows
        admin.execute(
            "CREATE FUNCTION drop_some() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.analyst_id % 2 = 0 THEN RETURN NULL; END IF; RETURN NEW; END $$"
        )
        admin.execute(
            "CREATE TRIGGER drop_some BEFORE INSERT ON opinion_follower "
            "FOR EACH ROW EXECUTE FUNCTION drop_some()"
        )
    before = counts(team)
    with pytest.raises(CopyFailed, match=r"nothing was written .*opinion_follower: \d+ rows "):
        copy(personal, team)
    assert counts(team) == before
