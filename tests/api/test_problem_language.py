"""Problem documents of the API and of Greenhouse in the reader's language (Accept-Language), with Content-Language."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.problems import localised
from tests.api.conftest import MakeKey, complete, order_self_test

NL = {"Accept-Language": "nl"}


@pytest.mark.parametrize(
    ("accept", "lang", "title", "detail"),
    [
        ("nl-NL, en;q=0.5", "nl", "Niet geautoriseerd", "Stuur de API-sleutel als 'Authorization: Bearer <sleutel>'."),
        ("en", "en", "Unauthorized", "Send the API key as 'Authorization: Bearer <key>'."),
    ],
)
def test_a_refused_key_is_told_in_the_readers_language(
    client: TestClient, accept: str, lang: str, title: str, detail: str
) -> None:
    answer = client.get("/api/v1/candidates", headers={"Accept-Language": accept})
    assert answer.status_code == 401
    assert answer.headers["content-language"] == lang
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert (answer.json()["title"], answer.json()["detail"]) == (title, detail)
    # The kind of problem is named in English whatever the language: clients compare it.
    assert answer.json()["type"].endswith("/unauthorized")


def test_dutch_problems_keep_names_and_values(client: TestClient, make_key: MakeKey) -> None:
    headers = {**make_key("read", "write"), **NL}
    missing = client.get("/api/v1/candidates/999", headers=headers)
    assert (missing.status_code, missing.json()["title"], missing.headers["content-language"]) == (
        404,
        "Niet gevonden",
        "nl",
    )
    assert "999" in missing.json()["detail"] and missing.json()["type"].endswith("/not-found")
    no_route = client.get("/api/v1/nothing-here", headers=headers)
    assert (no_route.json()["title"], no_route.json()["detail"]) == ("Niet gevonden", "Niet gevonden")
    wrong_method = client.post("/api/v1/candidates/1", headers=headers)
    assert wrong_method.json()["detail"] == "POST kan hier niet; gebruik DELETE, GET, PATCH"
    assert wrong_method.json()["title"] == "Methode niet toegestaan"
    no_scope = client.get("/api/v1/webhook-endpoints", headers=headers)
    assert no_scope.status_code == 403 and no_scope.json()["title"] == "Niet toegestaan"
    assert (
        no_scope.json()["detail"] == "deze API-sleutel heeft de rechten read, write; dit verzoek heeft 'webhooks' nodig"
    )
    assert no_scope.json()["required_scope"] == "webhooks"


@pytest.mark.parametrize(
    ("accept", "email", "unknown", "language"),
    [
        (
            "nl",
            "'sam@' heeft niet de vorm die dit veld vraagt.",
            "Dit veld is hier onbekend; laat het weg.",
            "Gebruik een van 'nl' of 'en'.",
        ),
        (
            "en",
            "'sam@' does not have the form this field needs.",
            "This field is not known here; leave it out.",
            "Use one of 'nl' or 'en'.",
        ),
    ],
)
def test_validation_messages_are_sentences(
    client: TestClient, make_key: MakeKey, accept: str, email: str, unknown: str, language: str
) -> None:
    headers = {**make_key("write"), "Accept-Language": accept}
    body = {"first_name": "Sam", "last_name": "Bos", "email": "sam@", "colour": "red", "language": "fr"}
    answer = client.post("/api/v1/candidates", json=body, headers=headers)
    assert answer.status_code == 422 and answer.headers["content-language"] == accept
    messages = {error["field"]: error["message"] for error in answer.json()["errors"]}
    assert messages == {"email": email, "colour": unknown, "language": language}
    assert f"email: {email}" in answer.json()["detail"]
    assert "String should" not in answer.text and "pattern" not in answer.text


@pytest.mark.parametrize(
    ("method", "url", "body", "field", "english", "dutch"),
    [
        (
            "POST",
            "/api/v1/candidates",
            {"first_name": 7, "last_name": "Bos"},
            "first_name",
            "Send this as text (a JSON string).",
            "Stuur dit als tekst (een JSON-string).",
        ),
        (
            "POST",
            "/api/v1/candidates",
            ["Sam", "Bos"],
            "body",
            "Send a JSON object here.",
            "Stuur hier een JSON-object.",
        ),
        (
            "GET",
            "/api/v1/candidates?updated_since=yesterday",
            None,
            "updated_since",
            "Enter a date and time with its offset from UTC, such as 2026-11-28T09:10:00Z.",
            "Vul een datum en tijd in met de afwijking van UTC, zoals 2026-11-28T09:10:00Z.",
        ),
        (
            "GET",
            "/api/v1/candidates?updated_since=2026-11-28T09:10:00",
            None,
            "updated_since",
            "Give the time with its offset from UTC, such as 2026-11-28T09:10:00Z or +01:00.",
            "Geef de tijd met de afwijking van UTC, zoals 2026-11-28T09:10:00Z of +01:00.",
        ),
        (
            "POST",
            "/api/v1/candidates",
            b'{"first_name": "Sam", "last_name": "Bos", "role_id": NaN}',
            "role_id",
            "Enter a number.",
            "Vul een getal in.",
        ),
        (
            "GET",
            "/api/v1/candidates?updated_since=1999-12-31T23:00:00Z",
            None,
            "updated_since",
            "1999-12-31T23:00:00+00:00 is outside the years 2000 to 2100.",
            "1999-12-31T23:00:00+00:00 valt buiten de jaren 2000 tot en met 2100.",
        ),
        (
            "POST",
            "/api/v1/candidates/1/reference-consent",
            {"agreed": False},
            "agreed",
            "Use true.",
            "Gebruik true.",
        ),
    ],
)
@pytest.mark.parametrize("accept", ["en", "nl"])
def test_type_errors_are_sentences_in_the_readers_language_not_pydantics(
    client: TestClient,
    make_key: MakeKey,
    accept: str,
    method: str,
    url: str,
    body: object,
    field: str,
    english: str,
    dutch: str,
) -> None:
    headers = {**make_key("read", "write"), "Accept-Language": accept}
    if isinstance(body, bytes):
        # Python's json reads NaN, and so does FastAPI: the value is refused, not the body.
        sent = {"content": body, "headers": {**headers, "Content-Type": "application/json"}}
    else:
        sent = {"json": body, "headers": headers}
    answer = client.request(method, url, **sent)  # type: ignore[arg-type]
    assert answer.status_code == 422 and answer.headers["content-language"] == accept
    assert {error["field"]: error["message"] for error in answer.json()["errors"]} == {
        field: english if accept == "en" else dutch
    }
    assert "Input should" not in answer.text and "True" not in answer.text


def test_greenhouse_refusals_are_translated_too(client: TestClient, make_key: MakeKey) -> None:
    secret = make_key("read")["Authorization"].removeprefix("Bearer ")
    basic = {"Authorization": "Basic " + base64.b64encode(f"{secret}:".encode()).decode()}
    answer = client.get("/integrations/greenhouse/list_tests", headers={**basic, **NL})
    assert answer.status_code == 401 and answer.headers["content-language"] == "nl"
    assert answer.json()["title"] == "Niet geautoriseerd"
    assert answer.json()["detail"] == "Deze API-sleutel heeft de rechten read; Greenhouse heeft 'greenhouse' nodig."


def test_details_that_carry_values_are_dutch_with_their_values(client: TestClient, make_key: MakeKey) -> None:
    headers = {**make_key("read", "write"), **NL}
    candidate = client.get("/api/v1/candidates/42", headers=headers)
    assert (candidate.status_code, candidate.json()["detail"]) == (404, "kandidaat 42 bestaat niet")
    assessment = client.get("/api/v1/assessments/x", headers=headers)
    assert (assessment.status_code, assessment.json()["detail"]) == (404, "assessment 'x' bestaat niet")
    letters = client.get("/api/v1/candidates/abc", headers=headers)
    assert (letters.status_code, letters.json()["detail"]) == (404, "candidate_id 'abc' bestaat niet")
    huge = client.post("/api/v1/roles", json={"title": "x", "description": "a" * 70_000}, headers=headers)
    assert huge.status_code == 413 and huge.json()["title"] == "Inhoud van het verzoek te groot"
    assert huge.json()["detail"].startswith("De inhoud van het verzoek heeft ")
    assert huge.json()["detail"].endswith(f" bytes of meer; de grens is {64 * 1024} (TOUCHSTONE_MAX_BODY_BYTES).")
    # In English as raised; the kind of problem is named in English whatever the language.
    english = client.get("/api/v1/candidates/42", headers={**headers, "Accept-Language": "en"})
    assert english.json()["detail"] == "candidate 42 does not exist" and english.json()["type"].endswith("/not-found")


def test_the_most_specific_sentence_wins() -> None:
    assert localised("mentor assignment 7 does not exist", "nl") == "mentorkoppeling 7 bestaat niet"
    assert localised("mentor 7 does not exist", "nl") == "mentor 7 bestaat niet"
    assert localised("webhook endpoint 3 does not exist", "nl") == "webhookadres 3 bestaat niet"


def test_an_idempotency_key_reused_for_another_request_is_told_in_dutch(client: TestClient, make_key: MakeKey) -> None:
    headers = {**make_key("write"), "Idempotency-Key": "order-7"}
    assert client.post("/api/v1/roles", json={"title": "Editor"}, headers=headers).status_code == 201
    other = client.post("/api/v1/roles", json={"title": "Writer"}, headers={**headers, **NL})
    assert other.status_code == 422 and other.headers["content-language"] == "nl"
    assert other.json()["detail"] == (
        "Idempotency-Key 'order-7' is al gebruikt voor een ander verzoek; "
        "gebruik een nieuwe sleutel voor een nieuw verzoek"
    )


def test_greenhouse_unknown_tests_and_instances_are_told_in_dutch(client: TestClient, make_key: MakeKey) -> None:
    secret = make_key("greenhouse")["Authorization"].removeprefix("Bearer ")
    basic = {"Authorization": "Basic " + base64.b64encode(f"{secret}:".encode()).decode(), **NL}
    status = client.get("/integrations/greenhouse/test_status?partner_interview_id=abc123", headers=basic)
    assert (status.status_code, status.json()["detail"]) == (404, "partner_interview_id 'abc123' is niet bekend")
    order = {
        "partner_test_id": "no-such-test",
        "candidate": {
            "first_name": "Sam",
            "last_name": "Bos",
            "preferred_name": None,
            "email": "sam@example.com",
            "greenhouse_profile_url": "https://app.greenhouse.io/people/1",
        },
        "url": "https://api.greenhouse.io/callback/1",
    }
    sent = client.post("/integrations/greenhouse/send_test", json=order, headers=basic)
    assert (sent.status_code, sent.json()["detail"]) == (
        404,
        "partner_test_id 'no-such-test' is geen test die hier wordt aangeboden; zie list_tests",
    )


@pytest.mark.parametrize("header", ["Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode()])
def test_an_unreadable_greenhouse_credential_is_refused_like_a_missing_one(client: TestClient, header: str) -> None:
    answer = client.get("/integrations/greenhouse/list_tests", headers={"Authorization": header, **NL})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Basic realm="touchstone-greenhouse"'
    assert (
        answer.json()["detail"]
        == "Stuur een API-sleutel als gebruikersnaam van Basic-authenticatie, met een leeg wachtwoord."
    )


@pytest.mark.parametrize(
    ("accept", "message"),
    [
        ("en", "the body was sent without a Content-Type; send it as JSON with Content-Type: application/json"),
        ("nl", "de inhoud is verstuurd zonder Content-Type; stuur die als JSON met Content-Type: application/json"),
    ],
)
def test_a_body_without_content_type_is_told_so(
    client: TestClient, make_key: MakeKey, accept: str, message: str
) -> None:
    headers = {**make_key("write"), "Accept-Language": accept}
    answer = client.post("/api/v1/roles", content=b'{"title": "Editor"}', headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"location": "body", "field": "body", "message": message}]


def test_the_fixed_refusals_of_an_assessments_life_are_dutch(
    client: TestClient, bank: Session, make_key: MakeKey
) -> None:
    headers = {**make_key("read", "write"), **NL}
    done = order_self_test(client, headers)
    complete(bank, done)
    again = client.put(f"/api/v1/assessments/{done}/answers", json={"answers": {}}, headers=headers)
    assert (again.status_code, again.json()["detail"]) == (409, "dit assessment is al ingediend")
    cancel = client.post(f"/api/v1/assessments/{done}/cancel", headers=headers)
    assert (cancel.status_code, cancel.json()["detail"]) == (409, "een voltooid assessment kan niet worden ingetrokken")
    withdrawn = order_self_test(client, headers)
    assert client.post(f"/api/v1/assessments/{withdrawn}/cancel", headers=headers).status_code == 200
    gone = client.put(f"/api/v1/assessments/{withdrawn}/answers", json={"answers": {}}, headers=headers)
    assert (gone.status_code, gone.json()["detail"]) == (410, "dit assessment is ingetrokken")
    candidate = client.post("/api/v1/candidates", json={"first_name": "Ria", "last_name": "Bos"}, headers=headers)
    candidate_id = candidate.json()["id"]
    mail = client.post(
        "/api/v1/assessments",
        json={"candidate_id": candidate_id, "questionnaire_id": "self-test", "send_invitation": True},
        headers=headers,
    )
    assert (mail.status_code, mail.json()["detail"]) == (
        422,
        "send: de kandidaat heeft geen e-mailadres om de uitnodiging naar te sturen",
    )
    referee = {
        "name": "Kim",
        "email": "kim@example.org",
        "relation": "manager",
        "period": "2020-2024",
        "language": "nl",
    }
    consent = client.post(f"/api/v1/candidates/{candidate_id}/referees", json=referee, headers=headers)
    assert (consent.status_code, consent.json()["detail"]) == (
        409,
        "consent: de kandidaat heeft geen toestemming gegeven om referenten te benaderen",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"first_name": 7}, "first_name", "Send this as text (a JSON string)."),
        ({"last_name": ["Bos"]}, "last_name", "Send this as text (a JSON string)."),
        ({"language": "de"}, "language", "Use one of 'nl' or 'en'."),
    ],
)
def test_a_wrong_value_in_a_patch_names_the_field_once(
    client: TestClient, make_key: MakeKey, change: dict[str, object], field: str, message: str
) -> None:
    headers = make_key("read", "write")
    candidate = client.post("/api/v1/candidates", json={"first_name": "Ria", "last_name": "Bos"}, headers=headers)
    answer = client.patch(f"/api/v1/candidates/{candidate.json()['id']}", json=change, headers=headers)
    assert answer.status_code == 422
    # Not the branches of the type behind it ("first_name.str", "first_name.none: Input should be None").
    assert answer.json()["errors"] == [{"location": "body", "field": field, "message": message}]
    assert answer.json()["detail"] == f"{field}: {message}"


def test_a_bad_cursor_and_a_past_expiry_are_told_in_dutch(client: TestClient, bank: Session, make_key: MakeKey) -> None:
    headers = {**make_key("read", "write"), **NL}
    cursor = client.get("/api/v1/candidates?cursor=zz", headers=headers)
    assert (cursor.status_code, cursor.json()["detail"]) == (
        400,
        "cursor 'zz' is niet geldig; gebruik de next_cursor van een eerdere pagina",
    )
    candidate = client.post("/api/v1/candidates", json={"first_name": "Ria", "last_name": "Bos"}, headers=headers)
    order = {
        "candidate_id": candidate.json()["id"],
        "questionnaire_id": "self-test",
        "expires_at": "2020-01-01T00:00:00Z",
    }
    past = client.post("/api/v1/assessments", json=order, headers=headers)
    assert (past.status_code, past.json()["detail"]) == (
        422,
        "expires_at 2020-01-01T00:00:00+00:00 ligt in het verleden",
    )
