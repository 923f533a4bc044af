"""Salted hashes of identifiers, kept instead of the identifiers (suppression list, log).

The salt belongs to the store, so the same address hashes alike within it and a stolen list
of hashes cannot be matched against another store's.
"""

from __future__ import annotations

import hashlib


def identifier_hash(salt: str, kind: str, value: str) -> str:
    """E-mails are hashed bare (case-folded), other identifiers prefixed with their kind."""
    text = value.strip().casefold()
    if kind != "email":
        text = f"{kind}:{text}"
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()
