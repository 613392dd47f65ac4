from tests.assessments.conftest import bank

__all__ = ["bank"]
