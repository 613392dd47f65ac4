from tests.api.conftest import admin_headers, bank, make_key, settings

__all__ = ["admin_headers", "bank", "make_key", "settings"]
