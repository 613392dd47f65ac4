"""HTML pages for HR and candidates: thin routers over the domain services."""
