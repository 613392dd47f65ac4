"""Adapters for applicant tracking systems that define their own contract (Greenhouse)."""
