"""The IMAP fixture: a fresh Dovecot on loopback per test (it starts in well under a
second), so no test sees another's mail or UIDs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.imap_server import ImapServer, dovecot_binary


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    binary = dovecot_binary()
    if binary is None:
        if os.environ.get("NPSDESK_TEST_IMAP") == "required":
            pytest.fail("Dovecot not found (make test installs dovecot-imapd)")
        pytest.skip("no IMAP server (dovecot-imapd) installed")
    # not under pytest's folders: those are private to this user, and Dovecot's own
    # processes (another user when the tests run as root) must reach the server's files
    root = Path(tempfile.mkdtemp(prefix="npsdesk-imap-"))
    server = ImapServer(binary, root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
