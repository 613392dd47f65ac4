"""The JSON API for applicant tracking systems (/api/v1) and ATS adapters (/integrations)."""
