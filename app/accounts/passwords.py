"""Password hashing with pwdlib's recommended setting (argon2id)."""

from __future__ import annotations

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    """Return the argon2id hash of password."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Tell whether password matches the stored hash."""
    return _hasher.verify(password, password_hash)
