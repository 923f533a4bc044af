"""Where the SMTP and IMAP passwords come from. They are never logged and never written by
npsdesk.

Order: the NPSDESK_SMTP_PASSWORD (NPSDESK_IMAP_PASSWORD) variable, then the system keyring
when a real one is there, then a prompt whose answer lives only in this process. A keyring
backend that keeps passwords in a plain or home-made encrypted file (`keyrings.alt`) is
refused rather than used as a silent fallback, and so are keyring's `fail` and `null`
backends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError, PasswordDeleteError

Protocol = Literal["smtp", "imap"]

SERVICE = "npsdesk"
ENV_VAR = "NPSDESK_SMTP_PASSWORD"
IMAP_ENV_VAR = "NPSDESK_IMAP_PASSWORD"
ENV_VARS: dict[Protocol, str] = {"smtp": ENV_VAR, "imap": IMAP_ENV_VAR}


def _instead(protocol: Protocol = "smtp") -> str:
    return f"set {ENV_VARS[protocol]} for this session or answer the prompt"


# Prompt answers for this process only, by keyring key.
_prompted: dict[str, str] = {}


class PasswordUnavailable(Exception):
    """No SMTP (IMAP) password can be had here; the message says what to do instead."""


def password_key(host: str, username: str, protocol: Protocol = "smtp") -> str:
    """The keyring user name under service "npsdesk" for one SMTP (or IMAP) account."""
    return f"{protocol}:{username}@{host}"


def backend_name(backend: KeyringBackend) -> str:
    """A short class name for messages, like `fail.Keyring` or `SecretService.Keyring`."""
    cls = type(backend)
    return f"{cls.__module__.removeprefix('keyring.backends.')}.{cls.__name__}"


def _refusal(backend: KeyringBackend) -> str | None:
    """Why `backend` cannot hold the password, or None when it can."""
    module = type(backend).__module__
    if module == "keyrings.alt" or module.startswith("keyrings.alt."):
        return (
            f"the keyring backend {backend_name(backend)} keeps passwords in a file, "
            "which npsdesk refuses"
        )
    no_keyring = f"no system keyring is available here (backend: {backend_name(backend)})"
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return no_keyring
    if isinstance(backend, ChainerBackend):
        return None if _usable_children(backend) else no_keyring
    try:
        priority = float(backend.priority)
    except Exception:  # a backend says it is not viable by raising from `priority`
        return no_keyring
    return no_keyring if priority <= 0 else None


def _usable_children(chainer: ChainerBackend) -> list[KeyringBackend]:
    try:
        children = list(chainer.backends)
    except Exception:
        return []
    return [child for child in children if _refusal(child) is None]


def usable_backend(
    backend: KeyringBackend | None = None, protocol: Protocol = "smtp"
) -> KeyringBackend:
    """The backend to use (the system's by default), or `PasswordUnavailable`.

    For a chainer this is its first usable member, so a file backend that sits in the chain
    is never read or written.
    """
    backend = keyring.get_keyring() if backend is None else backend
    reason = _refusal(backend)
    if reason is not None:
        raise PasswordUnavailable(f"{reason}; {_instead(protocol)}")
    if isinstance(backend, ChainerBackend):
        return _usable_children(backend)[0]
    return backend


def smtp_password(
    host: str,
    username: str,
    *,
    env: Mapping[str, str],
    prompt: Callable[[str], str] | None = None,
    backend: KeyringBackend | None = None,
) -> str:
    """The SMTP password for `username` at `host`, or `PasswordUnavailable`.

    `prompt` gets a question and returns the answer (e.g. `getpass.getpass`); the answer is
    kept for the rest of this process and never stored.
    """
    return _password("smtp", host, username, env, prompt, backend)


def imap_password(
    host: str,
    username: str,
    *,
    env: Mapping[str, str],
    prompt: Callable[[str], str] | None = None,
    backend: KeyringBackend | None = None,
) -> str:
    """The IMAP password (the inbox customers' replies are fetched from), as `smtp_password`
    finds the SMTP one: NPSDESK_IMAP_PASSWORD, the keyring, the prompt."""
    return _password("imap", host, username, env, prompt, backend)


def _password(
    protocol: Protocol,
    host: str,
    username: str,
    env: Mapping[str, str],
    prompt: Callable[[str], str] | None,
    backend: KeyringBackend | None,
) -> str:
    value = env.get(ENV_VARS[protocol])
    if value:
        return value
    what = protocol.upper()
    instead = _instead(protocol)
    key = password_key(host, username, protocol)
    problem = ""
    try:
        stored = usable_backend(backend, protocol).get_password(SERVICE, key)
    except PasswordUnavailable as exc:
        problem = str(exc)
    except KeyringError as exc:  # e.g. a locked collection; the prompt can still help
        problem = f"the system keyring did not answer ({type(exc).__name__}); {instead}"
    else:
        if stored:
            return stored
        problem = f"no {what} password is stored for {username}@{host}; {instead}"
    if key in _prompted:
        return _prompted[key]
    if prompt is not None:
        answer = prompt(f"{what} password for {username} at {host}: ")
        if answer:
            _prompted[key] = answer
            return answer
        problem = f"no {what} password was given for {username}@{host}"
    raise PasswordUnavailable(problem)


def store_password(
    host: str,
    username: str,
    password: str,
    *,
    backend: KeyringBackend | None = None,
    protocol: Protocol = "smtp",
) -> None:
    """Keep the password in the system keyring; `PasswordUnavailable` if there is none."""
    target = usable_backend(backend, protocol)
    try:
        target.set_password(SERVICE, password_key(host, username, protocol), password)
    except KeyringError as exc:
        raise PasswordUnavailable(
            f"the system keyring refused the password ({type(exc).__name__})"
        ) from None


def forget_password(
    host: str,
    username: str,
    *,
    backend: KeyringBackend | None = None,
    protocol: Protocol = "smtp",
) -> bool:
    """Remove the stored password and this process's prompt answer; True if one was stored."""
    key = password_key(host, username, protocol)
    _prompted.pop(key, None)
    target = usable_backend(backend, protocol)
    try:
        target.delete_password(SERVICE, key)
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise PasswordUnavailable(
            f"the system keyring refused to forget the password ({type(exc).__name__})"
        ) from None
    return True


def forget_prompted() -> None:
    """Drop every prompt answer kept by this process (after a failed login, or in tests)."""
    _prompted.clear()
