"""Fixtures for integration tests: a real SMTP server on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Server:
    """An SMTP server on 127.0.0.1 that records, refuses or drops as a test asks."""

    port: int = 0
    received: list[bytes] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_after_data: bool = False
    controller: Any = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, _o: Any):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        if self.drop_after_data:
            server.transport.close()
        return "250 2.0.0 Ok: queued"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, decode_data=False)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server(port=free_port())
    server.start()
    yield server
    if server.controller.loop.is_running():
        server.stop()
