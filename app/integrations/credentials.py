"""Credentials Touchstone must send back to an ATS, sealed at rest with keys derived from the secret key.

API keys are stored only hashed, but Greenhouse's completion PATCH carries the ordering key as Basic
auth. So the key is kept from the order until that PATCH succeeds, encrypted and authenticated
(Fernet), never in clear and never logged. Sealing uses TOUCHSTONE_SECRET_KEY; unsealing also tries
each of TOUCHSTONE_PREVIOUS_SECRET_KEYS, so a rotated secret key does not break callbacks in flight.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.config import Settings

# Separates this key from every other use of the secret key (links, CSRF, sessions).
_PURPOSE = b"touchstone ats callback credentials v1"


def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _keyring(settings: Settings) -> MultiFernet:
    previous = [key.strip() for key in settings.previous_secret_keys.split(",") if key.strip()]
    return MultiFernet([_fernet(settings.secret_key), *(_fernet(key) for key in previous)])


def seal(settings: Settings, credential: str) -> str:
    """Return the credential encrypted and authenticated with the current secret key."""
    return _keyring(settings).encrypt(credential.encode("utf-8")).decode("ascii")


def unseal(settings: Settings, sealed: str) -> str | None:
    """Return the credential, or None when no current or previous secret key opens it."""
    try:
        return _keyring(settings).decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError):
        return None


def basic_authorization(username: str, password: str = "") -> str:
    """Return an HTTP Basic Authorization header value (RFC 7617) for the credential."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"
