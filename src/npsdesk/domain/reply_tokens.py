"""Per-case reply tokens: which opinion a customer's reply belongs to.

A token is the opinion id in base 36 followed by four base-36 check characters taken from
an HMAC-SHA256 of the id, so a customer who sees their own token cannot write a valid one
for another case. Tokens ride in the reply address (`nps+k7q2x@empresa.example`), where
they must survive mail programs that change case, so they are lower case and checked
case-insensitively. The subject tag `[#1234]` is the readable, unchecked fallback.
"""

from __future__ import annotations

import hashlib
import hmac
import re

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_CHECK_CHARS = 4
_MAX_TOKEN = 20  # keeps the id part under 36**16
_TOKEN = re.compile(rf"[0-9a-z]{{{_CHECK_CHARS + 1},{_MAX_TOKEN}}}")
_SUBJECT_TAG = re.compile(r"\[#(\d{1,18})\]")


def _base36(number: int) -> str:
    digits = []
    while True:
        number, rest = divmod(number, 36)
        digits.append(_ALPHABET[rest])
        if not number:
            return "".join(reversed(digits))


def _check(opinion_id: int, secret: bytes) -> str:
    if not secret:
        raise ValueError("reply tokens need a non-empty secret")
    mac = hmac.new(secret, b"npsdesk-reply:%d" % opinion_id, hashlib.sha256).digest()
    return _base36(int.from_bytes(mac[:8], "big") % 36**_CHECK_CHARS).rjust(_CHECK_CHARS, "0")


def token_for(opinion_id: int, secret: bytes) -> str:
    """The reply token of `opinion_id`, e.g. "k7q2x"."""
    if isinstance(opinion_id, bool) or not isinstance(opinion_id, int) or opinion_id < 0:
        raise ValueError(f"not an opinion id: {opinion_id!r}")
    token = _base36(opinion_id) + _check(opinion_id, secret)
    if len(token) > _MAX_TOKEN:
        raise ValueError(f"opinion id too large for a reply token: {opinion_id}")
    return token


def opinion_of(token: str, secret: bytes) -> int | None:
    """The opinion id that `token` was made for; None when it is malformed or its check
    characters do not match (a typo, or a token made up for another case)."""
    token = token.strip().lower()
    if not _TOKEN.fullmatch(token):
        return None
    id_part, check = token[:-_CHECK_CHARS], token[-_CHECK_CHARS:]
    if len(id_part) > 1 and id_part.startswith("0"):
        return None  # one id, one token: no zero-padded variants
    opinion_id = int(id_part, 36)
    if not hmac.compare_digest(check, _check(opinion_id, secret)):
        return None
    return opinion_id


def _split(address: str) -> tuple[str, str]:
    local, at, domain = address.strip().strip("<>").rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an address: {address!r}")
    return local, domain


def plus_address(reply_to: str, token: str) -> str:
    """`reply_to` with `token` as its plus part:
    nps@empresa.example -> nps+k7q2x@empresa.example."""
    if not _TOKEN.fullmatch(token):
        raise ValueError(f"not a reply token: {token!r}")
    local, domain = _split(reply_to)
    return f"{local}+{token}@{domain}"


def token_in_address(address: str, reply_to: str) -> str | None:
    """The token when `address` is `reply_to`'s plus form (compared case-insensitively),
    else None. The token is returned lower case; `opinion_of` checks it."""
    try:
        local, domain = _split(address.lower())
        own_local, own_domain = _split(reply_to.lower())
    except ValueError:
        return None
    prefix = own_local + "+"
    if domain != own_domain or not local.startswith(prefix):
        return None
    token = local[len(prefix) :]
    return token if _TOKEN.fullmatch(token) else None


def subject_tag(opinion_id: int) -> str:
    """The subject tag of `opinion_id`: "[#1234]"."""
    return f"[#{int(opinion_id)}]"


def opinion_in_subject(subject: str) -> int | None:
    """The id from the first "[#1234]" tag anywhere in `subject`, else None."""
    found = _SUBJECT_TAG.search(subject)
    return int(found.group(1)) if found else None
