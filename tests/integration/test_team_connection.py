"""A team-store write whose connection drops says what became of it: not saved when it
dropped before the commit, saved or not (as the server says on a new login) when it dropped
during the commit, and not known when the server cannot be asked."""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Iterator

import pytest
from tests.conftest import make_settings
from tests.pg_cluster import Cluster, password_of
from tests.pg_fixtures import pg_store

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.errors import StoreConnectionLost, StoreSaveUnknown
from npsdesk.store import pg_connection

NOTE = "liguei e expliquei o prazo"


class CuttingProxy:
    """A TCP relay to the server that can cut a connection right after the client's
    COMMIT went through to the server, before the server's answer comes back."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.cut_at_commit = False
        self.refuse_after_cut = False
        self.cuts = 0
        self.refusing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:  # the server is out of reach
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._relay, args=(client, server), daemon=True).start()

    def _relay(self, client: socket.socket, server: socket.socket) -> None:
        with client, server:
            while True:
                ready, _, _ = select.select([client, server], [], [])
                for side in ready:
                    data = side.recv(65536)
                    if not data:
                        return
                    other = server if side is client else client
                    other.sendall(data)
                    if side is client and self.cut_at_commit and b"COMMIT" in data:
                        select.select([server], [], [], 5)  # the server has answered
                        self.cut_at_commit = False
                        self.cuts += 1
                        self.refusing = self.refuse_after_cut
                        return

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    return pg_store(request, "demo")


@pytest.fixture
def proxied(
    store: str, pg_cluster: Cluster, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[CuttingProxy, Services]]:
    """The analyst's desk services, talking to the server through the proxy."""
    monkeypatch.setattr(pg_connection, "COMMIT_CHECKS", (0.0, 0.2, 0.5, 1.0))
    monkeypatch.setenv("PGPASSWORD", password_of("tester"))
    proxy = CuttingProxy(pg_cluster.port)
    url = store.replace(f":{pg_cluster.port}/", f":{proxy.port}/")
    services = bootstrap(make_settings(url), clock=clock)
    yield proxy, services
    services.close()
    proxy.close()


@pytest.fixture
def direct(store: str, clock: FixedClock) -> Iterator[Services]:
    services = bootstrap(make_settings(store), clock=clock)
    yield services
    services.close()


def notes_of(services: Services, opinion_id: int) -> list[str]:
    history = services.lookup.case_file(opinion_id).history
    return [e.body or "" for e in history if e.kind == "note"]


def test_a_write_cut_before_its_commit_is_not_saved_and_the_next_one_is(
    direct: Services, pg_cluster: Cluster
) -> None:
    db = direct.db
    with pytest.raises(StoreConnectionLost) as refused, db.write() as conn:
        conn.execute("UPDATE opinion SET priority = 1 WHERE id = 5")
        with pg_cluster.admin() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (conn.pid,))
        conn.execute("UPDATE opinion SET priority = 1 WHERE id = 6")
    assert str(refused.value).startswith("not saved: the connection to the team store")
    assert direct.lookup.case_file(5).opinion.priority != 1  # a new login reads it
    direct.cases().add_note(5, NOTE)
    assert NOTE in notes_of(direct, 5)


def test_a_commit_whose_answer_was_lost_is_found_saved(
    proxied: tuple[CuttingProxy, Services], direct: Services
) -> None:
    proxy, services = proxied
    proxy.cut_at_commit = True
    services.cases().add_note(7, NOTE)  # no error: the server says it committed
    assert proxy.cuts == 1
    assert NOTE in notes_of(direct, 7)


def test_a_commit_the_server_aborted_as_the_connection_dropped_is_not_saved(
    proxied: tuple[CuttingProxy, Services], direct: Services, pg_cluster: Cluster
) -> None:
    """The server's own process ends inside the COMMIT (a deferred trigger stands for a
    crash there): a new login finds the transaction aborted."""
    _, services = proxied
    with pg_cluster.admin(services.db.label.rsplit("/", 1)[1]) as admin:
        admin.execute(
            "CREATE FUNCTION die() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$"
        )
        admin.execute(
            "CREATE CONSTRAINT TRIGGER die AFTER INSERT ON event DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW WHEN (NEW.body = 'die') EXECUTE FUNCTION die()"
        )
    with pytest.raises(StoreConnectionLost) as refused:
        services.cases().add_note(8, "die")
    assert str(refused.value).startswith("not saved: ")
    assert not isinstance(refused.value, StoreSaveUnknown)
    assert "die" not in notes_of(direct, 8)
    services.cases().add_note(8, NOTE)  # the desk's connection logs in again
    assert NOTE in notes_of(direct, 8)


def test_a_commit_cut_while_the_server_cannot_be_asked_is_not_known(
    proxied: tuple[CuttingProxy, Services], direct: Services
) -> None:
    proxy, services = proxied
    proxy.cut_at_commit = proxy.refuse_after_cut = True
    with pytest.raises(StoreSaveUnknown, match="whether the change was saved"):
        services.cases().add_note(9, NOTE)
    assert NOTE in notes_of(direct, 9)  # it was, in fact: hence "look before saving again"
