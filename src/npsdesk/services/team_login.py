"""A team store login as the system keyring knows it, for `npsdesk store password`.

The store looks up a login's password under service `KEYRING_SERVICE` and the key named
here when libpq has none, so the CLI stores and removes it under the same names.
"""

from __future__ import annotations

from typing import NamedTuple

from npsdesk.store.pg import KEYRING_SERVICE, PgDatabase, keyring_key

__all__ = ["KEYRING_SERVICE", "TeamLogin", "team_login"]


class TeamLogin(NamedTuple):
    login: str  # user@host:port, as the user reads it
    key: str  # the keyring's user name for it


def team_login(url: str) -> TeamLogin:
    """The login a postgresql:// URL connects as (libpq's default user when it names none);
    a URL that carries a password is refused (StoreError)."""
    import getpass

    parsed = PgDatabase(url)
    user = parsed.user_hint or getpass.getuser()  # libpq's default login, as the store's
    return TeamLogin(
        f"{user}@{parsed.host}:{parsed.port or 5432}", keyring_key(user, parsed.host, parsed.port)
    )
