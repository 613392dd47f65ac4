"""Candidates (applicants and employees)."""
