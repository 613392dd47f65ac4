"""Seal a candidate's link for the short time it must be kept: encrypted and authenticated (Fernet).

Touchstone stores invitation links only as a SHA-256 fingerprint. Three places must hand a link out
again a little later: an e-mail waiting to be sent (or held for an admin to forward), the reply to an
API request that is retried with the same Idempotency-Key, and the page that shows HR a new link once.
They keep it sealed with a key derived from TOUCHSTONE_SECRET_KEY, never in plain text, and drop it as
soon as it is no longer needed. A new secret key makes old seals unreadable: such a link must be resent.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Separates this key from every other use of the secret key (CSRF, sessions).
_PURPOSE = b"touchstone sealed invitation links v1"


def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret_key: str, text: str) -> str:
    """Return text encrypted and authenticated with a key derived from the secret key."""
    return _fernet(secret_key).encrypt(text.encode("utf-8")).decode("ascii")


def unseal(secret_key: str, sealed: str, *, max_age_seconds: int | None = None) -> str | None:
    """Return the sealed text, or None when it was tampered with, is older than max_age or the key changed."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode("ascii"), ttl=max_age_seconds).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError):
        return None
