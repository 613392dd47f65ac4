"""Reuse the lifecycle fixtures: the shipped bank in the test database and the persona answers."""

from tests.assessments.conftest import bank, example

__all__ = ["bank", "example"]
