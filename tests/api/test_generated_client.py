"""An SDK generated from /openapi.json (openapi-python-client) drives a live server: candidate, order, result."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.apikeys import service as apikeys
from app.config import Settings
from app.db import create_db_engine
from tests.assessments.conftest import example
from tests.live import live

__all__ = ["live"]
PACKAGE = "touchstone_client"


@pytest.fixture
def sdk(live: tuple[str, Settings], tmp_path: Path) -> Iterator[Any]:
    """Generate the client from the running server's /openapi.json and import it."""
    base, _settings = live
    spec = tmp_path / "openapi.json"
    spec.write_bytes(httpx.get(f"{base}/openapi.json", timeout=10).content)
    config = tmp_path / "config.yaml"
    config.write_text(f"post_hooks: []\nproject_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\n")
    generator = Path(sys.executable).parent / "openapi-python-client"
    out = tmp_path / PACKAGE
    arguments = ["generate", "--path", spec, "--config", config, "--meta", "none", "--output-path", out]
    done = subprocess.run(
        [str(generator), *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_generated_client_creates_orders_and_reads_a_result(live: tuple[str, Settings], sdk: Any) -> None:
    base, settings = live
    engine = create_db_engine(settings.database_url)
    with Session(engine) as session:
        _key, key = apikeys.create_key(session, name="sdk", scopes=["read", "write"], actor="test")
        session.commit()
    engine.dispose()
    models = importlib.import_module(f"{PACKAGE}.models")
    create_candidate = importlib.import_module(f"{PACKAGE}.api.candidates.api_candidate_create")
    get_candidate = importlib.import_module(f"{PACKAGE}.api.candidates.api_candidate")
    create_assessment = importlib.import_module(f"{PACKAGE}.api.assessments.api_assessment_create")
    submit = importlib.import_module(f"{PACKAGE}.api.assessments.api_assessment_submit")
    result = importlib.import_module(f"{PACKAGE}.api.assessments.api_assessment_result")

    with sdk.AuthenticatedClient(base_url=base, token=key) as client:
        candidate = create_candidate.sync(
            client=client,
            body=models.CandidateIn(first_name="Sam", last_name="de Vries", email="sam@example.com"),
            idempotency_key="sdk-candidate-1",
        )
        assert isinstance(candidate, models.CandidateOut) and candidate.id >= 1
        replay = create_candidate.sync_detailed(
            client=client,
            body=models.CandidateIn(first_name="Sam", last_name="de Vries", email="sam@example.com"),
            idempotency_key="sdk-candidate-1",
        )
        assert replay.headers["Idempotent-Replayed"] == "true" and replay.parsed.id == candidate.id

        ordered = create_assessment.sync(
            client=client, body=models.AssessmentIn(candidate_id=candidate.id, questionnaire_id="self-test")
        )
        assert isinstance(ordered, models.AssessmentOut) and ordered.status == models.AssessmentOutStatus.INVITED
        assert ordered.invitation_url.startswith(base + "/t/")

        answers = models.SubmitInAnswers.from_dict(example("self-test--senior"))
        submitted = submit.sync_detailed(ordered.id, client=client, body=models.SubmitIn(answers=answers))
        assert submitted.status_code == 200, submitted.content

        read = result.sync(ordered.id, client=client)
        assert isinstance(read, models.ResultOut) and read.assessment_id == ordered.id
        assert read.result["verdict"]["code"] in {
            "ready_to_lead",
            "ready_with_mentor",
            "supervision_only",
            "not_recommended",
            "insufficient_evidence",
        }

        missing = get_candidate.sync(999_999, client=client)
        assert isinstance(missing, models.Problem) and missing.status == 404
