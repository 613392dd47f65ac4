"""HR users, passwords and sessions."""
