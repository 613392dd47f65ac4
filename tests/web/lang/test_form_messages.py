"""Form errors in the reader's language: pydantic's English never reaches a Dutch page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session

from app import i18n
from app.accounts.models import UserRole
from app.form_messages import detail_message, pydantic_message
from tests.web.hr.helpers import csrf, sign_in_as


class _Form(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    years: int = Field(ge=0, le=70)


def _errors(**values: object) -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate(values)
    return list(caught.value.errors())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "english", "dutch"),
    [
        ({"name": "", "years": 1}, "Fill in this field.", "Vul dit veld in."),
        ({"name": "x" * 201, "years": 1}, "Use at most 200 characters.", "Gebruik hoogstens 200 tekens."),
        ({"name": "x", "years": 71}, "Enter 70 or less.", "Vul 70 of minder in."),
        ({"name": "x", "years": "many"}, "Enter a whole number.", "Vul een heel getal in."),
    ],
)
def test_pydantic_errors_are_our_sentences(values: dict[str, object], english: str, dutch: str) -> None:
    (error,) = _errors(**values)
    token = i18n.current_locale.set("nl")
    try:
        assert pydantic_message(error) == dutch
    finally:
        i18n.current_locale.reset(token)
    assert pydantic_message(error) == english


def test_service_details_are_translated_with_their_values() -> None:
    token = i18n.current_locale.set("nl")
    try:
        assert detail_message("'x' is not an e-mail address") == "'x' is geen e-mailadres."
        assert detail_message("0 is out of range; use 1 to 90") == "0 valt buiten het bereik: kies 1 tot en met 90."
        assert detail_message("something new") == "something new"  # unknown: shown as it is
    finally:
        i18n.current_locale.reset(token)


def test_dutch_candidate_form_shows_dutch_errors(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ASSESSOR)
    client.cookies.set("lang", "nl")
    token = csrf(client, "/hr/candidates/new")
    response = client.post(
        "/hr/candidates",
        data={"csrf_token": token, "first_name": "", "last_name": "Jansen", "email": "x", "language": "nl"},
    )
    assert response.status_code == 422
    assert "String should have" not in response.text
    assert "is not an e-mail address" not in response.text
    assert "Vul dit veld in." in response.text or "geen e-mailadres" in response.text
