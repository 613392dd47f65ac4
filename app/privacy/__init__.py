"""GDPR: retention per candidate, erasure, export and the automatic purge."""
