"""Touchstone: tells real marketing and communication experience apart from self-declared claims."""
