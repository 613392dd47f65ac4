"""Rate limits kept in the database, so every app instance counts the same hits."""
