"""The privacy services other areas call: retention, consent, erasure, export and purge."""

from __future__ import annotations

from app.candidates.retention import (
    close_procedure,
    consent_limit,
    record_consent,
    retention_until,
    withdraw_consent,
)
from app.privacy.erasure import ERASED, erase_candidate
from app.privacy.export import export_candidate
from app.privacy.purge import PurgeReport, purge

__all__ = [
    "ERASED",
    "PurgeReport",
    "close_procedure",
    "consent_limit",
    "erase_candidate",
    "export_candidate",
    "purge",
    "record_consent",
    "retention_until",
    "withdraw_consent",
]
