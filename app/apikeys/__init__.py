"""API keys for applicant tracking systems: scoped, stored hashed, revocable."""
