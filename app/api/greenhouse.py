"""Greenhouse Assessment Partner API: the four endpoints Greenhouse calls, with HTTP Basic auth (key, no password).

Greenhouse may add request fields at any time, so unknown fields are ignored here (unlike /api/v1).
Every refusal of the credentials is 401, the one error Greenhouse documents for them: no key, a wrong or
revoked key, a key without the greenhouse scope, and a non-empty password (Greenhouse always sends the
key followed by a colon; a password would suggest a credential we do not check, so it is refused).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import HTTPException as FastAPIHTTPException
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from app.api.deps import count_request
from app.api.v1.common import invalid_input, problems
from app.api.v1.schemas import HTTP_URL, NOT_BLANK, Email
from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey, ApiScope
from app.deps import LinkSettingsDep, SessionDep, SettingsDep
from app.i18n import N_
from app.integrations.greenhouse import service as greenhouse
from app.problems import template

router = APIRouter(prefix="/integrations/greenhouse", tags=["greenhouse"])
CHALLENGE = {"WWW-Authenticate": 'Basic realm="touchstone-greenhouse"'}


# Fixed texts of the refusals, translated in the problem document (app.problems).
PASSWORD_GIVEN = N_("Send the API key as the Basic auth user name with an empty password.")
NO_KEY = N_("Send an API key as the Basic auth user name with an empty password.")


class _Basic(HTTPBasic):
    """HTTP Basic that refuses a header it cannot decode (not base64, no colon) like a missing key.

    FastAPI's own refusal ("Not authenticated", a challenge without our realm) bypasses auto_error=False.
    """

    def make_not_authenticated_error(self) -> FastAPIHTTPException:
        return FastAPIHTTPException(401, NO_KEY, CHALLENGE)


basic = _Basic(auto_error=False, description="User name: an API key with scope greenhouse; password empty.")
NO_SCOPE = template(N_("This API key has scope(s) %(scopes)s; Greenhouse needs 'greenhouse'."))
template(greenhouse.UNKNOWN_TEST)
template(greenhouse.UNKNOWN_INTERVIEW)


def _greenhouse_client(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)],
) -> ApiKey:
    if credentials is not None and credentials.password:
        raise HTTPException(401, PASSWORD_GIVEN, CHALLENGE)
    key = apikeys.authenticate(session, credentials.username) if credentials else None
    if key is None:
        raise HTTPException(401, NO_KEY, CHALLENGE)
    if str(ApiScope.GREENHOUSE) not in key.scopes:
        raise HTTPException(401, NO_SCOPE % {"scopes": ", ".join(key.scopes)}, CHALLENGE)
    count_request(request, session, settings, key)
    return key


GreenhouseClient = Annotated[ApiKey, Depends(_greenhouse_client)]


class Lenient(BaseModel):
    # Control characters (NUL included) never get this far: app.inputs refuses them with 422.
    model_config = ConfigDict(extra="ignore")


class Test(BaseModel):
    partner_test_id: str = Field(description="The test's id, to send in send_test.")
    partner_test_name: str = Field(description="The test's name, shown in Greenhouse.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"partner_test_id": "self-test", "partner_test_name": "Touchstone Self-test"}]}
    )


class GreenhouseCandidate(Lenient):
    first_name: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK, description="The candidate's first name.")
    last_name: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK, description="The candidate's last name.")
    preferred_name: str | None = Field(default=None, max_length=200, description="Used to greet the candidate.")
    resume_url: str | None = Field(
        json_schema_extra={"format": "uri"}, default=None, description="Ignored (expires after 7 days)."
    )
    phone_number: str | None = Field(default=None, description="Ignored.")
    email: Email = Field(description="Where the invitation is sent.")
    greenhouse_profile_url: str | None = Field(
        json_schema_extra={"format": "uri"}, default=None, max_length=2000, description="The application in Greenhouse."
    )


class SendTest(Lenient):
    partner_test_id: str = Field(max_length=64, description="A partner_test_id from list_tests.")
    candidate: GreenhouseCandidate = Field(description="Who takes the test.")
    sent_by: str | None = Field(
        default=None, max_length=320, description="The e-mail address of the Greenhouse user who sent it."
    )
    url: str = Field(
        json_schema_extra={"format": "uri"},
        min_length=1,
        max_length=2000,
        pattern=HTTP_URL,
        description="Where Touchstone sends PATCH on completion.",
    )

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "partner_test_id": "self-test",
                    "candidate": {
                        "first_name": "Harry",
                        "last_name": "Potter",
                        "preferred_name": None,
                        "resume_url": "https://greenhouse.example/resumes/123",
                        "phone_number": "+31 20 123 4567",
                        "email": "hpotter@example.com",
                        "greenhouse_profile_url": "https://app.greenhouse.io/people/9876?application_id=1234",
                    },
                    "sent_by": "recruiter@example.com",
                    "url": "https://api.greenhouse.io/v1/partner/tests/12345/complete",
                }
            ]
        },
    )


class SentTest(BaseModel):
    partner_interview_id: str = Field(description="This test instance's id, for test_status.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"partner_interview_id": "4f2a9c0b1d3e5f6a7b8c9d0e"}]})


class TestStatus(BaseModel):
    partner_status: str = Field(description='"complete" once results exist; otherwise the assessment status.')
    partner_profile_url: str | None = Field(
        json_schema_extra={"format": "uri"}, description="The candidate's report at Touchstone, once complete."
    )
    partner_score: float | None = Field(description="The overall evidence score, 0-100.")
    metadata: dict[str, str | int | float | bool | None] | None = Field(
        description="Shown to recruiters in Greenhouse: readable labels in the organisation's language."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "partner_status": "complete",
                    "partner_profile_url": "https://touchstone.example.com/hr/candidates/31/report",
                    "partner_score": 71.5,
                    "metadata": {
                        "Verdict": "Ready with a mentor",
                        "Evidence score (0-100)": 71.5,
                        "Claims index (0-100)": 12.4,
                        "Calibration": "Calibrated",
                        "Overclaiming (d')": 1.82,
                        "Completed (UTC)": "2026-11-29 10:15",
                    },
                }
            ]
        }
    )


# A report is answered 200 and recorded whatever its shape: record_error shortens and converts what it keeps.
Reported = str | int | float | bool | None


class ResponseError(Lenient):
    api_call: Reported | dict[str, Any] | list[Any] = Field(
        description="The call whose response was malformed (kept to 200 characters)."
    )
    errors: list[Any] | str = Field(
        description="What was wrong with it: strings (objects with a message are accepted; the first 50 are kept)."
    )
    # Greenhouse's own example sends these ids as numbers.
    partner_test_id: Reported = Field(default=None, description="The test concerned, if known.")
    partner_test_name: Reported = Field(default=None, description="The test's name, if known.")
    partner_interview_id: Reported = Field(default=None, description="The test instance concerned, if known.")
    candidate_email: Reported = Field(default=None, description="The candidate's e-mail, if known.")

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "api_call": "test_status",
                    "errors": ["partner_score must be a number"],
                    "partner_interview_id": "4f2a9c0b1d3e5f6a7b8c9d0e",
                    "candidate_email": "hpotter@example.com",
                }
            ]
        },
    )


class Recorded(BaseModel):
    status: int = Field(description="200: the report was recorded (the answer Greenhouse documents).")

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": 200}]})


@router.get("/list_tests", name="greenhouse_list_tests", response_model=list[Test], responses=problems(forbidden=False))
def list_tests(session: SessionDep, client: GreenhouseClient) -> list[dict[str, str]]:
    """List the tests this organisation can send (a bare JSON array)."""
    return greenhouse.list_tests(session)


@router.post(
    "/send_test", name="greenhouse_send_test", response_model=SentTest, responses=problems(404, 413, forbidden=False)
)
def send_test(
    session: SessionDep,
    settings: LinkSettingsDep,
    client: GreenhouseClient,
    credentials: Annotated[HTTPBasicCredentials, Depends(basic)],
    body: SendTest,
) -> SentTest:
    """Create the candidate and the assessment, e-mail the invitation and return the partner_interview_id.

    The same key and callback url sent again answer the first partner_interview_id and create nothing.
    """
    with invalid_input():
        interview = greenhouse.send_test(
            session,
            settings,
            client,
            credential=credentials.username,
            partner_test_id=body.partner_test_id,
            applicant=greenhouse.Applicant(
                first_name=body.candidate.first_name,
                last_name=body.candidate.last_name,
                preferred_name=body.candidate.preferred_name,
                email=body.candidate.email,
            ),
            callback_url=body.url,
            profile_url=body.candidate.greenhouse_profile_url,
            sent_by=body.sent_by,
        )
    return SentTest(partner_interview_id=interview.id)


@router.get(
    "/test_status", name="greenhouse_test_status", response_model=TestStatus, responses=problems(404, forbidden=False)
)
def test_status(
    session: SessionDep,
    settings: LinkSettingsDep,
    client: GreenhouseClient,
    partner_interview_id: Annotated[str, Query(min_length=1, max_length=200)],
) -> dict[str, Any]:
    """Report the status of one test instance; once complete, the score, report link and metadata."""
    return greenhouse.test_status(session, settings, client, partner_interview_id)


@router.post(
    "/response_error",
    name="greenhouse_response_error",
    response_model=Recorded,
    responses=problems(413, forbidden=False),
)
def response_error(session: SessionDep, client: GreenhouseClient, body: ResponseError) -> Recorded:
    """Record Greenhouse's report that one of our responses was malformed; admins see it in the workspace."""
    greenhouse.record_error(session, client, body.model_dump())
    return Recorded(status=200)
