"""The SMTP password: environment first, a real keyring next, a prompt last, files never."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import PasswordDeleteError

from npsdesk.mail.secrets import (
    ENV_VAR,
    IMAP_ENV_VAR,
    SERVICE,
    PasswordUnavailable,
    forget_password,
    forget_prompted,
    imap_password,
    smtp_password,
    store_password,
)

HOST, USER = "smtp.empresa.com.br", "sucesso@empresa.com.br"
KEY = f"smtp:{USER}@{HOST}"


class MemoryKeyring(KeyringBackend):
    """A usable backend that keeps passwords in a dict."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError("not stored")


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's file backends, which must be refused."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class FixedChainer(ChainerBackend):
    """A chainer over the given backends instead of every installed one."""

    def __init__(self, *members: KeyringBackend) -> None:
        super().__init__()
        self.members = list(members)

    @property
    def backends(self) -> list[KeyringBackend]:
        return self.members


# Defining a backend registers it with keyring for the whole process; keep these out of
# whatever keyring.get_keyring() picks for other tests.
for _cls in (MemoryKeyring, PlaintextKeyring, FixedChainer):
    KeyringBackend._classes.discard(_cls)


@pytest.fixture(autouse=True)
def no_prompt_answers() -> Iterator[None]:
    forget_prompted()
    yield
    forget_prompted()


def never_prompt(question: str) -> str:
    raise AssertionError(f"prompted: {question}")


def test_environment_wins_over_keyring_and_prompt() -> None:
    memory = MemoryKeyring()
    memory.saved[(SERVICE, KEY)] = "from-keyring"
    got = smtp_password(HOST, USER, env={ENV_VAR: "from-env"}, prompt=never_prompt, backend=memory)
    assert got == "from-env"


def test_fail_backend_explains_what_to_do() -> None:
    with pytest.raises(PasswordUnavailable) as info:
        smtp_password(HOST, USER, env={}, backend=fail.Keyring())
    assert str(info.value) == (
        "no system keyring is available here (backend: fail.Keyring); "
        f"set {ENV_VAR} for this session or answer the prompt"
    )


def test_null_backend_is_no_keyring() -> None:
    with pytest.raises(PasswordUnavailable, match=r"backend: null\.Keyring"):
        store_password(HOST, USER, "x", backend=null.Keyring())


def test_fail_backend_still_allows_the_prompt() -> None:
    got = smtp_password(HOST, USER, env={}, prompt=lambda _: "typed", backend=fail.Keyring())
    assert got == "typed"


def test_plaintext_file_backend_is_refused() -> None:
    plain = PlaintextKeyring()
    plain.saved[(SERVICE, KEY)] = "sitting-in-a-file"
    with pytest.raises(PasswordUnavailable, match=r"keyrings\.alt\.file\.PlaintextKeyring"):
        smtp_password(HOST, USER, env={}, backend=plain)
    with pytest.raises(PasswordUnavailable, match="refuses"):
        store_password(HOST, USER, "secret", backend=plain)
    with pytest.raises(PasswordUnavailable):
        forget_password(HOST, USER, backend=plain)
    assert plain.saved == {(SERVICE, KEY): "sitting-in-a-file"}


def test_usable_backend_stores_reads_and_forgets() -> None:
    memory = MemoryKeyring()
    store_password(HOST, USER, "s3nh@ çom acento", backend=memory)
    assert memory.saved == {("npsdesk", KEY): "s3nh@ çom acento"}
    got = smtp_password(HOST, USER, env={}, prompt=never_prompt, backend=memory)
    assert got == "s3nh@ çom acento"
    assert forget_password(HOST, USER, backend=memory) is True
    assert forget_password(HOST, USER, backend=memory) is False
    assert memory.saved == {}


def test_prompt_answer_is_kept_for_the_process_and_never_stored() -> None:
    memory = MemoryKeyring()
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return "typed-once"

    assert smtp_password(HOST, USER, env={}, prompt=ask, backend=memory) == "typed-once"
    assert smtp_password(HOST, USER, env={}, prompt=ask, backend=memory) == "typed-once"
    assert smtp_password(HOST, USER, env={}, backend=fail.Keyring()) == "typed-once"
    assert questions == [f"SMTP password for {USER} at {HOST}: "]
    assert memory.saved == {}
    with pytest.raises(PasswordUnavailable, match=rf"no SMTP password is stored for {USER}"):
        smtp_password("other.host", USER, env={}, backend=memory)


def test_empty_prompt_answer_is_no_password() -> None:
    with pytest.raises(PasswordUnavailable, match="no SMTP password was given"):
        smtp_password(HOST, USER, env={}, prompt=lambda _: "", backend=MemoryKeyring())
    with pytest.raises(PasswordUnavailable):
        smtp_password(HOST, USER, env={ENV_VAR: ""}, backend=MemoryKeyring())


def test_forget_also_drops_the_prompt_answer() -> None:
    memory = MemoryKeyring()
    smtp_password(HOST, USER, env={}, prompt=lambda _: "typed", backend=memory)
    forget_password(HOST, USER, backend=memory)
    with pytest.raises(PasswordUnavailable):
        smtp_password(HOST, USER, env={}, backend=memory)


def test_chainer_of_unusable_backends_is_no_keyring() -> None:
    chain = FixedChainer(fail.Keyring(), PlaintextKeyring())
    with pytest.raises(PasswordUnavailable, match="no system keyring is available here"):
        smtp_password(HOST, USER, env={}, backend=chain)


def test_chainer_uses_its_real_keyring_and_never_the_file() -> None:
    plain, memory = PlaintextKeyring(), MemoryKeyring()
    plain.saved[(SERVICE, KEY)] = "sitting-in-a-file"
    chain = FixedChainer(plain, memory)
    with pytest.raises(PasswordUnavailable, match="no SMTP password is stored"):
        smtp_password(HOST, USER, env={}, backend=chain)
    store_password(HOST, USER, "real", backend=chain)
    assert memory.saved == {(SERVICE, KEY): "real"}
    assert plain.saved == {(SERVICE, KEY): "sitting-in-a-file"}
    assert smtp_password(HOST, USER, env={}, backend=chain) == "real"


def test_the_imap_password_is_its_own_variable_and_keyring_entry() -> None:
    memory = MemoryKeyring()
    memory.saved[(SERVICE, KEY)] = "the-smtp-one"
    with pytest.raises(PasswordUnavailable) as info:
        imap_password(HOST, USER, env={ENV_VAR: "smtp-env"}, backend=memory)
    assert str(info.value) == (
        f"no IMAP password is stored for {USER}@{HOST}; "
        f"set {IMAP_ENV_VAR} for this session or answer the prompt"
    )
    store_password(HOST, USER, "the-imap-one", backend=memory, protocol="imap")
    assert memory.saved[(SERVICE, f"imap:{USER}@{HOST}")] == "the-imap-one"
    assert imap_password(HOST, USER, env={}, backend=memory) == "the-imap-one"
    assert smtp_password(HOST, USER, env={}, backend=memory) == "the-smtp-one"
    assert imap_password(HOST, USER, env={IMAP_ENV_VAR: "env"}, backend=memory) == "env"
    assert forget_password(HOST, USER, backend=memory, protocol="imap")
    assert memory.saved == {(SERVICE, KEY): "the-smtp-one"}
