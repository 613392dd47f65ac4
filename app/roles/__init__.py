"""Roles (vacancies) that candidates are assessed for."""
