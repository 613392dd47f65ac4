"""Passwords: argon2id hashing (pwdlib's recommended setting) and the NIST SP 800-63B rules for new ones.

A new password needs at least MIN_LENGTH characters and must not be common or easy to guess. The check
uses zxcvbn, whose shipped lists hold the passwords most often found in breaches, common words and names,
and which also sees through repeats ("aaaaaaaaaaaa"), sequences ("password1234"), keyboard walks and the
user's own e-mail address. No composition rules (NIST advises against them) and no expiry.
"""

from __future__ import annotations

from collections.abc import Iterable

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()

MIN_LENGTH = 12
MAX_LENGTH = 1000
# zxcvbn's score 3: "safely unguessable" (about 10^8 guesses or more), its advice for protecting accounts.
MIN_SCORE = 3
# zxcvbn's cost grows with length; beyond this a password is long enough that its start decides.
_CHECKED_LENGTH = 100


def hash_password(password: str) -> str:
    """Return the argon2id hash of password."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Tell whether password matches the stored hash."""
    return _hasher.verify(password, password_hash)


def is_guessable(password: str, user_inputs: Iterable[str] = ()) -> bool:
    """Tell whether password is common, breached or easy to guess (given the user's own e-mail or name)."""
    # Imported here: zxcvbn's word lists take about 10 MB, and only setting a password needs them.
    from zxcvbn import zxcvbn

    words = [w for value in user_inputs for w in (value, *value.replace("@", " ").replace(".", " ").split()) if w]
    return int(zxcvbn(password[:_CHECKED_LENGTH], user_inputs=words)["score"]) < MIN_SCORE
