"""`npsdesk show` with a customer's reply in the history: its text and subject in the JSON
like a sent e-mail's, and the reply named in the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run
from tests.conftest import NOW, make_settings
from tests.ui.test_desk_replies import open_case, raw_reply, take

from npsdesk.bootstrap import bootstrap
from npsdesk.domain.clock import FixedClock


def test_show_json_carries_a_received_emails_text_and_subject(demo_store: Path) -> None:
    services = bootstrap(make_settings(demo_store), clock=FixedClock(NOW))
    try:
        opinion_id, address = open_case(services)
        inbound_id = take(
            services,
            raw_reply(address, subject="Pedido 123", text="Chegou quebrado.\n\n> citado\n"),
        )
    finally:
        services.close()
    data = json.loads(run("--store", str(demo_store), "show", str(opinion_id), "--json").stdout)
    received = [e for e in data["history"] if e["kind"] == "email_received"]
    assert len(received) == 1
    assert received[0]["outcome"] == "reply"
    assert received[0]["subject"] == "Pedido 123"
    assert received[0]["body"] == "Chegou quebrado."
    assert received[0]["new"] == str(inbound_id)
    assert received[0]["old"] == address
    out = run("--store", str(demo_store), "show", str(opinion_id)).stdout
    assert f"e-mail received from {address}:" in out
    assert "subject Pedido 123" in out
    assert "Chegou quebrado." in out
