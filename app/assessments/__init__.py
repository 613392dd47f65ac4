"""Assessments, their answers and scored results."""
