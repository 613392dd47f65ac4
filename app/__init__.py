"""Touchstone: tells real marketing and communication experience apart from self-declared claims."""

from app import native as _native  # noqa: F401  (puts the compiled scoring engine in place when built)
