"""The rules for the Secure flag of the cookies Touchstone sets."""

from __future__ import annotations

from app.config import Environment, Settings


def secure(settings: Settings) -> bool:
    """Return whether a cookie that grants access (HR session, once-shown link) must be Secure.

    Always in production, and whenever the site is served over HTTPS; development and tests on plain
    http://127.0.0.1 would never get a Secure cookie back from the browser.
    """
    return settings.environment is Environment.PRODUCTION or served_over_https(settings)


def served_over_https(settings: Settings) -> bool:
    """Return whether the public address is https://: the rule for the CSRF nonce and language cookies.

    Neither grants anything on its own (the CSRF form value also needs the secret key), and candidates
    must be able to answer on an instance reached over plain http (a container on loopback); a production
    site behind TLS has an https:// TOUCHSTONE_BASE_URL, so both are Secure there.
    """
    return settings.base_url.startswith("https://")
