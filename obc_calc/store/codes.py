"""Workspace access codes: made at random, stored only as a salted scrypt hash, checked in constant time.

A code reads as three groups of four letters and digits (`K7QD-M3XP-9HTW`), from an alphabet without
the look-alikes 0/O and 1/I/L; typing it in lower case, or without the dashes, is the same code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_DUMMY_SALT = bytes(16)


def new_code() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


def normalized(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_salt() -> str:
    return secrets.token_hex(16)


def code_hash(code: str, salt: str) -> str:
    return hashlib.scrypt(normalized(code).encode("utf-8"), salt=bytes.fromhex(salt), **_SCRYPT).hex()


def code_matches(code: str | None, stored_hash: str | None, salt: str | None) -> bool:
    """Whether `code` opens a workspace stored with this hash and salt. With no stored hash (an unknown
    workspace) the same work is done on a dummy salt, so the answer takes as long either way."""
    if stored_hash is None or salt is None:
        hashlib.scrypt(normalized(code or "").encode("utf-8"), salt=_DUMMY_SALT, **_SCRYPT)
        return False
    if not code:
        hashlib.scrypt(b"", salt=_DUMMY_SALT, **_SCRYPT)
        return False
    return hmac.compare_digest(code_hash(code, salt), stored_hash)
